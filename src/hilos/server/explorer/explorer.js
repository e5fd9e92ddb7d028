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
  var TABS = ["home", "search", "paths", "queries", "sparql"];
  var LANG_KEY = "hilos-lang";
  var MAX_ROWS = 1000;

  // ------------------------------------------------------------------------------- helpers

  function $(id) { return document.getElementById(id); }

  // el(), clear() and fill() are the helpers the network page uses too (webshared/common.js).
  var el = hilosCommon.el;
  var clear = hilosCommon.clear;

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
    return el("span", {cls: "badge sphere-" + key, text: sphereName(sphere)});
  }

  function statusBadge(status) {
    var key = STATUSES.indexOf(status) >= 0 || status === "retracted" ? status : "none";
    return el("span", {cls: "badge status-" + key, text: statusName(status)});
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
      var details = {};
      if (type.indexOf("json") >= 0) {
        try { details = JSON.parse(text); message = details.error || text; } catch (e) { message = text; }
      }
      var error = new Error(String(message).trim() || t("The server answered {status}.", {status: response.status}));
      error.details = details;
      error.status = response.status;
      throw error;
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
    if (name === "sparql") startEditor();
    if (name === "home") loadHome();
  }

  // -------------------------------------------------------------------------------- search

  async function runSearch(text) {
    var list = $("search-results");
    say("");
    busy(list, t("Searching…"));
    try {
      var hits = await getJSON("/api/search", {q: text, lang: lang()});
      clear(list);
      await loadWords();
      $("search-count").textContent = hits.length
        ? (hits.length === 1 ? t("1 match") : t("{count} matches", {count: hits.length}))
        : t("Nothing matches “{text}”, even allowing for a slip of the keys.", {text: text});
      hits.forEach(function (hit) {
        var open = el("button", {cls: "hit" + (hit.fuzzy ? " fuzzy" : ""), attrs: {type: "button", "data-id": hit.id}}, [
          el("span", {cls: "label", text: hit.label}),
          sphereBadge(hit.sphere),
          hit.fuzzy ? el("span", {cls: "close-match", text: t("close match: {words}", {
            words: (hit.corrected || []).map(function (c) { return "“" + c.typed + "” → “" + c.read + "”"; }).join(", ")
          })}) : null,
          el("span", {cls: "types", text: hit.types.map(typeName).join(", ")})
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
    busy(card, t("Opening…"));
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
    if (lastResult) {
      card.appendChild(el("p", {cls: "result", text: lastResult, attrs: {role: "status"}}));
      lastResult = "";
    }
    card.appendChild(el("h2", {text: data.label}));
    // the identifier folded away: people read the name; who needs the IRI (a query, a link)
    // opens it
    card.appendChild(el("details", {cls: "iri"}, [el("summary", {text: t("Identifier")}), el("code", {text: data.id})]));
    var facts = el("dl", {cls: "facts"});
    [
      row(t("Types"), data.types.map(typeName).join(", ")),
      row(t("Sphere"), data.spheres.map(sphereBadge)),
      row(t("Names"), data.labels.map(function (l) { return l.lang ? l.value + " (" + l.lang + ")" : l.value; })),
      row(t("Aliases"), data.aliases.map(function (l) { return l.value; }).filter(function (v, i, all) { return all.indexOf(v) === i; }))
    ].concat(data.statements.map(function (s) {
      // when an entity of the user's was recorded, in words rather than by its PROV property
      if (compact(s.property) === "prov:generatedAtTime") return row(t("Recorded"), moment(s.value));
      return row(propertyName(s.property), s.value);
    }))
      .forEach(function (pair) {
        if (pair) { facts.appendChild(pair[0]); facts.appendChild(pair[1]); }
      });
    card.appendChild(facts);
    data.comments.forEach(function (comment) { card.appendChild(el("p", {cls: "note", text: comment})); });

    var actions = el("p", {cls: "actions"}, [
      button(t("Network around it"), function () { showEgo(data.id, data.label); }, "action"),
      button(t("Path from here"), function () { $("path-from").value = data.id; showTab("paths"); $("path-to").focus(); }, "action"),
      button(t("Path to here"), function () { $("path-to").value = data.id; showTab("paths"); $("path-from").focus(); }, "action")
    ]);
    card.appendChild(actions);
    if (canWrite()) card.appendChild(cardTools(data));

    card.appendChild(el("h3", {text: t("Ties ({count})", {count: data.ties.length})}));
    var list = el("ol", {cls: "ties"});
    data.ties.forEach(function (tie) { list.appendChild(renderTie(tie)); });
    card.appendChild(list);
  }

  function renderTie(tie) {
    var other = button(tie.other.label, function () { openCard(tie.other.id); });
    var head = el("p", {cls: "tie-head"}, [
      el("span", {cls: "arrow", text: tie.direction === "out" ? "→" : "←"}),
      el("span", {cls: "relation", text: tie.relation_label || relationName(tie.relation)}),
      other,
      sphereBadge(tie.other.sphere)
    ]);
    var facts = [statusBadge(tie.status)];
    if (tie.confidence !== null && tie.confidence !== undefined) facts.push(el("span", {text: t("confidence {value}", {value: tie.confidence})}));
    if (tie.start || tie.end) facts.push(el("span", {cls: "dates", text: when(tie.start, tie.end)}));
    if (tie.qualifiers && tie.qualifiers.length) {
      facts.push(el("span", {cls: "qualifiers", text: tie.qualifiers.map(qualifierName).join(", ")}));
    }
    var item = el("li", {cls: "tie", attrs: {"data-tie": tie.tie}}, [head, el("p", {cls: "tie-facts"}, facts)]);
    if (tie.market) item.appendChild(el("p", {cls: "small", text: t("market: {name}", {name: tie.market})}));
    if (tie.relation_text) item.appendChild(el("p", {cls: "small", text: t("relation as the source words it: {text}", {text: tie.relation_text})}));
    if (tie.quote) item.appendChild(el("blockquote", {cls: "quote", text: tie.quote}));
    var cited = tie.sources.map(function (s) { return s.citation; }).join("; ") || t("no source");
    item.appendChild(el("p", {cls: "source", text: t("Source: {sources}", {sources: cited + (tie.locator ? " — " + tie.locator : "")})}));
    if (tie.status === "retracted") {
      item.classList.add("retracted");
      item.appendChild(el("p", {cls: "reason", text: t("Retracted because: {reason}", {reason: tie.reason || "—"})}));
    }
    if (tie.graph) {
      item.appendChild(el("p", {cls: "small yours", text: t("Your claim {id} (graph {graph})", {id: tie.short_id, graph: tie.graph})}));
      if (canWrite()) item.appendChild(tieTools(tie));
    }
    return item;
  }

  // ----------------------------------------------------------------------------------- ego

  var egoOf = null;

  function showEgo(id, label) {
    egoOf = {id: id, label: label};
    var hops = $("ego-hops").value;
    var url = "/ego?" + new URLSearchParams({id: id, hops: hops, lang: lang()}).toString();
    $("ego-title").textContent = hops === "1"
      ? t("The network within 1 tie of {name}", {name: label})
      : t("The network within {count} ties of {name}", {count: hops, name: label});
    $("ego-open").setAttribute("href", url);
    $("ego-frame").setAttribute("src", url);
    $("ego").hidden = false;
    $("ego").scrollIntoView({block: "start"});
  }

  // --------------------------------------------------------------------------------- paths

  async function runPaths() {
    var out = $("paths-results");
    say("");
    busy(out, t("Following the threads…"));
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
      await loadWords();
      clear(out);
      data.paths.forEach(function (path, i) { out.appendChild(renderPath(path, i + 1)); });
    } catch (error) {
      if (error.details && error.details.reason) {
        clear(out).appendChild(renderNoPath(error.details.reason));
      } else {
        failed(error, out);
      }
    }
  }

  function renderPath(path, number) {
    var labels = {};
    path.nodes.forEach(function (n) { labels[n.id] = n.label; });
    var section = el("section", {cls: "path"});
    section.appendChild(el("h3", {text: t(path.hops.length === 1 ? "Path {n} — score {score}, 1 hop" : "Path {n} — score {score}, {hops} hops",
      {n: number, score: path.score, hops: path.hops.length})}));
    var chain = el("p", {cls: "chain"});
    path.nodes.forEach(function (n, i) {
      if (i) chain.appendChild(el("span", {cls: "arrow", text: " → "}));
      chain.appendChild(button(n.label, function () { openCard(n.id); }));
      chain.appendChild(sphereBadge(n.sphere));
    });
    section.appendChild(chain);
    var headers = ["#", t("From"), t("Tie"), t("To"), t("Status"), t("Confidence"), t("Valid"), t("Quote"), t("Source"), t("Locator")];
    var body = el("tbody");
    path.hops.forEach(function (hop, i) {
      var quote = hop.sources.map(function (s) { return s.quote; }).filter(Boolean)[0] || "";
      var locator = hop.sources.map(function (s) { return s.locator; }).filter(Boolean)[0] || "";
      var cited = hop.sources.map(function (s) { return s.citation; }).join("; ") || t("no source");
      var relation = relationName(hop.relation) + (hop.forward ? " →" : " ←");
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
  function hint(type) {
    return {
      entity: t("a name or an IRI"),
      iri: t("an IRI or hid:…"),
      date: t("YYYY, YYYY-MM or YYYY-MM-DD"),
      integer: t("a whole number"),
      decimal: t("a number"),
      string: t("text")
    }[type] || "";
  }

  function field(param) {
    var id = "param-" + param.name;
    var input;
    if (CHOICES[param.type]) {
      var options = (param.required ? [] : [""]).concat(CHOICES[param.type]);
      input = el("select", {attrs: {id: id, name: param.name}}, options.map(function (value) {
        var shown = !value ? t("(any)") : param.type === "status" ? statusName(value)
          : param.type === "sphere" ? sphereName(value) : value === "true" ? t("yes") : value === "false" ? t("no") : value;
        return el("option", {text: shown, attrs: {value: value}});
      }));
    } else {
      input = el("input", {attrs: {id: id, name: param.name, autocomplete: "off", spellcheck: "false", placeholder: hint(param.type)}});
    }
    if (param.default !== null && param.default !== undefined) input.value = param.default;
    if (param.required) input.setAttribute("required", "");
    var label = el("label", {attrs: {"for": id}}, [
      el("span", {cls: "name", text: param.name}),
      el("span", {cls: "muted", text: " " + (hint(param.type) || param.type) + (param.required ? "" : t(", optional"))})
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
    form.appendChild(el("button", {text: t("Run"), attrs: {type: "submit"}}));
    form.appendChild(button(t("Open in the SPARQL editor"), function () { openInEditor(query.name); }, "action"));
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
    busy(results, t("Running…"));
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
      out.appendChild(el("p", {cls: "answer", text: data.boolean ? t("yes") : t("no")}));
      return;
    }
    var vars = data.head.vars;
    var rows = data.results.bindings;
    var shown = rows.slice(0, MAX_ROWS);
    out.appendChild(el("p", {cls: "count", text: (rows.length === 1 ? t("1 result") : t("{count} results", {count: rows.length})) +
      (rows.length > shown.length ? " " + t("(the first {count} shown)", {count: shown.length}) : "")}));
    if (!rows.length) return;
    out.appendChild(el("table", {cls: "results-table"}, [
      el("thead", {}, [el("tr", {}, vars.map(function (v) { return el("th", {text: v}); }))]),
      el("tbody", {}, shown.map(function (binding) {
        return el("tr", {}, vars.map(function (v) { return termCell(binding[v]); }));
      }))
    ]));
  }

  // ------------------------------------------------------------------------- your changes
  // On a server started with --allow-update: the token, pasted once, is kept in this tab's
  // sessionStorage and sent in the Authorization header of each write (never in a URL).

  var API = {
    session: "/api/session",
    types: "/api/types",
    history: "/api/claim/history",
    journal: "/api/journal",
    addClaim: "/api/claim/add",
    editClaim: "/api/claim/edit",
    retractClaim: "/api/claim/retract",
    addEntity: "/api/entity/add",
    merge: "/api/entity/merge",
    undo: "/api/undo"
  };
  var TOKEN_KEY = "hilos-token";
  var session = {updates: false, graph: "mine"};
  var words = null;  // /api/types, once
  var lastResult = "";

  // The page's words: English in this script, their translation from /api/words (the catalogue
  // hilos/locale/es/explorer.json, keyed by the English text).
  var WORDS = {};

  function t(text, values) {
    return hilosCommon.fill((lang() !== "en" && WORDS[text]) || text, values);
  }

  function each(root, selector, work) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), work);
  }

  function translate(root) {
    each(root, "[data-t]", function (node) {
      if (!node.hasAttribute("data-en")) node.setAttribute("data-en", node.textContent.trim().replace(/\s+/g, " "));
      node.textContent = t(node.getAttribute("data-en"));
    });
    each(root, "[data-t-placeholder]", function (node) {
      node.setAttribute("placeholder", t(node.getAttribute("data-t-placeholder")));
    });
    each(root, "[data-t-label]", function (node) {
      node.setAttribute("aria-label", t(node.getAttribute("data-t-label")));
      if (node.hasAttribute("title")) node.setAttribute("title", t(node.getAttribute("data-t-label")));
    });
    each(root, "option[data-status]", function (node) { node.textContent = statusName(node.value); });
  }

  // The language: the one chosen in this browser before, else the server picks from the
  // browser's Accept-Language.
  async function useLanguage(asked) {
    var data = await getJSON("/api/words", asked ? {lang: asked} : null);
    WORDS = data.words || {};
    $("lang").value = data.lang;
    translate();
    document.documentElement.setAttribute("lang", data.lang);
  }

  // Names of spheres, statuses, relations and types: the ontology's labels (/api/types).
  function termLabel(list, name) {
    var found = words ? (words[list] || []).filter(function (item) { return item.name === name; })[0] : null;
    return found ? one(found) : null;
  }
  function sphereName(key) { return key ? termLabel("spheres", key) || key : t("no sphere"); }
  function statusName(key) { return key ? termLabel("statuses", key) || key : t("no status"); }
  function relationName(relation) {
    var name = compact(relation).replace(/^hilos:/, "");
    return termLabel("ties", name) || name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  }
  function typeName(type) {
    var name = compact(type).replace(/^hilos:/, "");
    return termLabel("types", name) || name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  }

  function token() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; }
  }

  function keepToken(value) {
    try {
      if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) { /* storage refused: the token lives until the page closes */ }
    memoryToken = value;
  }
  var memoryToken = "";

  function currentToken() { return token() || memoryToken; }

  function qualifierName(key) {
    var found = words ? words.qualifiers.filter(function (q) { return q.name === key; })[0] : null;
    return found ? one(found) : key.replace(/-/g, " ");
  }

  function canWrite() { return session.updates && !!currentToken(); }

  function moment(timeText) {
    return timeText ? String(timeText).replace("T", " ").replace(/Z$/, " UTC") : "?";
  }

  async function answerOf(response) {
    var data = null;
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("json") >= 0) {
      try { data = await response.json(); } catch (e) { data = null; }
    } else {
      data = {error: (await response.text()).trim()};
    }
    if (!response.ok) {
      var error = new Error((data && data.error) || "the server answered " + response.status);
      error.status = response.status;
      error.details = data || {};
      if (response.status === 401) {
        keepToken("");
        showEditing();
        error.message = t("The server refused the token: paste it again.") + " (" + error.message + ")";
      }
      throw error;
    }
    return data;
  }

  async function send(path, fields) {
    var body = {};
    Object.keys(fields).forEach(function (name) {
      var value = fields[name];
      if (value !== undefined && value !== null) body[name] = value;
    });
    body.lang = lang();
    var response = await fetch(path, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        Authorization: "Bearer " + currentToken()
      },
      body: JSON.stringify(body)
    });
    return answerOf(response);
  }

  async function read(path, params) {
    var query = params ? "?" + new URLSearchParams(params).toString() : "";
    var headers = {Accept: "application/json"};
    if (path === API.session && currentToken()) headers.Authorization = "Bearer " + currentToken();
    return answerOf(await fetch(path + query, {headers: headers}));
  }

  async function loadWords() {
    if (!words) words = await read(API.types);
    return words;
  }

  // Labels in the page's language, the other language beside when it differs.
  function both(item) {
    var en = item.label || item.name, es = item.label_es || en;
    var first = lang() === "es" ? es : en, second = lang() === "es" ? en : es;
    return first === second ? first : first + " (" + second + ")";
  }

  function one(item) {
    return (lang() === "es" ? item.label_es : item.label) || item.label || item.name;
  }

  function choice(name, items, options) {
    options = options || {};
    var select = el("select", {attrs: {name: name}});
    if (options.empty) select.appendChild(el("option", {text: t("(none)"), attrs: {value: ""}}));
    if (options.sort) {
      items = items.slice().sort(function (a, b) { return one(a).localeCompare(one(b), lang()); });
    }
    items.forEach(function (item) {
      select.appendChild(el("option", {text: options.short ? one(item) : both(item), attrs: {value: item.name}}));
    });
    if (options.value !== undefined) select.value = options.value;
    return select;
  }

  function typeChoice(name, empty) {
    var select = el("select", {attrs: {name: name}});
    if (empty) select.appendChild(el("option", {text: t("(none)"), attrs: {value: ""}}));
    [["actor", "Actors"], ["place", "Places"]].forEach(function (kind) {
      var group = el("optgroup", {attrs: {label: t(kind[1])}});
      words.types.filter(function (ty) { return ty.kind === kind[0]; })
        .sort(function (a, b) { return one(a).localeCompare(one(b)); })
        .forEach(function (ty) { group.appendChild(el("option", {text: both(ty), attrs: {value: ty.name}})); });
      select.appendChild(group);
    });
    return select;
  }

  function input(name, options) {
    options = options || {};
    var attrs = {name: name, autocomplete: "off", spellcheck: "false"};
    if (options.type) attrs.type = options.type;
    if (options.placeholder) attrs.placeholder = options.placeholder;
    if (options.inputmode) attrs.inputmode = options.inputmode;
    var node = el(options.multiline ? "textarea" : "input", {attrs: attrs});
    if (options.multiline) node.setAttribute("rows", "2");
    if (options.value !== undefined && options.value !== null) node.value = String(options.value);
    if (options.required) node.setAttribute("required", "");
    return node;
  }

  function labelled(key, control, wide) {
    return el("label", {cls: "field-box" + (wide ? " wide" : "")}, [el("span", {text: t(key)}), control]);
  }

  function editForm(cls, rows, submitKey) {
    var form = el("form", {cls: "edit-form " + cls, attrs: {novalidate: ""}});
    rows.forEach(function (row) { if (row) form.appendChild(row); });
    var error = el("p", {cls: "form-error", attrs: {role: "alert"}});
    error.hidden = true;
    form.appendChild(el("div", {cls: "form-foot"}, [
      el("button", {text: t(submitKey), attrs: {type: "submit"}}),
      error
    ]));
    return form;
  }

  function value(form, name) {
    var field = form.elements.namedItem(name);
    return field ? field.value.trim() : "";
  }

  function formError(form, error) {
    var line = form.querySelector(".form-error");
    line.textContent = error ? error.message : "";
    line.hidden = !error;
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (node) {
      node.removeAttribute("aria-invalid");
    });
    var field = error && error.details && error.details.field;
    var named = field ? form.elements.namedItem(field) : null;
    if (named && named.setAttribute) {
      named.setAttribute("aria-invalid", "true");
      named.focus();
    }
  }

  function required(form, names) {
    for (var i = 0; i < names.length; i++) {
      if (!value(form, names[i][0])) {
        var error = new Error(t("Fill in: {field}.", {field: t(names[i][1])}));
        error.details = {field: names[i][0]};
        formError(form, error);
        return false;
      }
    }
    return true;
  }

  async function submitting(form, work) {
    var button = form.querySelector("button[type=submit]");
    var stale = document.querySelector("#card p.result");
    if (stale) stale.remove();
    formError(form, null);
    button.disabled = true;
    var text = button.textContent;
    button.textContent = t("Writing…");
    try {
      await work();
    } catch (error) {
      formError(form, error);
    } finally {
      button.disabled = false;
      button.textContent = text;
    }
  }

  function claimWords(claim) {
    return claim.from.label + " → " + claim.relation_label + " → " + claim.to.label;
  }

  function toggle(holder, build) {
    var open = holder.firstChild && holder.getAttribute("data-open") === build.key;
    clear(holder);
    holder.removeAttribute("data-open");
    if (open) return;
    holder.setAttribute("data-open", build.key);
    Promise.resolve(loadWords()).then(function () {
      holder.appendChild(build.make());
      var first = holder.querySelector("input, select, textarea");
      if (first) first.focus();
    }).catch(function (error) { say(error.message); });
  }

  // The tools of an entity card: add a claim, add an entity, merge with another.
  function cardTools(data) {
    var pane = el("div", {cls: "tool-pane"});
    function opener(id, key, make) {
      var build = {key: id, make: make};
      var node = button(t(key), function () { toggle(pane, build); }, "action");
      node.setAttribute("data-tool", id);  // a stable name, whatever the language
      return node;
    }
    return el("section", {cls: "card-tools", attrs: {"aria-label": t("Your changes to this card")}}, [
      el("p", {cls: "actions"}, [
        opener("tools.claim", "Add a claim", function () { return claimForm(data); }),
        opener("tools.entity", "Add an entity", function () { return entityForm(); }),
        opener("tools.merge", "Merge with…", function () { return mergeForm(data); })
      ]),
      pane
    ]);
  }

  function claimForm(data) {
    var createBox = el("div", {cls: "create-box"});
    createBox.hidden = true;
    var choices = el("div", {cls: "candidates"});
    choices.hidden = true;
    var direction = el("select", {attrs: {name: "direction"}}, [
      el("option", {text: t("{name} → the other", {name: data.label}), attrs: {value: "out"}}),
      el("option", {text: t("the other → {name}", {name: data.label}), attrs: {value: "in"}})
    ]);
    var statuses = words.statuses.filter(function (s) { return s.name !== "retracted"; });
    var form = editForm("claim-form", [
      labelled("Direction", direction),
      labelled("Relation", choice("relation", words.ties, {sort: true})),
      labelled("The other entity (a name or id)", input("other", {required: true})),
      choices,
      createBox,
      labelled("Source: who or what says it", input("source", {required: true}), true),
      labelled("Quote", input("quote", {multiline: true}), true),
      labelled("Locator: page, minute, paragraph", input("locator")),
      labelled("Status", choice("status", statuses, {value: "reported", short: true})),
      labelled("Confidence, 0 to 1", input("confidence", {inputmode: "decimal", placeholder: "0.8"})),
      labelled("Start: YYYY, YYYY-MM or YYYY-MM-DD", input("start", {placeholder: "2014-09-26"})),
      labelled("End", input("end")),
      labelled("Qualifier", choice("qualifier", words.qualifiers, {empty: true, short: true}))
    ], "Add the claim");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!required(form, [["other", "The other entity (a name or id)"], ["source", "Source: who or what says it"]])) return;
      var out = value(form, "direction") === "out";
      var fields = {
        from: out ? data.id : value(form, "other"),
        relation: value(form, "relation"),
        to: out ? value(form, "other") : data.id,
        source: value(form, "source"),
        quote: value(form, "quote") || null,
        locator: value(form, "locator") || null,
        status: value(form, "status"),
        confidence: value(form, "confidence") || null,
        start: value(form, "start") || null,
        end: value(form, "end") || null,
        qualifier: value(form, "qualifier") ? [value(form, "qualifier")] : null
      };
      var create = form.elements.namedItem("create-from") || form.elements.namedItem("create-to");
      if (create && !createBox.hidden) fields[create.name] = create.value;
      submitting(form, async function () {
        try {
          var done = await send(API.addClaim, fields);
        } catch (error) {
          offerHelp(form, error, createBox, choices);
          throw error;
        }
        lastResult = t("Added {id}: {what} (change {n} of {graph}).", {id: done.claim.short_id, what: claimWords(done.claim), n: done.change.number, graph: done.change.graph});
        await openCard(data.id);
      });
    });
    return form;
  }

  // After an unknown name, offer its type; after an ambiguous one, its candidates.
  function offerHelp(form, error, createBox, choices) {
    var details = error.details || {};
    if (error.status === 404 && details.create) {
      error.message = t("No entity is called “{name}”: choose its type below to create it, then send again.", {name: form.elements.namedItem("other").value});
      clear(createBox).appendChild(labelled("Type of the new entity", typeChoice(details.create, false)));
      createBox.hidden = false;
      details.field = details.create;
    }
    if (details.candidates && details.candidates.length) {
      error.message = t("Several entities have that name; choose one:");
      clear(choices);
      details.candidates.forEach(function (candidate) {
        choices.appendChild(button(candidate.label, function () {
          form.elements.namedItem("other").value = candidate.id;
          choices.hidden = true;
        }, "action candidate"));
      });
      choices.hidden = false;
    }
  }

  function entityForm() {
    var spheres = words.spheres;
    var form = editForm("entity-form", [
      labelled("Name", input("name", {required: true})),
      labelled("Type", typeChoice("type", false)),
      labelled("Aliases, separated by ;", input("alias")),
      labelled("Name in Spanish", input("label-es")),
      labelled("Sphere", choice("sphere", spheres, {empty: true, short: true}))
    ], "Add the entity");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!required(form, [["name", "Name"]])) return;
      var aliases = value(form, "alias").split(";").map(function (a) { return a.trim(); }).filter(Boolean);
      submitting(form, async function () {
        var done = await send(API.addEntity, {
          name: value(form, "name"),
          type: value(form, "type"),
          alias: aliases.length ? aliases : null,
          "label-es": value(form, "label-es") || null,
          sphere: value(form, "sphere") || null
        });
        lastResult = t("Added {id}: {name} (change {n} of {graph}).", {id: done.entity.short_id, name: done.entity.label, n: done.change.number, graph: done.change.graph});
        await openCard(done.entity.id);
      });
    });
    return form;
  }

  function mergeForm(data) {
    var choices = el("div", {cls: "candidates"});
    choices.hidden = true;
    var statuses = words.statuses.filter(function (s) { return s.name !== "retracted"; });
    var form = editForm("merge-form", [
      labelled("The other entity (a name or id)", input("other", {required: true})),
      choices,
      labelled("Source: who or what says it", input("source", {required: true}), true),
      labelled("Quote", input("quote", {multiline: true}), true),
      labelled("Status", choice("status", statuses, {value: "reported", short: true}))
    ], "Record that they are one");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!required(form, [["other", "The other entity (a name or id)"], ["source", "Source: who or what says it"]])) return;
      submitting(form, async function () {
        try {
          var done = await send(API.merge, {
            a: data.id,
            b: value(form, "other"),
            source: value(form, "source"),
            quote: value(form, "quote") || null,
            status: value(form, "status")
          });
        } catch (error) {
          if (error.details && error.details.field === "b") error.details.field = "other";
          offerHelp(form, error, el("div"), choices);
          throw error;
        }
        lastResult = t("Recorded {id}: {what} (change {n} of {graph}).", {id: done.claim.short_id, what: claimWords(done.claim), n: done.change.number, graph: done.change.graph});
        await openCard(data.id);
      });
    });
    return form;
  }

  // The tools of one of the user's own claims on a card: edit, retract, history.
  function tieTools(tie) {
    var pane = el("div", {cls: "tool-pane"});
    function opener(id, key, make) {
      var build = {key: id, make: make};
      var node = button(t(key), function () { toggle(pane, build); }, "link");
      node.setAttribute("data-tool", id);  // a stable name, whatever the language
      return node;
    }
    var tools = [opener("tie.history", "History", function () { return historyPane(tie); })];
    if (tie.status !== "retracted") {
      tools.unshift(opener("tie.retract", "Retract", function () { return retractForm(tie); }));
    }
    tools.unshift(opener("tie.edit", "Edit", function () { return tieEditForm(tie); }));
    var bar = el("p", {cls: "tie-tools"});
    tools.forEach(function (tool, i) {
      if (i) bar.appendChild(document.createTextNode(" · "));
      bar.appendChild(tool);
    });
    return el("div", {cls: "tie-edit"}, [bar, pane]);
  }

  function tieEditForm(tie) {
    var relation = words.ties.filter(function (r) { return "hilos:" + r.name === tie.relation; })[0];
    var statuses = words.statuses.filter(function (s) { return s.name !== "retracted" || tie.status === "retracted"; });
    var initial = {
      relation: relation ? relation.name : "",
      status: tie.status || "",
      source: tie.sources.length ? tie.sources[0].citation : "",
      quote: tie.quote || "",
      locator: tie.locator || "",
      confidence: tie.confidence === null || tie.confidence === undefined ? "" : String(tie.confidence),
      start: tie.start || "",
      end: tie.end || "",
      qualifier: tie.qualifiers.length ? tie.qualifiers[0] : ""
    };
    var form = editForm("tie-edit-form", [
      labelled("Relation", choice("relation", words.ties, {value: initial.relation, sort: true})),
      labelled("Status", choice("status", statuses, {value: initial.status, short: true})),
      labelled("Source: who or what says it", input("source", {value: initial.source}), true),
      labelled("Quote", input("quote", {multiline: true, value: initial.quote}), true),
      labelled("Locator: page, minute, paragraph", input("locator", {value: initial.locator})),
      labelled("Confidence, 0 to 1", input("confidence", {inputmode: "decimal", value: initial.confidence})),
      labelled("Start: YYYY, YYYY-MM or YYYY-MM-DD", input("start", {value: initial.start})),
      labelled("End", input("end", {value: initial.end})),
      labelled("Qualifier", choice("qualifier", words.qualifiers, {empty: true, short: true, value: initial.qualifier})),
      labelled("Why it changes (kept in the journal)", input("reason"), true)
    ], "Save a new version");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = {id: tie.tie};
      var changed = false;
      Object.keys(initial).forEach(function (name) {
        var now = value(form, name);
        if (now !== initial[name]) {
          fields[name] = name === "qualifier" ? (now ? [now] : []) : now;
          changed = true;
        }
      });
      if (!changed) {
        formError(form, new Error(t("Nothing to change: change a field first.")));
        return;
      }
      if (value(form, "reason")) fields.reason = value(form, "reason");
      submitting(form, async function () {
        var done = await send(API.editClaim, fields);
        lastResult = t("Saved a new version of {id}: {what} (change {n} of {graph}).", {id: done.claim.short_id, what: claimWords(done.claim), n: done.change.number, graph: done.change.graph});
        await openCard(current.id);
      });
    });
    return form;
  }

  function retractForm(tie) {
    var form = editForm("retract-form", [
      labelled("Reason", input("reason", {required: true}), true)
    ], "Retract the claim");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!required(form, [["reason", "Reason"]])) return;
      submitting(form, async function () {
        var done = await send(API.retractClaim, {id: tie.tie, reason: value(form, "reason")});
        lastResult = t("Retracted {id}: {what} (change {n} of {graph}).", {id: done.claim.short_id, what: claimWords(done.claim), n: done.change.number, graph: done.change.graph});
        await openCard(current.id);
      });
    });
    return form;
  }

  function historyPane(tie) {
    var pane = el("div", {cls: "history"}, [el("p", {cls: "muted", text: t("Reading the history…")})]);
    read(API.history, {id: tie.tie, lang: lang()}).then(function (data) {
      clear(pane);
      pane.appendChild(el("h4", {text: t("Versions of {id}, newest first", {id: data.short_id})}));
      var list = el("ol", {cls: "versions"});
      data.versions.forEach(function (version) {
        var item = el("li", {cls: version.current ? "version current" : "version"}, [
          el("p", {cls: "version-head"}, [
            el("strong", {text: version.current ? t("Current, since {since}", {since: moment(version.since)})
              : t("From {since} until {until}", {since: moment(version.since), until: moment(version.until)})}),
            " ",
            statusBadge(version.status)
          ]),
          el("p", {cls: "small", text: version.from + " → " + compact(version.relation).replace(/^hilos:/, "") + " → " + version.to})
        ]);
        if (version.quote) item.appendChild(el("blockquote", {cls: "quote", text: version.quote}));
        item.appendChild(el("p", {cls: "source", text: t("Source: {sources}", {sources: version.sources.join("; ") || "—"})}));
        if (version.reason) item.appendChild(el("p", {cls: "reason", text: t("Reason: {reason}", {reason: version.reason})}));
        list.appendChild(item);
      });
      pane.appendChild(list);
      if (data.changes.length) {
        pane.appendChild(el("h4", {text: t("Journal")}));
        pane.appendChild(el("ul", {cls: "journal"}, data.changes.slice().reverse().map(function (change) {
          return el("li", {text: t("Change {n}", {n: change.number}) + ", " + moment(change.time) +
            " — " + change.action + (change.reason ? " — " + change.reason : "")});
        })));
      }
    }).catch(function (error) {
      clear(pane).appendChild(el("p", {cls: "form-error", text: error.message}));
    });
    return pane;
  }

  // The bar under the header: the token, and undoing the last change of the graph mine.
  async function startEditing() {
    try {
      session = await read(API.session);
    } catch (error) {
      session = {updates: false, graph: "mine"};
    }
    if (session.updates && currentToken() && session.authorised === false) keepToken("");
    showEditing();
    if (canWrite() && current) await openCard(current.id);
    window.hilosEditingReady = true;
  }

  function showEditing() {
    var on = canWrite();
    $("editing").hidden = !session.updates;
    $("token-form").hidden = on;
    $("editing-on").hidden = !on;
    translate($("editing"));
    $("editing-state").textContent = on ? t("Changes on: open an entity's card to add or correct claims.") : "";
  }

  async function useToken(text) {
    var note = $("token-note");
    note.textContent = t("Checking the token…");
    keepToken(text.trim());
    try {
      var answer = await read(API.session);
      if (answer.authorised !== true) throw new Error(t("The server refused this token."));
      note.textContent = "";
      $("token").value = "";
      showEditing();
      if (current) openCard(current.id);
    } catch (error) {
      keepToken("");
      note.textContent = error.message;
      showEditing();
    }
  }

  async function previewUndo() {
    var pane = clear($("undo-pane"));
    var graph = session.graph || "mine";
    pane.appendChild(el("p", {cls: "muted", text: t("Reading the journal of {graph}…", {graph: graph})}));
    try {
      var data = await read(API.journal, {graph: graph, lang: lang()});
      clear(pane);
      if (!data.next) {
        pane.appendChild(el("p", {cls: "undo-note", text: t("Nothing to undo in {graph}.", {graph: graph})}));
        return;
      }
      var next = data.next;
      pane.appendChild(el("p", {cls: "undo-note", text: t("This will undo change {n} of {graph} ({action}, {time}): {what}.", {
        n: next.number, graph: graph, action: next.action, time: moment(next.time), what: next.what || next.short_changed || "—"
      })}));
      var confirm = button(t("Undo it"), function () { runUndo(graph, next.number); }, "action");
      confirm.id = "undo-confirm";
      pane.appendChild(el("p", {cls: "actions"}, [
        confirm,
        button(t("Cancel"), function () { clear(pane); }, "action")
      ]));
    } catch (error) {
      clear(pane).appendChild(el("p", {cls: "form-error", text: error.message}));
    }
  }

  async function runUndo(graph, number) {
    var pane = $("undo-pane");
    try {
      var done = await send(API.undo, {graph: graph, change: String(number)});
      clear(pane).appendChild(el("p", {cls: "undo-note result", attrs: {role: "status"}, text: t("Undone: change {n} of {graph} ({action}): {what}. The undo is change {m} of the journal; nothing is lost.", {
        n: done.undid.number, graph: graph, action: done.undid.action, what: done.undid.what || done.undid.short_changed || "—",
        m: done.change.number
      })}));
      if (current) await openCard(current.id);
    } catch (error) {
      clear(pane).appendChild(el("p", {cls: "form-error", text: error.message}));
    }
  }

  function startEditingBar() {
    $("token-form").addEventListener("submit", function (event) {
      event.preventDefault();
      useToken($("token").value);
    });
    $("token-forget").addEventListener("click", function () {
      keepToken("");
      clear($("undo-pane"));
      showEditing();
      if (current) openCard(current.id);
    });
    $("undo-button").addEventListener("click", previewUndo);
    startEditing();
  }

  // -------------------------------------------------------------------------- card words

  var PROPERTIES = {
    "hilos:sphere": "Sphere",
    "hilos:note": "Note",
    "hilos:population": "Population",
    "geo:sfWithin": "Within",
    "skos:definition": "Definition",
    "prov:wasDerivedFrom": "Derived from",
    "hilos:wasDerivedFrom": "Derived from",
    "org:subOrganizationOf": "Part of",
    "hilos:driftsTowards": "Drifts towards",
    "hilos:modality": "Modality"
  };

  // A property of a card in words: a known one by its name, else its local name spelt out.
  function propertyName(iri) {
    var name = compact(iri);
    if (PROPERTIES[name]) return t(PROPERTIES[name]);
    var local = name.replace(/^[a-z]+:/, "").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
    return local.charAt(0).toUpperCase() + local.slice(1);
  }

  // ------------------------------------------------------------------------------- no path

  // Why no path joins two entities, as /api/paths says it: the sentence, then its parts.
  function renderNoPath(reason) {
    var box = el("section", {cls: "no-path", attrs: {"data-kind": reason.kind, role: "status"}});
    box.appendChild(el("h3", {text: t("No path")}));
    box.appendChild(el("p", {cls: "reason", text: reason.message}));
    var facts = el("ul", {cls: "reason-facts"});
    if (reason.kind === "components" || reason.kind === "alone") {
      [reason.source, reason.target].forEach(function (end) {
        facts.appendChild(el("li", {}, [
          button(end.label, function () { openCard(end.id); }),
          " " + (end.part <= 1 ? t("has no tie that carries a path") : t("is in a part of {count} actors", {count: end.part}))
        ]));
      });
    }
    if (reason.filters && reason.filters.length) {
      reason.filters.forEach(function (f) {
        var cut = reason.cut_by.indexOf(f.name) >= 0;
        facts.appendChild(el("li", {cls: cut ? "cut" : ""}, [
          el("span", {text: t("Filter: {words}", {words: f.words})}),
          cut ? el("strong", {text: " — " + t("without it, a path is found")}) : null
        ]));
      });
    } else if (reason.kind !== "filters") {
      facts.appendChild(el("li", {cls: "muted", text: t("No filter is set: this is how the network is.")}));
    }
    if (facts.firstChild) box.appendChild(facts);
    return box;
  }

  // ---------------------------------------------------------------------------------- home

  var home = null;
  var CHAINS_SHOWN = 8;

  async function loadHome(attempt) {
    var out = $("home");
    if (home && home.lang === lang()) return;
    busy(out, t("Reading the graph…"));
    try {
      var data = await getJSON("/api/overview", {lang: lang()});
      await loadWords();
      home = {lang: lang(), data: data};
      renderHome(out, data);
    } catch (error) {
      // a large graph's first overview outlasts the server's time limit: the server finishes
      // it unseen and keeps it, so asking again soon gets it
      if (error.status === 503 && (attempt || 0) < 12) {
        busy(out, t("Reading the graph… (a large graph takes a while the first time)"));
        setTimeout(function () { loadHome((attempt || 0) + 1); }, 5000);
        return;
      }
      failed(error, out);
    }
  }

  function homeBlock(title, body, cls) {
    return el("section", {cls: "home-block " + (cls || "")}, [el("h2", {text: title})].concat(body));
  }

  function countBars(items, prefix, total) {
    var list = el("ul", {cls: "meters"});
    items.forEach(function (item) {
      var share = total ? Math.max(2, Math.round(100 * item.count / total)) : 0;
      var key = item.name || "none";
      var name = prefix === "sphere" ? sphereName(item.name) : statusName(item.name);
      list.appendChild(el("li", {attrs: {"data-name": key}}, [
        el("span", {cls: "meter-label", text: name}),
        el("span", {cls: "meter-track"}, [el("span", {cls: "meter " + prefix + "-" + key + "-meter", attrs: {"data-share": String(share)}})]),
        el("span", {cls: "meter-count", text: item.count.toLocaleString(lang())})
      ]));
    });
    // widths set through the CSSOM: the page's policy allows no inline style attribute
    Array.prototype.forEach.call(list.querySelectorAll(".meter"), function (meter) {
      meter.style.width = meter.getAttribute("data-share") + "%";
    });
    return list;
  }

  function chainLine(chain) {
    var line = el("li", {cls: "chain-line"});
    chain.nodes.forEach(function (n, i) {
      if (i) {
        var hop = chain.hops[i - 1];
        // the arrows point as the claim does: "officials ← bribery ← cartel", never read as the
        // officials bribing the cartel
        var arrow = hop.forward === false ? "←" : "→";
        line.appendChild(el("span", {cls: "hop" + (chain.crossing && chain.crossing.hop === i - 1 ? " crossing" : ""),
          text: " " + arrow + " " + relationName(hop.relation) + " " + arrow + " "}));
      }
      line.appendChild(button(n.label, function () { openCard(n.id); }, "link sphere-" + (n.sphere || "none")));
    });
    var first = chain.nodes[0], last = chain.nodes[chain.nodes.length - 1];
    line.appendChild(el("span", {cls: "muted small-inline", text: " · " + t("score {score}", {score: chain.score}) + " · "}));
    line.appendChild(button(t("evidence"), function () {
      $("path-from").value = first.id;
      $("path-to").value = last.id;
      showTab("paths");
      runPaths();
    }, "link evidence"));
    return line;
  }

  function renderHome(out, data) {
    clear(out);
    out.appendChild(el("p", {cls: "lead", text: t("{actors} actors and {claims} claims between them, each with its source.", {
      actors: data.actors.toLocaleString(lang()), claims: data.claims.toLocaleString(lang())
    })}));
    var grid = el("div", {cls: "home-grid"});
    grid.appendChild(homeBlock(t("Actors by sphere"), [countBars(data.spheres, "sphere", data.actors)], "spheres"));
    grid.appendChild(homeBlock(t("Claims by status"), [countBars(data.statuses, "status", data.claims)], "statuses"));

    var chains = el("ol", {cls: "chains"});
    data.chains.top.forEach(function (chain, i) {
      var line = chainLine(chain);
      if (i >= CHAINS_SHOWN) line.hidden = true;
      chains.appendChild(line);
    });
    var chainNote = data.chains.count > CHAINS_SHOWN
      ? t("The {shown} strongest of {count} chains, as hilos chains finds them.", {shown: CHAINS_SHOWN, count: data.chains.count})
      : t("{count} chains, as hilos chains finds them.", {count: data.chains.count});
    var more = null;
    if (data.chains.top.length > CHAINS_SHOWN) {
      more = button(t("Show all {count}", {count: data.chains.top.length}), function () {
        Array.prototype.forEach.call(chains.children, function (line) { line.hidden = false; });
        more.remove();
      }, "action more-chains");
    }
    grid.appendChild(homeBlock(t("Collusion chains from the state into organised crime"), [
      el("p", {cls: "muted", text: chainNote}), data.chains.count ? chains : el("p", {text: t("None.")}), more
    ], "chains-block wide"));

    var brokerList = el("ol", {cls: "brokers"});
    data.brokers.top.forEach(function (b) {
      brokerList.appendChild(el("li", {}, [
        button(b.label, function () { openCard(b.id); }), " ", sphereBadge(b.sphere),
        el("span", {cls: "muted", text: " " + t("cross-sphere betweenness {score}", {score: Math.round(b.score * 1000) / 1000})})
      ]));
    });
    grid.appendChild(homeBlock(t("Top brokers between spheres"), [
      data.brokers.top.length ? brokerList : el("p", {text: t("None.")}),
      data.brokers.sampled ? el("p", {cls: "muted", text: t("Estimated from {count} sources.", {count: data.brokers.sampled})}) : null
    ], "brokers-block"));

    var imports = el("ul", {cls: "imports"});
    data.imports.forEach(function (g) {
      imports.appendChild(el("li", {}, [
        el("strong", {text: g.name}), " ",
        el("span", {cls: "muted", text: t("{count} statements from {source}, {when}", {
          count: g.statements.toLocaleString(lang()), source: g.source, when: moment(g.loaded_at)
        })})
      ]));
    });
    grid.appendChild(homeBlock(t("Latest imports"), [
      data.imports.length ? imports : el("p", {cls: "muted", text: t("Nothing imported yet: hilos import brings your spreadsheets and FollowTheMoney data in.")})
    ], "imports-block"));

    var claims = el("ul", {cls: "latest-claims"});
    data.latest_claims.forEach(function (c) {
      claims.appendChild(el("li", {}, [
        button(c.from.label, function () { openCard(c.from.id); }),
        el("span", {text: " " + c.relation_label + " "}),
        button(c.to.label, function () { openCard(c.to.id); }), " ",
        statusBadge(c.status)
      ]));
    });
    grid.appendChild(homeBlock(t("Latest claims of your own"), [
      data.latest_claims.length ? claims : el("p", {cls: "muted", text: t("No claims of your own yet: hilos claim add records one, with its source.")})
    ], "claims-block"));
    out.appendChild(grid);
  }

  // ---------------------------------------------------------------------------- the editor

  var yasgui = null;
  var queryTexts = {};

  function startEditor() {
    if (yasgui || !window.Yasgui) {
      if (!window.Yasgui) say(t("The SPARQL editor did not load."));
      return;
    }
    // DataTables' search parses each cell's text as HTML in the live page: a label such as
    // <img onerror=…> would try to run (the page's policy blocks it). The table's search is off.
    var table = window.Yasgui.Yasr && window.Yasgui.Yasr.plugins && window.Yasgui.Yasr.plugins.table;
    if (table && table.defaults) table.defaults.tableConfig.searching = false;
    var endpoint = location.origin + "/sparql";
    // Nothing leaves this server: the endpoint is our own, no prefix.cc or LOV look-ups, no
    // endpoint catalogue, no share link, no stored tabs of another page.
    yasgui = new window.Yasgui($("yasgui"), {
      requestConfig: {
        endpoint: endpoint,
        method: "POST",
        acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
        // the server words its errors (a syntax error's line and column) in the page's language
        headers: function () { return {"Accept-Language": lang()}; }
      },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: {getData: function () { return [{endpoint: endpoint}]; }},
      showEndpointButtons: false,
      persistenceId: null,
      yasqe: {
        autocompleters: ["variables"],
        createShareableLink: null,
        value: DEFAULT_QUERY
      },
      // DataTables' search box parses each cell's text as HTML in the live page: a label
      // such as <img onerror=…> would then try to run (the page's policy blocks it). The
      // table's own filter is off, so no cell is parsed.
      yasr: {prefixes: prefixMap()}
    });
    // the tab says so before its results are read: look once they are
    yasgui.on("queryResponse", function (instance, tab) { setTimeout(function () { showEditorError(tab); }, 0); });
    watchEditor($("yasgui"));
    loadExamples();
  }

  // ------------------------------------------------------------- the editor in the page's words

  // YASGUI writes its own English words (buttons, tooltips, the results' summary, the table's
  // pages) and has no hook for another language: a watcher over its container reads each word
  // it writes and shows it through t(), keeping the English beside to switch back. The query's
  // text (CodeMirror), the results (the table's body, its column names) and the server's answer
  // are data and are left as they are.
  function editorWords() {
    return {
      "Query": t("Query"),
      "Table": t("Table"),
      "Response": t("Response"),
      "Simple view": t("Simple view"),
      "Ellipse": t("Shorten long values"),
      "Page size:": t("Rows per page:"),
      "All": t("All"),
      "Settings": t("Settings"),
      "Request method": t("Request method"),
      "Accept Headers": t("Accept headers"),
      "Ask / Select": t("ASK and SELECT"),
      "Construct / Describe": t("CONSTRUCT and DESCRIBE"),
      "Arguments": t("Arguments"),
      "Header Arguments": t("Header arguments"),
      "Default Graphs": t("Default graphs"),
      "Named Graphs": t("Named graphs"),
      "Close tab": t("Close the tab"),
      "Add tab": t("Add a tab"),
      "Add a new tab": t("Add a tab"),
      "Open settings": t("Open the settings"),
      "Close settings": t("Close the settings"),
      "Clear endpoint": t("Clear the endpoint"),
      "Share query": t("Share the query"),
      "Run query": t("Run the query"),
      "Filter query results": t("Filter the results"),
      "Download result": t("Download the results"),
      "Download Results": t("Download the results"),
      "Download not supported": t("This view cannot be downloaded"),
      "Show all": t("Show all"),
      "Try query in a new browser window": t("Try the query in a new window"),
      "cannot render result": t("The results cannot be shown"),
      "No data available in table": t("No results"),
      "No matching records found": t("No results match"),
      "Loading...": t("Loading…"),
      "pagination": t("Pages"),
      "First": t("First page"),
      "Previous": t("Previous page"),
      "Next": t("Next page"),
      "Last": t("Last page"),
      "Rename Tab": t("Rename the tab"),
      "Copy Tab": t("Copy the tab"),
      "Close Tab": t("Close the tab"),
      "Close other tabs": t("Close the other tabs"),
      "Undo close Tab": t("Reopen the closed tab")
    };
  }

  // Words YASGUI builds from numbers and names: English pattern → the sentence in the page's
  // language, from the parts the pattern reads.
  function editorPatterns() {
    return [
      [/^(\S+) results? in (\S+) seconds?$/, function (m) {
        return t(m[1] === "1" ? "1 result in {seconds} s" : "{count} results in {seconds} s", {count: m[1], seconds: m[2]});
      }],
      [/^(\S+) results?$/, function (m) {
        return m[1] === "1" ? t("1 result") : t("{count} results", {count: m[1]});
      }],
      [/^Response in (\S+) seconds?$/, function (m) { return t("Answered in {seconds} s", {seconds: m[1]}); }],
      [/^Showing (\S+) to (\S+) of (\S+) entr(?:y|ies)$/, function (m) {
        return t("Rows {first} to {last} of {count}", {first: m[1], last: m[2], count: m[3]});
      }],
      [/^\(filtered from (\S+) total entr(?:y|ies)\)$/, function (m) { return t("(of {count} in all)", {count: m[1]}); }],
      [/^View documentation of (.+)$/, function (m) { return t("How the view {name} works", {name: editorWord(m[1])}); }],
      [/^Shows (.+) view$/, function (m) { return t("Show the view {name}", {name: editorWord(m[1])}); }],
      [/^(.*): Activate to sort$/, function (m) { return t("{column}: sort", {column: m[1]}); }],
      [/^(.*): Activate to invert sorting$/, function (m) { return t("{column}: sort the other way", {column: m[1]}); }],
      [/^(.*): Activate to remove sorting$/, function (m) { return t("{column}: stop sorting", {column: m[1]}); }]
    ];
  }

  var editorTable = null;

  // One of YASGUI's English texts in the page's language (the text itself if it is not one).
  function editorWord(text) {
    if (lang() === "en") return text;
    if (!editorTable || editorTable.catalogue !== WORDS) {
      editorTable = {catalogue: WORDS, words: editorWords(), patterns: editorPatterns()};
    }
    var bare = text.trim();
    if (Object.prototype.hasOwnProperty.call(editorTable.words, bare)) return editorTable.words[bare];
    for (var i = 0; i < editorTable.patterns.length; i++) {
      var match = editorTable.patterns[i][0].exec(bare);
      if (match) return editorTable.patterns[i][1](match);
    }
    return text;
  }

  var EDITOR_ATTRIBUTES = ["title", "placeholder", "aria-label"];
  // Data, not words of the editor: the query, the results' cells and column names, the
  // server's answer (the empty table's note is the editor's own)
  var EDITOR_DATA = ".CodeMirror, tbody tr:not(:has(> td.dt-empty)), .dt-column-title, pre, .yasr_results .CodeMirror";
  var editorShown = new WeakMap();  // node → {attribute or "#text" → {en, shown}}

  // Show a text or attribute of YASGUI in the page's language; `current` is what it holds now:
  // what we put there (its English is kept) or a new English text of YASGUI's.
  function editorShow(node, key, current, put) {
    var kept = editorShown.get(node);
    if (!kept) { kept = {}; editorShown.set(node, kept); }
    var english = kept[key] && kept[key].shown === current ? kept[key].en : current;
    var shown = editorWord(english);
    kept[key] = {en: english, shown: shown};
    if (shown !== current) put(shown);
  }

  function translateEditor(root) {
    if (!root) return;
    var element = root.nodeType === 1 ? root : root.parentElement;
    if (!element || element.closest(EDITOR_DATA)) return;
    if (root.nodeType === 3) {
      editorShow(root, "#text", root.nodeValue, function (value) { root.nodeValue = value; });
      return;
    }
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.nodeType === 1 && node.matches(EDITOR_DATA) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var node = root;
    while (node) {
      if (node.nodeType === 3) {
        if (node.nodeValue.trim()) {
          (function (text) {
            editorShow(text, "#text", text.nodeValue, function (value) { text.nodeValue = value; });
          })(node);
        }
      } else {
        EDITOR_ATTRIBUTES.forEach(function (name) {
          var el = node;
          if (el.hasAttribute(name)) {
            editorShow(el, name, el.getAttribute(name), function (value) { el.setAttribute(name, value); });
          }
        });
      }
      node = walker.nextNode();
    }
  }

  function watchEditor(container) {
    translateEditor(container);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        if (change.type === "childList") {
          Array.prototype.forEach.call(change.addedNodes, translateEditor);
        } else if (change.type === "characterData") {
          translateEditor(change.target);
        } else if (change.type === "attributes") {
          var target = change.target;
          if (target.closest(EDITOR_DATA) || !target.hasAttribute(change.attributeName)) return;
          editorShow(target, change.attributeName, target.getAttribute(change.attributeName), function (value) {
            target.setAttribute(change.attributeName, value);
          });
        }
      });
    }).observe(container, {
      childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: EDITOR_ATTRIBUTES
    });
  }

  var DEFAULT_QUERY = [
    "PREFIX hilos: <https://w3id.org/hilos/ontology#>",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
    "",
    "SELECT ?mayor ?label WHERE {",
    "  ?mayor a hilos:Mayor ; rdfs:label ?label .",
    "  FILTER(LANGMATCHES(LANG(?label), \"en\"))",
    "}",
    "ORDER BY ?label"
  ].join("\n");

  function prefixMap() {
    var map = {};
    PREFIXES.forEach(function (p) { map[p[0].replace(":", "")] = p[1]; });
    return map;
  }

  // The server's own error, under the editor, at the line it names (if it names one).
  function showEditorError(tab) {
    var line = $("sparql-error");
    var response = tab && tab.getYasr ? tab.getYasr().results : null;
    var error = response && response.getError ? response.getError() : null;
    if (!error) { line.hidden = true; line.textContent = ""; return; }
    var sent = response.getOriginalResponseAsString ? response.getOriginalResponseAsString() : "";
    var text = String(sent || error.text || error.statusText || error.message || error).trim();
    line.textContent = t("The endpoint refused the query: {error}", {error: text});
    line.hidden = false;
    var at = /\b(?:line|línea) (\d+)/i.exec(text);
    var yasqe = tab.getYasqe();
    if (at && yasqe) {
      var number = Math.max(0, parseInt(at[1], 10) - 1);
      yasqe.setCursor({line: number, ch: 0});
      yasqe.addLineClass(number, "background", "error-line");
      setTimeout(function () { yasqe.removeLineClass(number, "background", "error-line"); }, 4000);
    }
  }

  async function loadExamples() {
    try {
      var list = await getJSON("/api/queries");
      var select = $("sparql-examples");
      list.forEach(function (query) {
        select.appendChild(el("option", {text: query.title || query.name, attrs: {value: query.name}}));
      });
    } catch (error) {
      say(error.message);
    }
  }

  // A library query in the editor, with its text as the library holds it.
  async function openInEditor(name) {
    showTab("sparql");
    if (!yasgui) return;
    if (!queryTexts[name]) {
      var response = await fetch("/api/queries/text?" + new URLSearchParams({name: name}).toString());
      if (!response.ok) { say((await response.text()).trim()); return; }
      queryTexts[name] = await response.text();
    }
    var tab = yasgui.getTab();
    tab.setQuery(queryTexts[name]);
    $("sparql-examples").value = name;
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
    $("sparql-examples").addEventListener("change", function () {
      if ($("sparql-examples").value) openInEditor($("sparql-examples").value);
    });
    $("ego-hops").addEventListener("change", function () { if (egoOf) showEgo(egoOf.id, egoOf.label); });
    $("ego-close").addEventListener("click", function () {
      $("ego").hidden = true;
      $("ego-frame").removeAttribute("src");
      egoOf = null;
    });
    $("lang").addEventListener("change", async function () {
      try { localStorage.setItem(LANG_KEY, lang()); } catch (e) { /* not kept: asked again next visit */ }
      await useLanguage(lang());
      translateEditor($("yasgui"));
      showEditing();
      home = null;
      if (!$("panel-home").hidden) loadHome();
      if (egoOf) showEgo(egoOf.id, egoOf.label);
      if (current) openCard(current.id);
    });
    var kept = null;
    try { kept = localStorage.getItem(LANG_KEY); } catch (e) { kept = null; }
    Promise.resolve()
      .then(function () { return useLanguage(kept); })
      .catch(function (error) { say(error.message); })
      .then(function () { return loadWords().catch(function () { return null; }); })
      .then(function () {
        translate();
        startEditingBar();
        var match = /^#entity=(.+)$/.exec(location.hash);
        if (match) openCard(decodeURIComponent(match[1])); else showTab("home");
        window.hilosExplorer = {openCard: openCard, showTab: showTab, t: t};
        window.hilosExplorerReady = true;
      });
  }

  start();
})();
