/* The hilos explorer. Every string the server sends reaches the page through textContent,
   createTextNode or setAttribute: never as HTML. Requests go to this server only. */
(function () {
  "use strict";

  var HID = "https://w3id.org/hilos/id/";
  var PREFIXES = [
    ["hid:", HID],
    ["hilos:", "https://w3id.org/hilos/ontology#"],
    ["rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"],
    ["rdfs:", "http://www.w3.org/2000/01/rdf-schema#"],
    ["owl:", "http://www.w3.org/2002/07/owl#"],
    ["xsd:", "http://www.w3.org/2001/XMLSchema#"],
    ["skos:", "http://www.w3.org/2004/02/skos/core#"],
    ["prov:", "http://www.w3.org/ns/prov#"],
    ["org:", "http://www.w3.org/ns/org#"],
    ["geo:", "http://www.opengis.net/ont/geosparql#"]
  ];
  var SPHERES = ["state", "criminal", "community", "civil"];
  var STATUSES = ["confirmed", "reported", "alleged", "disputed", "refuted"];
  var TABS = ["search", "paths", "queries", "sparql"];
  var MAX_ROWS = 1000;

  // ------------------------------------------------------------------------------- helpers

  function $(id) { return document.getElementById(id); }

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

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function compact(iri) {
    for (var i = 0; i < PREFIXES.length; i++) {
      if (iri.indexOf(PREFIXES[i][1]) === 0) return PREFIXES[i][0] + iri.slice(PREFIXES[i][1].length);
    }
    return iri;
  }

  function lang() { return $("lang").value; }

  function say(text) {
    var message = $("message");
    message.textContent = text || "";
    message.hidden = !text;
  }

  function button(text, onClick, cls) {
    var node = el("button", {cls: cls || "link", text: text, attrs: {type: "button"}});
    node.addEventListener("click", onClick);
    return node;
  }

  function sphereBadge(sphere) {
    var key = SPHERES.indexOf(sphere) >= 0 ? sphere : "none";
    return el("span", {cls: "badge sphere-" + key, text: sphere || "no sphere"});
  }

  function statusBadge(status) {
    var key = STATUSES.indexOf(status) >= 0 ? status : "none";
    return el("span", {cls: "badge status-" + key, text: status || "no status"});
  }

  function when(start, end) {
    if (!start && !end) return "";
    return (start || "…") + " – " + (end || "…");
  }

  function busy(node, text) {
    clear(node).appendChild(el("p", {cls: "muted", text: text}));
  }

  // ------------------------------------------------------------------------------ requests

  async function readJSON(response) {
    var type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      var text = await response.text();
      var message = text;
      if (type.indexOf("json") >= 0) {
        try { message = JSON.parse(text).error || text; } catch (e) { message = text; }
      }
      throw new Error(String(message).trim() || "the server answered " + response.status);
    }
    return response.json();
  }

  async function getJSON(path, params) {
    var query = params ? "?" + new URLSearchParams(params).toString() : "";
    var response = await fetch(path + query, {headers: {Accept: "application/json"}});
    return readJSON(response);
  }

  function failed(error, where) {
    say(error.message);
    if (where) clear(where);
  }

  // ---------------------------------------------------------------------------------- tabs

  function showTab(name) {
    TABS.forEach(function (tab) {
      var on = tab === name;
      $("tab-" + tab).setAttribute("aria-selected", on ? "true" : "false");
      $("panel-" + tab).hidden = !on;
    });
    if (name === "queries") loadLibrary();
  }

  // -------------------------------------------------------------------------------- search

  async function runSearch(text) {
    var list = $("search-results");
    say("");
    busy(list, "Searching…");
    try {
      var hits = await getJSON("/api/search", {q: text, lang: lang()});
      clear(list);
      $("search-count").textContent = hits.length
        ? hits.length + " match" + (hits.length > 1 ? "es" : "")
        : "Nothing matches “" + text + "”.";
      hits.forEach(function (hit) {
        var open = el("button", {cls: "hit", attrs: {type: "button", "data-id": hit.id}}, [
          el("span", {cls: "label", text: hit.label}),
          sphereBadge(hit.sphere),
          el("span", {cls: "types", text: hit.types.join(", ")})
        ]);
        open.addEventListener("click", function () { openCard(hit.id); });
        list.appendChild(el("li", {}, [open]));
      });
    } catch (error) {
      failed(error, list);
    }
  }

  // ---------------------------------------------------------------------------------- card

  var current = null;

  async function openCard(id) {
    var card = $("card");
    say("");
    showTab("search");
    busy(card, "Opening…");
    try {
      var data = await getJSON("/api/entity", {id: id, lang: lang()});
      current = data;
      renderCard(data);
      history.replaceState(null, "", "#entity=" + encodeURIComponent(data.id));
    } catch (error) {
      failed(error, card);
    }
  }

  function row(term, value) {
    if (value === null || value === undefined || value === "" ||
        (Array.isArray(value) && !value.length)) return null;
    var cell = el("dd");
    (Array.isArray(value) ? value : [value]).forEach(function (item, i) {
      if (i) cell.appendChild(document.createTextNode(typeof item === "string" ? "; " : " "));
      cell.appendChild(typeof item === "string" ? document.createTextNode(item) : item);
    });
    return [el("dt", {text: term}), cell];
  }

  function renderCard(data) {
    var card = clear($("card"));
    card.appendChild(el("h2", {text: data.label}));
    card.appendChild(el("p", {cls: "iri"}, [el("code", {text: data.id})]));
    var facts = el("dl", {cls: "facts"});
    [
      row("Types", data.types.join(", ")),
      row("Sphere", data.spheres.map(sphereBadge)),
      row("Names", data.labels.map(function (l) { return l.lang ? l.value + " (" + l.lang + ")" : l.value; })),
      row("Aliases", data.aliases.map(function (l) { return l.value; }).filter(function (v, i, all) { return all.indexOf(v) === i; }))
    ].concat(data.statements.map(function (s) { return row(compact(s.property), s.value); }))
      .forEach(function (pair) {
        if (pair) { facts.appendChild(pair[0]); facts.appendChild(pair[1]); }
      });
    card.appendChild(facts);
    data.comments.forEach(function (comment) { card.appendChild(el("p", {cls: "note", text: comment})); });

    var actions = el("p", {cls: "actions"}, [
      button("Network around it", function () { showEgo(data.id, data.label); }, "action"),
      button("Path from here", function () { $("path-from").value = data.id; showTab("paths"); $("path-to").focus(); }, "action"),
      button("Path to here", function () { $("path-to").value = data.id; showTab("paths"); $("path-from").focus(); }, "action")
    ]);
    card.appendChild(actions);

    card.appendChild(el("h3", {text: "Ties (" + data.ties.length + ")"}));
    var list = el("ol", {cls: "ties"});
    data.ties.forEach(function (tie) { list.appendChild(renderTie(tie)); });
    card.appendChild(list);
  }

  function renderTie(tie) {
    var other = button(tie.other.label, function () { openCard(tie.other.id); });
    var head = el("p", {cls: "tie-head"}, [
      el("span", {cls: "arrow", text: tie.direction === "out" ? "→" : "←"}),
      el("span", {cls: "relation", text: tie.relation_label}),
      other,
      sphereBadge(tie.other.sphere)
    ]);
    var facts = [statusBadge(tie.status)];
    if (tie.confidence !== null && tie.confidence !== undefined) facts.push(el("span", {text: "confidence " + tie.confidence}));
    if (tie.start || tie.end) facts.push(el("span", {cls: "dates", text: when(tie.start, tie.end)}));
    var item = el("li", {cls: "tie", attrs: {"data-tie": tie.tie}}, [head, el("p", {cls: "tie-facts"}, facts)]);
    if (tie.market) item.appendChild(el("p", {cls: "small", text: "market: " + tie.market}));
    if (tie.relation_text) item.appendChild(el("p", {cls: "small", text: "relation: " + tie.relation_text}));
    if (tie.quote) item.appendChild(el("blockquote", {cls: "quote", text: tie.quote}));
    var cited = tie.sources.map(function (s) { return s.citation; }).join("; ") || "no source";
    item.appendChild(el("p", {cls: "source", text: "Source: " + cited + (tie.locator ? " — " + tie.locator : "")}));
    return item;
  }

  // ----------------------------------------------------------------------------------- ego

  var egoOf = null;

  function showEgo(id, label) {
    egoOf = {id: id, label: label};
    var hops = $("ego-hops").value;
    var url = "/ego?" + new URLSearchParams({id: id, hops: hops, lang: lang()}).toString();
    $("ego-title").textContent = "The network within " + hops + " tie" + (hops === "1" ? "" : "s") + " of " + label;
    $("ego-open").setAttribute("href", url);
    $("ego-frame").setAttribute("src", url);
    $("ego").hidden = false;
    $("ego").scrollIntoView({block: "start"});
  }

  // --------------------------------------------------------------------------------- paths

  async function runPaths() {
    var out = $("paths-results");
    say("");
    busy(out, "Following the threads…");
    var params = {
      from: $("path-from").value,
      to: $("path-to").value,
      limit: $("path-limit").value || "3",
      "max-hops": $("path-hops").value || "6",
      lang: lang()
    };
    if ($("path-status").value) params["min-status"] = $("path-status").value;
    if ($("path-time").checked) params["time-consistent"] = "true";
    try {
      var data = await getJSON("/api/paths", params);
      clear(out);
      data.paths.forEach(function (path, i) { out.appendChild(renderPath(path, i + 1)); });
    } catch (error) {
      failed(error, out);
    }
  }

  function renderPath(path, number) {
    var labels = {};
    path.nodes.forEach(function (n) { labels[n.id] = n.label; });
    var section = el("section", {cls: "path"});
    section.appendChild(el("h3", {text: "Path " + number + " — score " + path.score + ", " + path.hops.length + " hop" + (path.hops.length > 1 ? "s" : "")}));
    var chain = el("p", {cls: "chain"});
    path.nodes.forEach(function (n, i) {
      if (i) chain.appendChild(el("span", {cls: "arrow", text: " → "}));
      chain.appendChild(button(n.label, function () { openCard(n.id); }));
      chain.appendChild(sphereBadge(n.sphere));
    });
    section.appendChild(chain);
    var headers = ["#", "From", "Tie", "To", "Status", "Confidence", "Valid", "Quote", "Source", "Locator"];
    var body = el("tbody");
    path.hops.forEach(function (hop, i) {
      var quote = hop.sources.map(function (s) { return s.quote; }).filter(Boolean)[0] || "";
      var locator = hop.sources.map(function (s) { return s.locator; }).filter(Boolean)[0] || "";
      var cited = hop.sources.map(function (s) { return s.citation; }).join("; ") || "no source";
      var relation = compact(hop.relation).replace(/^hilos:/, "") + (hop.forward ? " →" : " ←");
      body.appendChild(el("tr", {attrs: {"data-tie": hop.tie}}, [
        el("td", {text: String(i + 1)}),
        el("td", {text: labels[hop.from] || compact(hop.from)}),
        el("td", {text: relation}),
        el("td", {text: labels[hop.to] || compact(hop.to)}),
        el("td", {}, [statusBadge(hop.status)]),
        el("td", {text: hop.confidence === null ? "" : String(hop.confidence)}),
        el("td", {text: when(hop.start, hop.end)}),
        el("td", {cls: "quote", text: quote}),
        el("td", {text: cited}),
        el("td", {text: locator})
      ]));
    });
    section.appendChild(el("table", {cls: "evidence"}, [
      el("thead", {}, [el("tr", {}, headers.map(function (h) { return el("th", {text: h}); }))]),
      body
    ]));
    return section;
  }

  // ------------------------------------------------------------------------ query library

  var library = null;

  async function loadLibrary() {
    if (library) return;
    library = [];
    var list = $("query-list");
    try {
      library = await getJSON("/api/queries");
      clear(list);
      library.forEach(function (query) {
        var open = el("button", {cls: "hit", attrs: {type: "button", "data-query": query.name}}, [
          el("span", {cls: "label", text: query.title || query.name}),
          el("span", {cls: "types", text: query.name})
        ]);
        open.addEventListener("click", function () { openQuery(query); });
        list.appendChild(el("li", {}, [open]));
      });
    } catch (error) {
      library = null;
      failed(error, list);
    }
  }

  var CHOICES = {
    status: STATUSES,
    sphere: SPHERES,
    boolean: ["true", "false"]
  };
  var HINTS = {
    entity: "a name or an IRI",
    iri: "an IRI or hid:…",
    date: "YYYY, YYYY-MM or YYYY-MM-DD",
    integer: "a whole number",
    decimal: "a number",
    string: "text"
  };

  function field(param) {
    var id = "param-" + param.name;
    var input;
    if (CHOICES[param.type]) {
      var options = (param.required ? [] : [""]).concat(CHOICES[param.type]);
      input = el("select", {attrs: {id: id, name: param.name}}, options.map(function (value) {
        return el("option", {text: value || "(any)", attrs: {value: value}});
      }));
    } else {
      input = el("input", {attrs: {id: id, name: param.name, autocomplete: "off", spellcheck: "false", placeholder: HINTS[param.type] || ""}});
    }
    if (param.default !== null && param.default !== undefined) input.value = param.default;
    if (param.required) input.setAttribute("required", "");
    var label = el("label", {attrs: {"for": id}}, [
      el("span", {cls: "name", text: param.name}),
      el("span", {cls: "muted", text: " " + param.type + (param.required ? "" : ", optional")})
    ]);
    return el("div", {cls: "field"}, [label, input, param.description ? el("p", {cls: "small", text: param.description}) : null]);
  }

  function openQuery(query) {
    var pane = clear($("query-pane"));
    pane.appendChild(el("h2", {text: query.title || query.name}));
    pane.appendChild(el("p", {cls: "iri"}, [el("code", {text: "hilos query " + query.name})]));
    if (query.description) pane.appendChild(el("p", {text: query.description}));
    var form = el("form", {cls: "query-form", attrs: {"data-query": query.name}});
    query.parameters.forEach(function (param) { form.appendChild(field(param)); });
    form.appendChild(el("button", {text: "Run", attrs: {type: "submit"}}));
    var results = el("div", {cls: "results"});
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      runQuery(query, form, results);
    });
    pane.appendChild(form);
    pane.appendChild(results);
  }

  async function runQuery(query, form, results) {
    say("");
    busy(results, "Running…");
    var body = new URLSearchParams();
    body.set("name", query.name);
    query.parameters.forEach(function (param) {
      var value = form.elements.namedItem(param.name).value;
      if (value) body.set("param." + param.name, value);
    });
    body.set("lang", lang());
    try {
      var response = await fetch("/api/query", {
        method: "POST",
        body: body,
        headers: {Accept: "application/sparql-results+json"}
      });
      renderResults(results, await readJSON(response));
    } catch (error) {
      failed(error, results);
    }
  }

  // -------------------------------------------------------------------------------- SPARQL

  async function runSparql() {
    var out = $("sparql-results");
    var status = $("sparql-status");
    say("");
    status.textContent = "Running…";
    clear(out);
    try {
      var response = await fetch("/sparql", {
        method: "POST",
        body: new URLSearchParams({query: $("sparql-text").value}),
        headers: {Accept: "application/sparql-results+json, text/turtle;q=0.9"}
      });
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok) throw new Error((await response.text()).trim() || "the server answered " + response.status);
      if (type.indexOf("json") >= 0) {
        renderResults(out, await response.json());
      } else {
        out.appendChild(el("pre", {cls: "rdf", text: await response.text()}));
      }
      status.textContent = "";
    } catch (error) {
      status.textContent = "";
      failed(error, out);
    }
  }

  function termCell(term) {
    if (!term) return el("td");
    if (term.type === "uri") {
      if (term.value.indexOf(HID) === 0) {
        return el("td", {}, [button(compact(term.value), function () { openCard(term.value); })]);
      }
      return el("td", {text: compact(term.value), attrs: {title: term.value}});
    }
    if (term.type === "bnode") return el("td", {text: "_:" + term.value});
    if (term.type === "triple") return el("td", {text: "<< … >>"});
    return el("td", {text: term.value, attrs: term["xml:lang"] ? {lang: term["xml:lang"]} : {}});
  }

  function renderResults(out, data) {
    clear(out);
    if (data.boolean !== undefined) {
      out.appendChild(el("p", {cls: "answer", text: data.boolean ? "yes" : "no"}));
      return;
    }
    var vars = data.head.vars;
    var rows = data.results.bindings;
    var shown = rows.slice(0, MAX_ROWS);
    out.appendChild(el("p", {cls: "count", text: rows.length + " result" + (rows.length === 1 ? "" : "s") +
      (rows.length > shown.length ? " (the first " + shown.length + " shown)" : "")}));
    if (!rows.length) return;
    out.appendChild(el("table", {cls: "results-table"}, [
      el("thead", {}, [el("tr", {}, vars.map(function (v) { return el("th", {text: v}); }))]),
      el("tbody", {}, shown.map(function (binding) {
        return el("tr", {}, vars.map(function (v) { return termCell(binding[v]); }));
      }))
    ]));
  }

  // --------------------------------------------------------------------------------- start

  function start() {
    TABS.forEach(function (tab) {
      $("tab-" + tab).addEventListener("click", function () { showTab(tab); });
    });
    $("search-form").addEventListener("submit", function (event) {
      event.preventDefault();
      runSearch($("search-q").value);
    });
    $("paths-form").addEventListener("submit", function (event) {
      event.preventDefault();
      runPaths();
    });
    $("sparql-form").addEventListener("submit", function (event) {
      event.preventDefault();
      runSparql();
    });
    $("ego-hops").addEventListener("change", function () { if (egoOf) showEgo(egoOf.id, egoOf.label); });
    $("ego-close").addEventListener("click", function () {
      $("ego").hidden = true;
      $("ego-frame").removeAttribute("src");
      egoOf = null;
    });
    $("lang").addEventListener("change", function () { if (current) openCard(current.id); });
    var match = /^#entity=(.+)$/.exec(location.hash);
    if (match) openCard(decodeURIComponent(match[1]));
    window.hilosExplorer = {openCard: openCard, showTab: showTab};
    window.hilosExplorerReady = true;
  }

  start();
})();
