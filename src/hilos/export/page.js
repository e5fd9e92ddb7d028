/* The hilos network page. Every string from the data reaches the document through textContent,
   createTextNode or an attribute set with setAttribute: never as HTML. Tooltips are elements. */
(function () {
  "use strict";

  // The data comes in columns, its repeated strings as indexes into tables (see html.py);
  // here it becomes one record per node, tie and source, as hilos.export.html.page_rows
  // rebuilds them in Python.
  var data = rows(JSON.parse(document.getElementById("hilos-data").textContent));
  var meta = data.meta;
  var style = data.style;
  var nodesData = data.nodes;
  var tiesData = data.ties;
  var large = !meta.physics;
  var SVG = "http://www.w3.org/2000/svg";

  // ------------------------------------------------------------------------------- helpers

  function rows(columns) {
    var tables = columns.tables, ns = tables.ns, langs = tables.lang;
    function pick(table, list) { return list.map(function (k) { return table[k]; }); }
    function named(entries, label) {
      return entries.map(function (e) { return typeof e === "number" ? [langs[e], label] : [langs[e[0]], e[1]]; });
    }
    var n = columns.nodes, t = columns.ties, s = columns.sources;
    var nodes = new Array(n.label.length);
    for (var i = 0; i < nodes.length; i++) {
      var label = n.label[i];
      nodes[i] = {
        id: ns[n.ns[i]] + n.local[i], label: label, x: n.x[i], y: n.y[i], size: n.size[i],
        score: n.score ? n.score[i] : null, sphere: tables.sphere[n.sphere[i]],
        spheres: pick(tables.sphere, n.spheres[i]), kind: columns.style.kinds[n.kind[i]].key,
        types: pick(tables.type, n.types[i]), names: named(n.names[i], label),
        aliases: named(n.aliases[i], label), notes: n.notes[i]
      };
    }
    var onPath = Object.create(null);
    if (columns.meta.path) columns.meta.path.ties.forEach(function (id) { onPath[id] = true; });
    var ties = new Array(t.from.length);
    for (var j = 0; j < ties.length; j++) {
      var relation = columns.style.relations[t.relation[j]];
      var id = ns[t.ns[j]] + t.local[j];
      ties[j] = {
        id: id, from: t.from[j], to: t.to[j], relation: relation.key, type: relation.label,
        family: relation.family, status: tables.status[t.status[j]], confidence: t.confidence[j],
        score: t.score[j], start: t.start[j], end: t.end[j], quotes: t.quotes[j],
        locators: t.locators[j], sources: t.sources[j], markets: pick(tables.market, t.markets[j]),
        text: t.text[j], qualifiers: pick(tables.qualifier, t.qualifiers[j]), period: t.period[j],
        note: t.note[j], path: onPath[id] === true, bend: t.bend[j]
      };
    }
    var sources = s.citation.map(function (citation, k) { return { id: ns[s.ns[k]] + s.local[k], citation: citation }; });
    return { meta: columns.meta, style: columns.style, nodes: nodes, ties: ties, sources: sources };
  }

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

  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    return node;
  }

  function byKey(list) {
    var out = {};
    list.forEach(function (item) { out[item.key] = item; });
    return out;
  }

  var spheres = byKey(style.spheres);
  var kinds = byKey(style.kinds);
  var families = byKey(style.families);
  var statuses = byKey(style.statuses);

  function sphereKey(node) { return node.sphere && spheres[node.sphere] ? node.sphere : "none"; }
  function statusKey(tie) { return tie.status && statuses[tie.status] ? tie.status : "none"; }
  function sphereColour(key) { return (spheres[key] || spheres.none).colour; }

  function shade(hex, factor) {
    var n = parseInt(hex.slice(1), 16);
    var r = Math.round(((n >> 16) & 255) * factor);
    var g = Math.round(((n >> 8) & 255) * factor);
    var b = Math.round((n & 255) * factor);
    return "#" + ((1 << 24) + (r << 16) + (g << 8) + b).toString(16).slice(1);
  }

  function normalise(text) {
    return String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  function year(date) { return date ? parseInt(String(date).slice(0, 4), 10) : null; }

  function when(tie) {
    if (!tie.start && !tie.end) return null;
    if (tie.start && tie.end && tie.start === tie.end) return tie.start;
    return (tie.start || "…") + " – " + (tie.end || "…");
  }

  function kindLabel(node) { return (kinds[node.kind] || kinds.other).label; }

  function sphereLabels(node) {
    if (!node.spheres.length) return spheres.none.label;
    return node.spheres.map(function (s) { return spheres[s] ? spheres[s].label : s; }).join(" → ");
  }

  function citations(tie) {
    return tie.sources.map(function (i) { return data.sources[i].citation; });
  }

  // Which ties touch each node.
  var tiesOf = nodesData.map(function () { return []; });
  tiesData.forEach(function (tie, j) {
    tiesOf[tie.from].push(j);
    if (tie.to !== tie.from) tiesOf[tie.to].push(j);
  });

  // ------------------------------------------------------------------------------- tooltips

  function nodeTip(node, i) {
    return el("div", { cls: "tip" }, [
      el("strong", { text: node.label }),
      el("div", { text: kindLabel(node) + " · " + sphereLabels(node) }),
      node.types.length ? el("div", { text: node.types.join(", ") }) : null,
      el("div", { cls: "hint", text: tiesOf[i].length + " tie(s) · click for the card and evidence" })
    ]);
  }

  function tieTip(tie) {
    var cited = citations(tie);
    return el("div", { cls: "tip" }, [
      el("strong", { text: tie.type }),
      el("div", { text: nodesData[tie.from].label + " → " + nodesData[tie.to].label }),
      el("div", { text: statuses[statusKey(tie)].label + (when(tie) ? " · " + when(tie) : "") }),
      cited.length ? el("div", { text: cited.join("; ") }) : null,
      el("div", { cls: "hint", text: "Click for the evidence" })
    ]);
  }

  // ------------------------------------------------------------------------------- vis data

  var pathNodes = {};
  var pathTies = {};
  if (meta.path) {
    meta.path.nodes.forEach(function (i) { pathNodes[i] = true; });
    meta.path.ties.forEach(function (id) { pathTies[id] = true; });
  }
  var highlightPath = !!meta.path;

  function nodeItem(node, i) {
    var fill = sphereColour(sphereKey(node));
    var drift = node.spheres.length > 1;
    var border = drift ? sphereColour(node.spheres[1]) : shade(fill, 0.7);
    var onPath = pathNodes[i];
    var item = {
      id: i,
      label: node.label,
      x: node.x,
      y: node.y,
      size: node.size,
      shape: (kinds[node.kind] || kinds.other).shape,
      borderWidth: onPath && highlightPath ? 5 : drift ? 4 : 1.5,
      color: {
        background: fill,
        border: onPath && highlightPath ? style.path : border,
        highlight: { background: fill, border: "#000000" },
        hover: { background: fill, border: "#000000" }
      },
      opacity: highlightPath && !onPath ? 0.35 : 1,
      title: nodeTip(node, i)
    };
    if (meta.focus && meta.focus.node === i) item.borderWidth = Math.max(item.borderWidth, 4);
    return item;
  }

  function tieItem(tie, j) {
    var status = statuses[statusKey(tie)];
    var family = families[tie.family] || families.other;
    var colour = status.colour || family.colour;
    var onPath = !!pathTies[tie.id];
    var item = {
      id: j,
      from: tie.from,
      to: tie.to,
      width: 1 + 4 * (tie.score || 0) + (onPath && highlightPath ? 4 : 0),
      dashes: status.dashes || false,
      color: {
        color: onPath && highlightPath ? style.path : colour,
        highlight: "#000000",
        hover: shade(colour, 0.6),
        opacity: highlightPath && !onPath ? 0.25 : 1
      },
      arrows: { to: { enabled: true, scaleFactor: 0.55 } },
      title: tieTip(tie)
    };
    if (status.marker) {
      item.label = status.marker;
      item.font = { size: 15, color: status.colour || family.colour, strokeWidth: 4, strokeColor: "#ffffff", align: "middle" };
    }
    if (tie.bend) {
      item.smooth = { enabled: true, type: tie.bend > 0 ? "curvedCW" : "curvedCCW", roundness: Math.abs(tie.bend) };
    } else {
      item.smooth = false;
    }
    return item;
  }

  var nodes = new vis.DataSet(nodesData.map(nodeItem));
  var edges = new vis.DataSet(tiesData.map(tieItem));

  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: meta.seed },
    physics: large ? false : {
      enabled: true,
      // ForceAtlas2 spreads the hubs of a collusion network better than Barnes-Hut and keeps
      // the small components near the big one; it starts from the Python layout.
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -80, centralGravity: 0.015, springLength: 90, springConstant: 0.06, damping: 0.5, avoidOverlap: 0.4 },
      stabilization: { enabled: true, iterations: 250, updateInterval: 50, fit: true },
      minVelocity: 1
    },
    interaction: {
      // Hover highlighting redraws the network; on a large one a redraw between a press and its
      // release makes the press too long to count as a click. Tooltips work either way.
      hover: !large,
      tooltipDelay: 150,
      hideEdgesOnDrag: large,
      hideEdgesOnZoom: large,
      multiselect: false,
      navigationButtons: false,
      keyboard: false
    },
    nodes: {
      font: { size: 14, face: "system-ui, 'Noto Sans', 'DejaVu Sans', sans-serif", color: "#1d1d1f", strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { enabled: false, drawThreshold: large ? 9 : 5 } }
    },
    edges: { selectionWidth: 2, hoverWidth: 1 }
  };


  // ------------------------------------------------------------------------------- panel

  var panel = document.getElementById("panel");
  var current = null;

  function clearPanel() {
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    panel.scrollTop = 0;
  }

  function nodeLink(i) {
    var button = el("button", { cls: "link", text: nodesData[i].label, attrs: { type: "button" } });
    button.addEventListener("click", function () { selectNode(i, true); });
    return button;
  }

  function tieLink(j, text) {
    var button = el("button", { cls: "link", text: text, attrs: { type: "button" } });
    button.addEventListener("click", function () { selectTie(j, true); });
    return button;
  }

  function statusBadge(tie) {
    var key = statusKey(tie);
    return el("span", { cls: "badge status-" + key, text: statuses[key].label });
  }

  function sphereBadge(key) {
    var badge = el("span", { cls: "badge sphere", text: spheres[key] ? spheres[key].label : key });
    badge.style.background = sphereColour(key);
    if (key === "civil") badge.style.color = "#1d1d1f";
    return badge;
  }

  function backButton() {
    var button = el("button", { cls: "link back", text: "← Overview", attrs: { type: "button" } });
    button.addEventListener("click", function () { network.unselectAll(); showOverview(); });
    return button;
  }

  function definitions(rows) {
    var list = el("dl");
    rows.forEach(function (row) {
      if (row[1] === null || row[1] === undefined || row[1] === "") return;
      list.appendChild(el("dt", { text: row[0] }));
      var dd = el("dd");
      if (typeof row[1] === "string" || typeof row[1] === "number") dd.textContent = String(row[1]);
      else dd.appendChild(row[1]);
      list.appendChild(dd);
    });
    return list;
  }

  function evidenceBlock(tie) {
    var block = el("div", { cls: "evidence" });
    tie.quotes.forEach(function (quote) { block.appendChild(el("blockquote", { text: quote })); });
    var cited = citations(tie);
    if (cited.length || tie.locators.length) {
      var list = el("ul", { cls: "sources" });
      tie.sources.forEach(function (i) { list.appendChild(el("li", { text: data.sources[i].citation })); });
      if (!tie.sources.length) list.appendChild(el("li", { cls: "muted", text: "no source" }));
      block.appendChild(list);
      if (tie.locators.length) block.appendChild(el("p", { cls: "muted", text: "Where: " + tie.locators.join("; ") }));
    } else {
      block.appendChild(el("p", { cls: "muted", text: "No source is recorded for this tie." }));
    }
    return block;
  }

  function showOverview() {
    current = null;
    clearPanel();
    panel.appendChild(el("h2", { text: meta.title }));
    panel.appendChild(el("p", {
      text: nodesData.length + " entities and " + tiesData.length + " ties, every tie a sourced claim. " +
        "Click an entity or a tie to see its evidence; search by name or alias above."
    }));
    if (meta.focus) {
      panel.appendChild(el("p", {}, [
        "Showing what lies within " + meta.focus.hops + " tie(s) of ", nodeLink(meta.focus.node),
        meta.focus.directed ? " (following ties in their direction only)." : "."
      ]));
    }
    if (meta.path) {
      var box = el("div", { cls: "path-note" });
      box.appendChild(el("h3", { text: "Best evidence path" }));
      box.appendChild(el("p", {
        text: "Score " + meta.path.score + " (the product of its ties' evidence scores: status weight × confidence), " +
          meta.path.ties.length + " hop(s)."
      }));
      var hops = el("ol", { cls: "hops" });
      meta.path.ties.forEach(function (id, h) {
        var j = tieIndex[id];
        var tie = tiesData[j];
        var a = meta.path.nodes[h], b = meta.path.nodes[h + 1];
        hops.appendChild(el("li", {}, [
          el("div", { cls: "tie-head" }, [nodeLink(a), " " + (meta.path.forward[h] ? "→" : "←") + " ", tieLink(j, tie.type),
            " " + (meta.path.forward[h] ? "→" : "←") + " ", nodeLink(b), " ", statusBadge(tie)]),
          evidenceBlock(tie)
        ]));
      });
      box.appendChild(hops);
      var toggle = el("label", {}, [el("input", { attrs: { type: "checkbox", id: "highlight-path" } }), " Highlight the path"]);
      toggle.firstChild.checked = highlightPath;
      toggle.firstChild.addEventListener("change", function (event) { setHighlight(event.target.checked); });
      box.appendChild(toggle);
      panel.appendChild(box);
    }
    if (meta.filters.length) {
      panel.appendChild(el("h3", { text: "Filters applied on export" }));
      var filters = el("ul");
      meta.filters.forEach(function (f) { filters.appendChild(el("li", { text: f })); });
      panel.appendChild(filters);
    }
    panel.appendChild(el("h3", { text: "Reading the network" }));
    panel.appendChild(el("p", {
      text: "Colour: the sphere of an actor (a thick border in another colour: an actor drifting between spheres). " +
        "Shape: what kind of entity it is." + (meta.size_by ? " Size: its " + meta.size_by + " centrality in the exported network." : "")
    }));
    panel.appendChild(el("p", {
      text: "Ties: coloured by type, solid when confirmed or reported, dashed when alleged, dotted and marked ? when disputed, " +
        "dotted grey and marked × when refuted; the wider, the stronger the evidence (status weight × confidence)."
    }));
    panel.appendChild(el("h3", { text: "Data snapshot" }));
    panel.appendChild(el("p", {}, [el("code", { text: "sha256:" + meta.snapshot })]));
    if (meta.snapshot_scope) panel.appendChild(el("p", { cls: "muted", text: meta.snapshot_scope }));
    panel.appendChild(el("p", { cls: "muted", text: "Made with hilos " + meta.version + " by: " }));
    panel.appendChild(el("p", {}, [el("code", { text: meta.command || "(not recorded: written from Python)" })]));
  }

  function showNode(i) {
    var node = nodesData[i];
    current = { node: i };
    clearPanel();
    panel.appendChild(backButton());
    panel.appendChild(el("h2", { text: node.label }));
    var badges = el("p", {}, [el("span", { cls: "badge", text: kindLabel(node) }), " "]);
    if (node.spheres.length) node.spheres.forEach(function (s) { badges.appendChild(sphereBadge(s)); badges.appendChild(document.createTextNode(" ")); });
    else badges.appendChild(sphereBadge("none"));
    panel.appendChild(badges);
    if (nodes.get(i).hidden) panel.appendChild(el("p", { cls: "muted", text: "Hidden by the filters on the left." }));
    panel.appendChild(definitions([
      ["Types", node.types.join(", ")],
      ["Names", node.names.map(function (n) { return n[1] + (n[0] ? " (" + n[0] + ")" : ""); }).join("; ")],
      ["Aliases", node.aliases.map(function (n) { return n[1] + (n[0] ? " (" + n[0] + ")" : ""); }).join("; ")],
      ["Spheres", node.spheres.length > 1 ? sphereLabels(node) : null],
      [meta.size_by ? meta.size_by : "", meta.size_by && node.score !== null ? Number(node.score.toPrecision(4)) : null],
      ["IRI", el("code", { cls: "iri", text: node.id })]
    ]));
    node.notes.forEach(function (note) { panel.appendChild(el("p", { text: note })); });
    var ties = tiesOf[i].slice().sort(function (a, b) {
      var order = ["confirmed", "reported", "alleged", "disputed", "refuted", "none"];
      var ta = tiesData[a], tb = tiesData[b];
      return order.indexOf(statusKey(ta)) - order.indexOf(statusKey(tb)) || ta.type.localeCompare(tb.type) || a - b;
    });
    panel.appendChild(el("h3", { text: "Ties in this network (" + ties.length + ")" }));
    var list = el("ul", { cls: "ties" });
    ties.forEach(function (j) {
      var tie = tiesData[j];
      var outgoing = tie.from === i;
      var other = outgoing ? tie.to : tie.from;
      var dates = when(tie);
      var item = el("li", {}, [
        el("div", { cls: "tie-head" }, [
          outgoing ? "→ " : "← ", tieLink(j, tie.type), outgoing ? " → " : " ← ", nodeLink(other), " ", statusBadge(tie),
          tie.confidence !== null ? el("span", { cls: "muted", text: "confidence " + tie.confidence }) : null,
          dates ? el("span", { cls: "muted", text: dates }) : null
        ]),
        evidenceBlock(tie)
      ]);
      list.appendChild(item);
    });
    panel.appendChild(list);
  }

  function showTie(j) {
    var tie = tiesData[j];
    current = { tie: j };
    clearPanel();
    panel.appendChild(backButton());
    panel.appendChild(el("h2", { text: tie.type }));
    panel.appendChild(el("p", { cls: "tie-head" }, [nodeLink(tie.from), " → ", nodeLink(tie.to)]));
    var family = families[tie.family] || families.other;
    panel.appendChild(definitions([
      ["Status", statusBadge(tie)],
      ["Confidence", tie.confidence],
      ["Evidence score", tie.score],
      ["Valid", when(tie)],
      ["When", tie.period || null],
      ["Limited to", (tie.qualifiers || []).join(", ") || null],
      ["Relation", tie.relation + " (" + family.label + ")"],
      ["Market", tie.markets.join(", ")],
      ["Wording", tie.text.join("; ")],
      ["Best path", pathTies[tie.id] ? "this tie is a hop of the best evidence path" : null]
    ]));
    panel.appendChild(el("h3", { text: "Evidence" }));
    panel.appendChild(evidenceBlock(tie));
    if (tie.note.length) {
      panel.appendChild(el("h3", { text: "Note" }));
      tie.note.forEach(function (note) { panel.appendChild(el("p", { text: note })); });
    }
    panel.appendChild(el("p", {}, [el("code", { cls: "iri", text: tie.id })]));
  }

  var tieIndex = {};
  tiesData.forEach(function (tie, j) { tieIndex[tie.id] = j; });
  var nodeIndex = {};
  nodesData.forEach(function (node, i) { nodeIndex[node.id] = i; });

  function selectNode(i, move) {
    network.selectNodes([i]);
    if (move) network.focus(i, { scale: Math.max(network.getScale(), 1.1), animation: large ? false : { duration: 300 } });
    showNode(i);
  }

  function selectTie(j, move) {
    network.selectEdges([j]);
    if (move) network.fit({ nodes: [tiesData[j].from, tiesData[j].to], animation: large ? false : { duration: 300 } });
    showTie(j);
  }

  function setHighlight(on) {
    highlightPath = on;
    nodes.update(nodesData.map(function (node, i) {
      var item = nodeItem(node, i);
      return { id: i, borderWidth: item.borderWidth, color: item.color, opacity: item.opacity };
    }));
    edges.update(tiesData.map(function (tie, j) {
      var item = tieItem(tie, j);
      return { id: j, width: item.width, color: item.color };
    }));
  }


  // ------------------------------------------------------------------------------- search

  var searchBox = document.getElementById("search-box");
  var results = document.getElementById("search-results");
  var keys = nodesData.map(function (node) {
    var names = [node.label].concat(node.names.map(function (n) { return n[1]; }), node.aliases.map(function (n) { return n[1]; }));
    return names.map(normalise);
  });

  function find(text) {
    var wanted = normalise(text);
    if (!wanted) return [];
    var hits = [];
    keys.forEach(function (names, i) {
      var rank = 9;
      names.forEach(function (name) {
        var r = name === wanted ? 0 : name.indexOf(wanted) === 0 ? 1 : (" " + name).indexOf(" " + wanted) >= 0 ? 2 : name.indexOf(wanted) >= 0 ? 3 : 9;
        if (r < rank) rank = r;
      });
      if (rank < 9) hits.push([rank, nodesData[i].label, i]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1].localeCompare(b[1]) || a[2] - b[2]; });
    return hits.slice(0, 12).map(function (hit) { return hit[2]; });
  }

  function closeResults() { results.hidden = true; while (results.firstChild) results.removeChild(results.firstChild); }

  function pick(i) {
    closeResults();
    searchBox.value = nodesData[i].label;
    selectNode(i, true);
  }

  searchBox.addEventListener("input", function () {
    closeResults();
    var found = find(searchBox.value);
    if (!searchBox.value.trim()) return;
    if (!found.length) {
      results.appendChild(el("li", { cls: "none", text: "No entity matches." }));
    }
    found.forEach(function (i) {
      var node = nodesData[i];
      var button = el("button", { attrs: { type: "button" } }, [
        el("span", { text: node.label }), " ", el("span", { cls: "hint", text: kindLabel(node) + " · " + sphereLabels(node) })
      ]);
      button.addEventListener("click", function () { pick(i); });
      results.appendChild(el("li", {}, [button]));
    });
    results.hidden = false;
  });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = find(searchBox.value);
      if (found.length) pick(found[0]);
      event.preventDefault();
    } else if (event.key === "Escape") {
      closeResults();
    } else if (event.key === "ArrowDown" && !results.hidden) {
      var first = results.querySelector("button");
      if (first) { first.focus(); event.preventDefault(); }
    }
  });
  results.addEventListener("keydown", function (event) {
    var item = document.activeElement && document.activeElement.parentNode;
    if (event.key === "ArrowDown" && item && item.nextSibling) { item.nextSibling.firstChild.focus(); event.preventDefault(); }
    if (event.key === "ArrowUp" && item) {
      if (item.previousSibling) item.previousSibling.firstChild.focus(); else searchBox.focus();
      event.preventDefault();
    }
    if (event.key === "Escape") { closeResults(); searchBox.focus(); }
  });
  document.addEventListener("click", function (event) {
    if (!document.getElementById("search").contains(event.target)) closeResults();
  });

  // ------------------------------------------------------------------------------- legend and filters

  var controls = document.getElementById("controls");
  var state = {
    spheres: {}, statuses: {}, relations: {},
    from: meta.years ? meta.years[0] : null,
    to: meta.years ? meta.years[1] : null,
    undated: true,
    orphans: true
  };
  style.spheres.forEach(function (s) { state.spheres[s.key] = true; });
  style.statuses.forEach(function (s) { state.statuses[s.key] = true; });
  style.relations.forEach(function (r) { state.relations[r.key] = true; });

  function shapeIcon(shape, colour, border) {
    var svg = svgEl("svg", { width: "16", height: "16", viewBox: "-8 -8 16 16", "aria-hidden": "true" });
    var attrs = { fill: colour, stroke: border || shade(colour, 0.7), "stroke-width": "1.2" };
    var r = 6;
    var points = null;
    if (shape === "dot") { svg.appendChild(svgEl("circle", Object.assign({ r: String(r) }, attrs))); return svg; }
    if (shape === "square") points = [[-r, -r], [r, -r], [r, r], [-r, r]];
    else if (shape === "triangle") points = [[0, -r], [r, r * 0.8], [-r, r * 0.8]];
    else if (shape === "triangleDown") points = [[-r, -r * 0.8], [r, -r * 0.8], [0, r]];
    else if (shape === "diamond") points = [[0, -r - 1], [r + 1, 0], [0, r + 1], [-r - 1, 0]];
    else if (shape === "hexagon") points = [0, 1, 2, 3, 4, 5].map(function (k) { var a = Math.PI / 3 * k; return [r * Math.cos(a), r * Math.sin(a)]; });
    else if (shape === "star") points = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(function (k) { var a = Math.PI / 5 * k - Math.PI / 2; var d = k % 2 ? r * 0.45 : r + 1; return [d * Math.cos(a), d * Math.sin(a)]; });
    svg.appendChild(svgEl("polygon", Object.assign({ points: points.map(function (p) { return p[0].toFixed(2) + "," + p[1].toFixed(2); }).join(" ") }, attrs)));
    return svg;
  }

  function lineIcon(colour, dashes, width) {
    var svg = svgEl("svg", { width: "30", height: "12", viewBox: "0 0 30 12", "aria-hidden": "true" });
    var attrs = { x1: "1", y1: "6", x2: "29", y2: "6", stroke: colour, "stroke-width": String(width || 2.5) };
    if (dashes) attrs["stroke-dasharray"] = dashes.join(" ");
    svg.appendChild(svgEl("line", attrs));
    return svg;
  }

  function checkbox(name, checked, onChange) {
    var box = el("input", { attrs: { type: "checkbox", "data-filter": name } });
    box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); applyFilters(); });
    return box;
  }

  var sphereCounts = {}, statusCounts = {};
  nodesData.forEach(function (node) { var k = sphereKey(node); sphereCounts[k] = (sphereCounts[k] || 0) + 1; });
  tiesData.forEach(function (tie) { var k = statusKey(tie); statusCounts[k] = (statusCounts[k] || 0) + 1; });

  controls.appendChild(el("h2", { text: "Spheres" }));
  style.spheres.forEach(function (s) {
    if (!sphereCounts[s.key]) return;
    controls.appendChild(el("label", {}, [
      checkbox("sphere:" + s.key, true, function (on) { state.spheres[s.key] = on; }),
      shapeIcon("dot", s.colour), s.label, el("span", { cls: "count", text: sphereCounts[s.key] })
    ]));
  });
  controls.appendChild(el("div", { cls: "row muted" }, [shapeIcon("dot", spheres.community.colour, spheres.criminal.colour), "border: drifting to another sphere"]));

  controls.appendChild(el("h2", { text: "Kinds" }));
  style.kinds.forEach(function (k) {
    controls.appendChild(el("div", { cls: "row" }, [shapeIcon(k.shape, "#9e9e9e", "#555555"), k.label]));
  });

  controls.appendChild(el("h2", { text: "Status of ties" }));
  style.statuses.forEach(function (s) {
    if (!statusCounts[s.key]) return;
    controls.appendChild(el("label", {}, [
      checkbox("status:" + s.key, true, function (on) { state.statuses[s.key] = on; }),
      lineIcon(s.colour || "#555555", s.dashes), s.label + (s.marker ? " (" + s.marker + ")" : ""),
      el("span", { cls: "count", text: statusCounts[s.key] })
    ]));
  });
  if (meta.path) controls.appendChild(el("div", { cls: "row" }, [lineIcon(style.path, null, 5), "Best evidence path"]));

  controls.appendChild(el("h2", { text: "Types of ties" }));
  var typeBoxes = [];
  var buttons = el("div", { cls: "buttons" });
  [["All", true], ["None", false]].forEach(function (choice) {
    var button = el("button", { text: choice[0], attrs: { type: "button" } });
    button.addEventListener("click", function () {
      typeBoxes.forEach(function (entry) { entry[0].checked = choice[1]; state.relations[entry[1]] = choice[1]; });
      applyFilters();
    });
    buttons.appendChild(button);
  });
  controls.appendChild(buttons);
  var types = el("div", { cls: "types" });
  var lastFamily = null;
  style.relations.forEach(function (r) {
    if (r.family !== lastFamily) {
      var family = families[r.family] || families.other;
      types.appendChild(el("div", { cls: "row family" }, [lineIcon(family.colour, null), family.label]));
      lastFamily = r.family;
    }
    var box = checkbox("relation:" + r.key, true, function (on) { state.relations[r.key] = on; });
    typeBoxes.push([box, r.key]);
    types.appendChild(el("label", {}, [box, r.label, el("span", { cls: "count", text: r.count })]));
  });
  controls.appendChild(types);

  if (meta.years) {
    controls.appendChild(el("h2", { text: "Years" }));
    var from = el("input", { attrs: { type: "number", min: meta.years[0], max: meta.years[1], step: "1", "aria-label": "from year" } });
    var to = el("input", { attrs: { type: "number", min: meta.years[0], max: meta.years[1], step: "1", "aria-label": "to year" } });
    from.value = meta.years[0];
    to.value = meta.years[1];
    from.id = "year-from";
    to.id = "year-to";
    [from, to].forEach(function (input) {
      input.addEventListener("change", function () {
        state.from = parseInt(from.value, 10) || meta.years[0];
        state.to = parseInt(to.value, 10) || meta.years[1];
        applyFilters();
      });
    });
    controls.appendChild(el("div", { cls: "years" }, [from, "–", to]));
    controls.appendChild(el("label", {}, [checkbox("undated", true, function (on) { state.undated = on; }), "ties without dates"]));
  }

  controls.appendChild(el("h2", { text: "View" }));
  controls.appendChild(el("label", {}, [checkbox("orphans", true, function (on) { state.orphans = on; }), "hide entities left without a tie"]));
  var physicsBox = el("input", { attrs: { type: "checkbox" } });
  physicsBox.addEventListener("change", function () { network.setOptions({ physics: physicsBox.checked ? { enabled: true, stabilization: false } : { enabled: false } }); });
  controls.appendChild(el("label", {}, [physicsBox, "live layout (physics)"]));
  var fitButton = el("button", { text: "Fit to screen", attrs: { type: "button" } });
  fitButton.addEventListener("click", function () { network.fit({ animation: large ? false : { duration: 300 } }); });
  controls.appendChild(el("div", { cls: "buttons" }, [fitButton]));
  var shownLine = el("div", { cls: "shown" });
  controls.appendChild(shownLine);

  var nodeHidden = nodesData.map(function () { return false; });
  var tieHidden = tiesData.map(function () { return false; });

  function tieInYears(tie) {
    if (!meta.years) return true;
    var start = year(tie.start), end = year(tie.end);
    if (start === null && end === null) return state.undated;
    return (start === null || start <= state.to) && (end === null || end >= state.from);
  }

  function applyFilters() {
    var sphereOk = nodesData.map(function (node) { return !!state.spheres[sphereKey(node)]; });
    var degree = nodesData.map(function () { return 0; });
    var tieChanges = [], nodeChanges = [];
    var shownTies = 0, shownNodes = 0;
    tiesData.forEach(function (tie, j) {
      var visible = sphereOk[tie.from] && sphereOk[tie.to] && !!state.statuses[statusKey(tie)] &&
        !!state.relations[tie.relation] && tieInYears(tie);
      if (visible) { degree[tie.from] += 1; degree[tie.to] += 1; shownTies += 1; }
      if (tieHidden[j] === visible) { tieHidden[j] = !visible; tieChanges.push({ id: j, hidden: !visible }); }
    });
    nodesData.forEach(function (node, i) {
      var visible = sphereOk[i] && (!state.orphans || degree[i] > 0 || tiesOf[i].length === 0);
      if (visible) shownNodes += 1;
      if (nodeHidden[i] === visible) { nodeHidden[i] = !visible; nodeChanges.push({ id: i, hidden: !visible }); }
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (tieChanges.length) edges.update(tieChanges);
    shownLine.textContent = "Showing " + shownNodes + " of " + nodesData.length + " entities and " + shownTies + " of " + tiesData.length + " ties.";
  }
  applyFilters();

  // ------------------------------------------------------------------------------- header, footer

  document.getElementById("title").textContent = meta.title;
  var footer = document.getElementById("footer");
  footer.appendChild(el("span", {}, ["Data snapshot ", el("code", { text: "sha256:" + meta.snapshot })]));
  footer.appendChild(el("span", {}, ["Command ", el("code", { text: meta.command || "(written from Python)" })]));
  footer.appendChild(el("span", { text: "hilos " + meta.version + " · vis-network 9.1.2 (Apache-2.0 / MIT) · works offline, loads nothing" }));

  showOverview();
  // The network is drawn last, once the page around it has its final size.
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  function ready() {
    if (window.hilosReady) return;
    if (meta.path && highlightPath) network.fit({ nodes: meta.path.nodes, animation: false });
    window.hilosReady = true;
    document.body.setAttribute("data-ready", "true");
  }
  if (large || !nodesData.length) {
    network.once("afterDrawing", ready);
    if (!nodesData.length) ready();
  } else {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.once("afterDrawing", ready);
      network.redraw();
    });
  }
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showTie(params.edges[0]);
  });
  if (meta.focus) network.selectNodes([meta.focus.node]);

  window.hilosNetwork = network;
  window.hilosNodes = nodes;
  window.hilosEdges = edges;
  window.hilosData = data;
  window.hilos = {
    nodeIndex: function (iri) { return nodeIndex.hasOwnProperty(iri) ? nodeIndex[iri] : null; },
    tieIndex: function (iri) { return tieIndex.hasOwnProperty(iri) ? tieIndex[iri] : null; },
    selectNode: function (iri) { selectNode(nodeIndex[iri], true); },
    selectTie: function (iri) { selectTie(tieIndex[iri], true); },
    find: function (text) { return find(text).map(function (i) { return nodesData[i].id; }); },
    current: function () { return current; }
  };
})();
