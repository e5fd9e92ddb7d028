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
    var key = STATUSES.indexOf(status) >= 0 || status === "retracted" ? status : "none";
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
    if (lastResult) {
      card.appendChild(el("p", {cls: "result", text: lastResult, attrs: {role: "status"}}));
      lastResult = "";
    }
    card.appendChild(el("h2", {text: data.label}));
    card.appendChild(el("p", {cls: "iri"}, [el("code", {text: data.id})]));
    var facts = el("dl", {cls: "facts"});
    [
      row("Types", data.types.join(", ")),
      row("Sphere", data.spheres.map(sphereBadge)),
      row("Names", data.labels.map(function (l) { return l.lang ? l.value + " (" + l.lang + ")" : l.value; })),
      row("Aliases", data.aliases.map(function (l) { return l.value; }).filter(function (v, i, all) { return all.indexOf(v) === i; }))
    ].concat(data.statements.map(function (s) {
      // when an entity of the user's was recorded, in words rather than by its PROV property
      if (compact(s.property) === "prov:generatedAtTime") return row(t("card.recorded"), moment(s.value));
      return row(compact(s.property), s.value);
    }))
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
    if (canWrite()) card.appendChild(cardTools(data));

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
    if (tie.qualifiers && tie.qualifiers.length) {
      facts.push(el("span", {cls: "qualifiers", text: tie.qualifiers.map(qualifierName).join(", ")}));
    }
    var item = el("li", {cls: "tie", attrs: {"data-tie": tie.tie}}, [head, el("p", {cls: "tie-facts"}, facts)]);
    if (tie.market) item.appendChild(el("p", {cls: "small", text: "market: " + tie.market}));
    if (tie.relation_text) item.appendChild(el("p", {cls: "small", text: "relation: " + tie.relation_text}));
    if (tie.quote) item.appendChild(el("blockquote", {cls: "quote", text: tie.quote}));
    var cited = tie.sources.map(function (s) { return s.citation; }).join("; ") || "no source";
    item.appendChild(el("p", {cls: "source", text: "Source: " + cited + (tie.locator ? " — " + tie.locator : "")}));
    if (tie.status === "retracted") {
      item.classList.add("retracted");
      item.appendChild(el("p", {cls: "reason", text: t("tie.retracted", {reason: tie.reason || "—"})}));
    }
    if (tie.graph) {
      item.appendChild(el("p", {cls: "small yours", text: t("tie.yours", {id: tie.short_id, graph: tie.graph})}));
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

  // ------------------------------------------------------------------------- your changes
  // On a server started with --allow-update: the token, pasted once, is kept in this tab's
  // sessionStorage and sent in the Authorization header of each write (never in a URL).

  var STRINGS = {
    en: {
      "editing.title": "Your changes",
      "editing.intro": "This server takes changes to your own graph. Paste the token that hilos serve printed (or $HILOS_SERVE_TOKEN) once; it stays in this tab only.",
      "token.label": "Token",
      "token.use": "Use the token",
      "token.forget": "Forget the token",
      "token.checking": "Checking the token…",
      "token.ok": "Changes on: open an entity's card to add or correct claims.",
      "token.wrong": "The server refused this token.",
      "token.refused": "The server refused the token: paste it again.",
      "undo.button": "Undo the last change…",
      "undo.looking": "Reading the journal of {graph}…",
      "undo.will": "This will undo change {n} of {graph} ({action}, {time}): {what}.",
      "undo.confirm": "Undo it",
      "undo.cancel": "Cancel",
      "undo.nothing": "Nothing to undo in {graph}.",
      "undo.done": "Undone: change {n} of {graph} ({action}): {what}. The undo is change {m} of the journal; nothing is lost.",
      "tools.title": "Your changes to this card",
      "tools.claim": "Add a claim",
      "tools.entity": "Add an entity",
      "tools.merge": "Merge with…",
      "field.direction": "Direction",
      "direction.out": "{name} → the other",
      "direction.in": "the other → {name}",
      "field.relation": "Relation",
      "field.other": "The other entity (a name or id)",
      "field.source": "Source: who or what says it",
      "field.quote": "Quote",
      "field.locator": "Locator: page, minute, paragraph",
      "field.status": "Status",
      "field.confidence": "Confidence, 0 to 1",
      "field.start": "Start: YYYY, YYYY-MM or YYYY-MM-DD",
      "field.end": "End",
      "field.qualifier": "Qualifier",
      "field.create": "Type of the new entity",
      "field.name": "Name",
      "field.type": "Type",
      "field.alias": "Aliases, separated by ;",
      "field.label-es": "Name in Spanish",
      "field.sphere": "Sphere",
      "field.reason": "Reason",
      "field.why": "Why it changes (kept in the journal)",
      "option.none": "(none)",
      "option.actors": "Actors",
      "option.places": "Places",
      "submit.claim": "Add the claim",
      "submit.entity": "Add the entity",
      "submit.merge": "Record that they are one",
      "submit.edit": "Save a new version",
      "submit.retract": "Retract the claim",
      "tie.edit": "Edit",
      "tie.retract": "Retract",
      "tie.history": "History",
      "tie.yours": "Your claim {id} (graph {graph})",
      "tie.retracted": "Retracted because: {reason}",
      "unknown": "No entity is called “{name}”: choose its type below to create it, then send again.",
      "ambiguous": "Several entities have that name; choose one:",
      "nothing": "Nothing to change: change a field first.",
      "required": "Fill in: {field}.",
      "working": "Writing…",
      "result.add": "Added {id}: {what} (change {n} of {graph}).",
      "result.edit": "Saved a new version of {id}: {what} (change {n} of {graph}).",
      "result.retract": "Retracted {id}: {what} (change {n} of {graph}).",
      "result.entity": "Added {id}: {name} (change {n} of {graph}).",
      "result.merge": "Recorded {id}: {what} (change {n} of {graph}).",
      "history.loading": "Reading the history…",
      "history.title": "Versions of {id}, newest first",
      "history.current": "Current, since {since}",
      "history.old": "From {since} until {until}",
      "history.source": "Source: {sources}",
      "history.reason": "Reason: {reason}",
      "history.changes": "Journal",
      "history.change": "Change {n}",
      "card.recorded": "Recorded",
      "close": "Close"
    },
    es: {
      "editing.title": "Tus cambios",
      "editing.intro": "Este servidor acepta cambios en tu propio grafo. Pega una vez el token que imprimió hilos serve (o $HILOS_SERVE_TOKEN); se queda solo en esta pestaña.",
      "token.label": "Token",
      "token.use": "Usar el token",
      "token.forget": "Olvidar el token",
      "token.checking": "Comprobando el token…",
      "token.ok": "Cambios activados: abre la ficha de una entidad para añadir o corregir afirmaciones.",
      "token.wrong": "El servidor rechazó este token.",
      "token.refused": "El servidor rechazó el token: pégalo de nuevo.",
      "undo.button": "Deshacer el último cambio…",
      "undo.looking": "Leyendo el registro de {graph}…",
      "undo.will": "Se deshará el cambio {n} de {graph} ({action}, {time}): {what}.",
      "undo.confirm": "Deshacerlo",
      "undo.cancel": "Cancelar",
      "undo.nothing": "No hay nada que deshacer en {graph}.",
      "undo.done": "Deshecho: cambio {n} de {graph} ({action}): {what}. La anulación es el cambio {m} del registro; no se pierde nada.",
      "tools.title": "Tus cambios en esta ficha",
      "tools.claim": "Añadir una afirmación",
      "tools.entity": "Añadir una entidad",
      "tools.merge": "Fusionar con…",
      "field.direction": "Dirección",
      "direction.out": "{name} → la otra",
      "direction.in": "la otra → {name}",
      "field.relation": "Relación",
      "field.other": "La otra entidad (un nombre o id)",
      "field.source": "Fuente: quién o qué lo dice",
      "field.quote": "Cita",
      "field.locator": "Ubicación: página, minuto, párrafo",
      "field.status": "Estado",
      "field.confidence": "Confianza, de 0 a 1",
      "field.start": "Inicio: AAAA, AAAA-MM o AAAA-MM-DD",
      "field.end": "Fin",
      "field.qualifier": "Matiz",
      "field.create": "Tipo de la entidad nueva",
      "field.name": "Nombre",
      "field.type": "Tipo",
      "field.alias": "Alias, separados por ;",
      "field.label-es": "Nombre en español",
      "field.sphere": "Esfera",
      "field.reason": "Motivo",
      "field.why": "Por qué cambia (queda en el registro)",
      "option.none": "(ninguno)",
      "option.actors": "Actores",
      "option.places": "Lugares",
      "submit.claim": "Añadir la afirmación",
      "submit.entity": "Añadir la entidad",
      "submit.merge": "Registrar que son una sola",
      "submit.edit": "Guardar una versión nueva",
      "submit.retract": "Retirar la afirmación",
      "tie.edit": "Editar",
      "tie.retract": "Retirar",
      "tie.history": "Historial",
      "tie.yours": "Tu afirmación {id} (grafo {graph})",
      "tie.retracted": "Retirada porque: {reason}",
      "unknown": "Ninguna entidad se llama «{name}»: elige su tipo abajo para crearla y envía de nuevo.",
      "ambiguous": "Varias entidades tienen ese nombre; elige una:",
      "nothing": "Nada que cambiar: modifica antes algún campo.",
      "required": "Falta: {field}.",
      "working": "Guardando…",
      "result.add": "Añadida {id}: {what} (cambio {n} de {graph}).",
      "result.edit": "Guardada una versión nueva de {id}: {what} (cambio {n} de {graph}).",
      "result.retract": "Retirada {id}: {what} (cambio {n} de {graph}).",
      "result.entity": "Añadida {id}: {name} (cambio {n} de {graph}).",
      "result.merge": "Registrada {id}: {what} (cambio {n} de {graph}).",
      "history.loading": "Leyendo el historial…",
      "history.title": "Versiones de {id}, de la más reciente a la más antigua",
      "history.current": "Vigente desde {since}",
      "history.old": "Desde {since} hasta {until}",
      "history.source": "Fuente: {sources}",
      "history.reason": "Motivo: {reason}",
      "history.changes": "Registro",
      "history.change": "Cambio {n}",
      "card.recorded": "Registrada",
      "close": "Cerrar"
    }
  };
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

  function t(key, values) {
    var table = STRINGS[lang()] || STRINGS.en;
    var text = table[key] !== undefined ? table[key] : STRINGS.en[key];
    if (text === undefined) text = key;
    return text.replace(/\{([a-z]+)\}/g, function (all, name) {
      return values && values[name] !== undefined && values[name] !== null ? String(values[name]) : all;
    });
  }

  function translate(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("[data-t]"), function (node) {
      node.textContent = t(node.getAttribute("data-t"));
    });
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
        error.message = t("token.refused") + " (" + error.message + ")";
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
    if (options.empty) select.appendChild(el("option", {text: t("option.none"), attrs: {value: ""}}));
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
    if (empty) select.appendChild(el("option", {text: t("option.none"), attrs: {value: ""}}));
    [["actor", "option.actors"], ["place", "option.places"]].forEach(function (kind) {
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
        var error = new Error(t("required", {field: t(names[i][1])}));
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
    button.textContent = t("working");
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
    function opener(key, make) {
      var build = {key: key, make: make};
      var node = button(t(key), function () { toggle(pane, build); }, "action");
      node.setAttribute("data-tool", key);
      return node;
    }
    return el("section", {cls: "card-tools", attrs: {"aria-label": t("tools.title")}}, [
      el("p", {cls: "actions"}, [
        opener("tools.claim", function () { return claimForm(data); }),
        opener("tools.entity", function () { return entityForm(); }),
        opener("tools.merge", function () { return mergeForm(data); })
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
      el("option", {text: t("direction.out", {name: data.label}), attrs: {value: "out"}}),
      el("option", {text: t("direction.in", {name: data.label}), attrs: {value: "in"}})
    ]);
    var statuses = words.statuses.filter(function (s) { return s.name !== "retracted"; });
    var form = editForm("claim-form", [
      labelled("field.direction", direction),
      labelled("field.relation", choice("relation", words.ties, {sort: true})),
      labelled("field.other", input("other", {required: true})),
      choices,
      createBox,
      labelled("field.source", input("source", {required: true}), true),
      labelled("field.quote", input("quote", {multiline: true}), true),
      labelled("field.locator", input("locator")),
      labelled("field.status", choice("status", statuses, {value: "reported", short: true})),
      labelled("field.confidence", input("confidence", {inputmode: "decimal", placeholder: "0.8"})),
      labelled("field.start", input("start", {placeholder: "2014-09-26"})),
      labelled("field.end", input("end")),
      labelled("field.qualifier", choice("qualifier", words.qualifiers, {empty: true, short: true}))
    ], "submit.claim");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!required(form, [["other", "field.other"], ["source", "field.source"]])) return;
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
        lastResult = t("result.add", {id: done.claim.short_id, what: claimWords(done.claim), n: done.change.number, graph: done.change.graph});
        await openCard(data.id);
      });
    });
    return form;
  }

  // After an unknown name, offer its type; after an ambiguous one, its candidates.
  function offerHelp(form, error, createBox, choices) {
    var details = error.details || {};
    if (error.status === 404 && details.create) {
      error.message = t("unknown", {name: form.elements.namedItem("other").value});
      clear(createBox).appendChild(labelled("field.create", typeChoice(details.create, false)));
      createBox.hidden = false;
      details.field = details.create;
    }
    if (details.candidates && details.candidates.length) {
      error.message = t("ambiguous");
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
      labelled("field.name", input("name", {required: true})),
      labelled("field.type", typeChoice("type", false)),
      labelled("field.alias", input("alias")),
      labelled("field.label-es", input("label-es")),
      labelled("field.sphere", choice("sphere", spheres, {empty: true, short: true}))
    ], "submit.entity");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!required(form, [["name", "field.name"]])) return;
      var aliases = value(form, "alias").split(";").map(function (a) { return a.trim(); }).filter(Boolean);
      submitting(form, async function () {
        var done = await send(API.addEntity, {
          name: value(form, "name"),
          type: value(form, "type"),
          alias: aliases.length ? aliases : null,
          "label-es": value(form, "label-es") || null,
          sphere: value(form, "sphere") || null
        });
        lastResult = t("result.entity", {id: done.entity.short_id, name: done.entity.label, n: done.change.number, graph: done.change.graph});
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
      labelled("field.other", input("other", {required: true})),
      choices,
      labelled("field.source", input("source", {required: true}), true),
      labelled("field.quote", input("quote", {multiline: true}), true),
      labelled("field.status", choice("status", statuses, {value: "reported", short: true}))
    ], "submit.merge");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!required(form, [["other", "field.other"], ["source", "field.source"]])) return;
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
        lastResult = t("result.merge", {id: done.claim.short_id, what: claimWords(done.claim), n: done.change.number, graph: done.change.graph});
        await openCard(data.id);
      });
    });
    return form;
  }

  // The tools of one of the user's own claims on a card: edit, retract, history.
  function tieTools(tie) {
    var pane = el("div", {cls: "tool-pane"});
    function opener(key, make) {
      var build = {key: key, make: make};
      var node = button(t(key), function () { toggle(pane, build); }, "link");
      node.setAttribute("data-tool", key);
      return node;
    }
    var tools = [opener("tie.history", function () { return historyPane(tie); })];
    if (tie.status !== "retracted") {
      tools.unshift(opener("tie.retract", function () { return retractForm(tie); }));
    }
    tools.unshift(opener("tie.edit", function () { return tieEditForm(tie); }));
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
      labelled("field.relation", choice("relation", words.ties, {value: initial.relation, sort: true})),
      labelled("field.status", choice("status", statuses, {value: initial.status, short: true})),
      labelled("field.source", input("source", {value: initial.source}), true),
      labelled("field.quote", input("quote", {multiline: true, value: initial.quote}), true),
      labelled("field.locator", input("locator", {value: initial.locator})),
      labelled("field.confidence", input("confidence", {inputmode: "decimal", value: initial.confidence})),
      labelled("field.start", input("start", {value: initial.start})),
      labelled("field.end", input("end", {value: initial.end})),
      labelled("field.qualifier", choice("qualifier", words.qualifiers, {empty: true, short: true, value: initial.qualifier})),
      labelled("field.why", input("reason"), true)
    ], "submit.edit");
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
        formError(form, new Error(t("nothing")));
        return;
      }
      if (value(form, "reason")) fields.reason = value(form, "reason");
      submitting(form, async function () {
        var done = await send(API.editClaim, fields);
        lastResult = t("result.edit", {id: done.claim.short_id, what: claimWords(done.claim), n: done.change.number, graph: done.change.graph});
        await openCard(current.id);
      });
    });
    return form;
  }

  function retractForm(tie) {
    var form = editForm("retract-form", [
      labelled("field.reason", input("reason", {required: true}), true)
    ], "submit.retract");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!required(form, [["reason", "field.reason"]])) return;
      submitting(form, async function () {
        var done = await send(API.retractClaim, {id: tie.tie, reason: value(form, "reason")});
        lastResult = t("result.retract", {id: done.claim.short_id, what: claimWords(done.claim), n: done.change.number, graph: done.change.graph});
        await openCard(current.id);
      });
    });
    return form;
  }

  function historyPane(tie) {
    var pane = el("div", {cls: "history"}, [el("p", {cls: "muted", text: t("history.loading")})]);
    read(API.history, {id: tie.tie, lang: lang()}).then(function (data) {
      clear(pane);
      pane.appendChild(el("h4", {text: t("history.title", {id: data.short_id})}));
      var list = el("ol", {cls: "versions"});
      data.versions.forEach(function (version) {
        var item = el("li", {cls: version.current ? "version current" : "version"}, [
          el("p", {cls: "version-head"}, [
            el("strong", {text: version.current ? t("history.current", {since: moment(version.since)})
              : t("history.old", {since: moment(version.since), until: moment(version.until)})}),
            " ",
            statusBadge(version.status)
          ]),
          el("p", {cls: "small", text: version.from + " → " + compact(version.relation).replace(/^hilos:/, "") + " → " + version.to})
        ]);
        if (version.quote) item.appendChild(el("blockquote", {cls: "quote", text: version.quote}));
        item.appendChild(el("p", {cls: "source", text: t("history.source", {sources: version.sources.join("; ") || "—"})}));
        if (version.reason) item.appendChild(el("p", {cls: "reason", text: t("history.reason", {reason: version.reason})}));
        list.appendChild(item);
      });
      pane.appendChild(list);
      if (data.changes.length) {
        pane.appendChild(el("h4", {text: t("history.changes")}));
        pane.appendChild(el("ul", {cls: "journal"}, data.changes.slice().reverse().map(function (change) {
          return el("li", {text: t("history.change", {n: change.number}) + ", " + moment(change.time) +
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
    $("editing-state").textContent = on ? t("token.ok") : "";
  }

  async function useToken(text) {
    var note = $("token-note");
    note.textContent = t("token.checking");
    keepToken(text.trim());
    try {
      var answer = await read(API.session);
      if (answer.authorised !== true) throw new Error(t("token.wrong"));
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
    pane.appendChild(el("p", {cls: "muted", text: t("undo.looking", {graph: graph})}));
    try {
      var data = await read(API.journal, {graph: graph, lang: lang()});
      clear(pane);
      if (!data.next) {
        pane.appendChild(el("p", {cls: "undo-note", text: t("undo.nothing", {graph: graph})}));
        return;
      }
      var next = data.next;
      pane.appendChild(el("p", {cls: "undo-note", text: t("undo.will", {
        n: next.number, graph: graph, action: next.action, time: moment(next.time), what: next.what || next.short_changed || "—"
      })}));
      var confirm = button(t("undo.confirm"), function () { runUndo(graph, next.number); }, "action");
      confirm.id = "undo-confirm";
      pane.appendChild(el("p", {cls: "actions"}, [
        confirm,
        button(t("undo.cancel"), function () { clear(pane); }, "action")
      ]));
    } catch (error) {
      clear(pane).appendChild(el("p", {cls: "form-error", text: error.message}));
    }
  }

  async function runUndo(graph, number) {
    var pane = $("undo-pane");
    try {
      var done = await send(API.undo, {graph: graph, change: String(number)});
      clear(pane).appendChild(el("p", {cls: "undo-note result", attrs: {role: "status"}, text: t("undo.done", {
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
    $("lang").addEventListener("change", function () {
      showEditing();
      if (current) openCard(current.id);
    });
    startEditingBar();
    var match = /^#entity=(.+)$/.exec(location.hash);
    if (match) openCard(decodeURIComponent(match[1]));
    window.hilosExplorer = {openCard: openCard, showTab: showTab, strings: STRINGS};
    window.hilosExplorerReady = true;
  }

  start();
})();
