/* Helpers shared by the explorer of `hilos serve` (served as /assets/common.js, before
   explorer.js) and the network page of `hilos export html` (put in-line before page.js), so
   both build their pages the same way. Every string reaches the document through textContent,
   createTextNode or setAttribute: never as HTML. */
var hilosCommon = (function () {
  "use strict";

  // An element: options.cls its class, options.text its text, options.attrs its attributes;
  // children are elements or strings (text nodes), null and undefined skipped.
  function el(tag, options, children) {
    var node = document.createElement(tag);
    options = options || {};
    if (options.cls) node.className = options.cls;
    if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
    if (options.attrs) {
      Object.keys(options.attrs).forEach(function (name) { node.setAttribute(name, options.attrs[name]); });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  // The node, emptied of its children.
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  // A translated message with each {name} replaced by values[name]; a name with no value
  // stays as written, so a missing value shows rather than vanishing.
  function fill(text, values) {
    if (!values) return text;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) &&
        values[name] !== undefined && values[name] !== null ? String(values[name]) : all;
    });
  }

  return {el: el, clear: clear, fill: fill};
})();
