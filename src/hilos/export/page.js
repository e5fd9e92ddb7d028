/* The hilos network page. Every string from the data reaches the document through textContent,
   createTextNode or an attribute set with setAttribute: never as HTML. Tooltips are elements.
   Every word of the page's own goes through t(text): the page's language is in the data, with
   the translations it needs (meta.messages). */
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
  var INK = "#1d1d1f";
  var FADED = "#b4b4ba";
  var CLEAR = "rgba(0,0,0,0)";
  var WRAP = 170;
  var FACE = "system-ui, 'Noto Sans', 'DejaVu Sans', sans-serif";

  // ------------------------------------------------------------------------------- helpers

  function t(text, values) {
    return hilosCommon.fill((meta.messages && meta.messages[text]) || text, values);
  }

  function rows(columns) {
    var tables = columns.tables, ns = tables.ns, langs = tables.lang;
    function pick(table, list) { return list.map(function (k) { return table[k]; }); }
    function named(entries, label) {
      return entries.map(function (e) { return typeof e === "number" ? [langs[e], label] : [langs[e[0]], e[1]]; });
    }
    // Columns most of whose values are empty come sparse: {empty, at: [i…], values: [v…]}.
    function dense(column, length) {
      if (Array.isArray(column)) return column;
      var found = new Array(length);
      for (var k = 0; k < length; k++) found[k] = Array.isArray(column.empty) ? [] : column.empty;
      column.at.forEach(function (at, k) { found[at] = column.values[k]; });
      return found;
    }
    function expand(table, length) {
      var out = {};
      Object.keys(table).forEach(function (key) { out[key] = table[key] && dense(table[key], length); });
      return out;
    }
    var n = expand(columns.nodes, columns.nodes.label.length);
    var t = expand(columns.ties, columns.ties.from.length), s = columns.sources;
    var nodes = new Array(n.label.length);
    for (var i = 0; i < nodes.length; i++) {
      var label = n.label[i];
      nodes[i] = {
        id: ns[n.ns[i]] + n.local[i], label: label, x: n.x[i], y: n.y[i], size: n.size[i],
        font: n.font[i], layer: n.layer[i] === 1,
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

  // el() and fill() are the helpers the explorer uses too (webshared/common.js, in-line before
  // this script).
  var el = hilosCommon.el;

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

  // The colours of spheres and statuses are the shared style sheet's (common.css), so the page
  // draws them as the explorer shows them; the data's colour stands in where one is missing. A
  // status colours its ties only where the data gives it a colour of its own (refuted): the
  // others are drawn in their family's colour, their line telling the status.
  function sharedColour(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return /^#[0-9a-f]{6}$/i.test(value) ? value : fallback;
  }
  style.spheres.forEach(function (s) { s.colour = sharedColour("--sphere-" + s.key, s.colour); });
  style.statuses.forEach(function (s) { if (s.colour) s.colour = sharedColour("--status-" + s.key, s.colour); });
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
    if (!node.spheres.length) return node.layer ? "" : spheres.none.label;
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
    var what = [kindLabel(node), sphereLabels(node)].filter(Boolean).join(" · ");
    return el("div", { cls: "tip" }, [
      el("strong", { text: node.label }),
      el("div", { text: what }),
      node.types.length ? el("div", { text: node.types.join(", ") }) : null,
      el("div", { cls: "hint", text: (tiesOf[i].length === 1 ? t("1 tie") : t("{count} ties", { count: tiesOf[i].length })) + " · " + t("click for the card and evidence") })
    ]);
  }

  function tieTip(tie) {
    var cited = citations(tie);
    return el("div", { cls: "tip" }, [
      el("strong", { text: tie.type }),
      el("div", { text: nodesData[tie.from].label + " → " + nodesData[tie.to].label }),
      el("div", { text: statuses[statusKey(tie)].label + (when(tie) ? " · " + when(tie) : "") }),
      cited.length ? el("div", { text: cited.join("; ") }) : null,
      el("div", { cls: "hint", text: t("Click for the evidence") })
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

  // What stands out: the selection, else the chain picked in the list, else the best path.
  // Everything else is dimmed; colours stay.
  var emphasis = null;     // {nodes: {i: true}, ties: {j: true}} or null
  var chosenChain = null;  // index into meta.chains
  var labelShown = nodesData.map(function () { return true; });
  // Zoomed out, labels keep a readable size on the screen (three quarters of their size at
  // zoom 1): fewer fit, and the placement below shows the most important ones.
  var labelFactor = 1;
  function factorFor(scale) { return scale < 0.75 ? 0.75 / scale : 1; }
  var nodeHidden = nodesData.map(function () { return false; });
  var tieHidden = tiesData.map(function () { return false; });

  function dimmedNode(i) { return emphasis !== null && !emphasis.nodes[i]; }
  function dimmedTie(j) { return emphasis !== null && !emphasis.ties[j]; }

  function fontFor(i) {
    var node = nodesData[i];
    var colour = !labelShown[i] ? CLEAR : dimmedNode(i) ? FADED : INK;
    return {
      size: node.font * labelFactor, face: FACE, color: colour, strokeWidth: labelShown[i] ? 3 * labelFactor : 0,
      strokeColor: labelShown[i] ? "#ffffff" : CLEAR
    };
  }

  function nodeItem(node, i) {
    var fill = sphereColour(node.layer ? "none" : sphereKey(node));
    var drift = node.spheres.length > 1;
    var border = drift ? sphereColour(node.spheres[1]) : shade(fill, 0.7);
    var onPath = pathNodes[i] && highlightPath;
    var item = {
      id: i,
      label: node.label,
      x: node.x,
      y: node.y,
      size: node.size,
      shape: (kinds[node.kind] || kinds.other).shape,
      borderWidth: onPath ? 5 : drift ? 4 : 1.5,
      color: {
        background: fill,
        border: onPath ? style.path : border,
        highlight: { background: fill, border: "#000000" },
        hover: { background: fill, border: "#000000" }
      },
      opacity: dimmedNode(i) ? 0.18 : 1,
      font: fontFor(i),
      widthConstraint: { maximum: WRAP * labelFactor },
      title: nodeTip(node, i)
    };
    if (meta.focus && meta.focus.node === i) item.borderWidth = Math.max(item.borderWidth, 4);
    return item;
  }

  function tieColour(tie) {
    var status = statuses[statusKey(tie)];
    var family = families[tie.family] || families.other;
    return status.colour || family.colour;
  }

  function tieLabel(tie, hovered) {
    var marker = statuses[statusKey(tie)].marker;
    if (hovered) return tie.type + (marker ? " " + marker : "");
    return marker || "";
  }

  function tieItem(tie, j) {
    var status = statuses[statusKey(tie)];
    var colour = tieColour(tie);
    var onPath = !!pathTies[tie.id] && highlightPath;
    var shown = onPath ? style.path : colour;
    var item = {
      id: j,
      from: tie.from,
      to: tie.to,
      width: 1.2 + 4 * (tie.score || 0) + (onPath ? 4 : 0),
      dashes: status.dashes || false,
      color: { color: shown, highlight: shown, hover: shown, opacity: dimmedTie(j) ? 0.12 : 1, inherit: false },
      arrows: { to: { enabled: true, scaleFactor: 0.55 } },
      label: tieLabel(tie, false),
      font: { size: 14, color: colour, strokeWidth: 4, strokeColor: "#ffffff", align: "middle", face: FACE },
      title: tieTip(tie)
    };
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
    // The layout is computed before the page opens (layout.py); physics only on request.
    physics: false,
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
      font: { size: 13, face: FACE, color: INK, strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { enabled: false, drawThreshold: 1 } }
    },
    edges: {
      selectionWidth: function (width) { return width + 2; },
      hoverWidth: function (width) { return width + 1; }
    }
  };

  // ------------------------------------------------------------------------------- panel

  var panel = document.getElementById("panel");
  var current = null;

  function clearPanel() {
    hilosCommon.clear(panel);
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
    if (key === "civil") badge.style.color = INK;
    return badge;
  }

  function backButton() {
    var button = el("button", { cls: "link back", text: "← " + t("Overview"), attrs: { type: "button" } });
    button.addEventListener("click", function () { unselect(); });
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
      if (!tie.sources.length) list.appendChild(el("li", { cls: "muted", text: t("no source") }));
      block.appendChild(list);
      if (tie.locators.length) block.appendChild(el("p", { cls: "muted", text: t("Where: {places}", { places: tie.locators.join("; ") }) }));
    } else {
      block.appendChild(el("p", { cls: "muted", text: t("No source is recorded for this tie.") }));
    }
    return block;
  }

  function chainText(chain) {
    var parts = [nodesData[chain.nodes[0]].label];
    chain.ties.forEach(function (id, h) {
      parts.push(chain.forward[h] ? "→" : "←", nodesData[chain.nodes[h + 1]].label);
    });
    return parts.join(" ");
  }

  function chainList() {
    var list = el("ol", { cls: "chains" });
    meta.chains.forEach(function (chain, c) {
      var relations = chain.ties.map(function (id) { return tiesData[tieIndex[id]].type; }).join(" · ");
      var button = el("button", { cls: "chain", attrs: { type: "button", "data-chain": String(c), "aria-pressed": "false" } }, [
        el("span", { cls: "chain-path", text: chainText(chain) }),
        el("span", { cls: "muted chain-ties", text: relations })
      ]);
      button.addEventListener("click", function () { chooseChain(chosenChain === c ? null : c); });
      list.appendChild(el("li", {}, [button]));
    });
    return list;
  }

  function showOverview() {
    current = null;
    clearPanel();
    panel.appendChild(el("h2", { text: meta.title }));
    var actors = nodesData.filter(function (n) { return !n.layer; }).length;
    var context = nodesData.length - actors;
    var mainTies = tiesData.filter(function (tie) { return !nodesData[tie.from].layer && !nodesData[tie.to].layer; }).length;
    panel.appendChild(el("p", {
      text: t("{actors} actors and {ties} ties, every tie a sourced claim.", { actors: actors, ties: mainTies }) +
        (context === 1 ? " " + t("1 context entity (a place, market, policy…) is one click away under Context.") : "") +
        (context > 1 ? " " + t("{count} context entities (places, markets, policies…) are one click away under Context.", { count: context }) : "") +
        " " + t("Click an entity or a tie to see its evidence; search by name or alias above.")
    }));
    if (meta.chains) {
      panel.appendChild(el("h3", { text: t("Collusion chains ({count})", { count: meta.chains.length }) }));
      panel.appendChild(el("p", { cls: "muted", text: t("From a state actor into a criminal group, each through one collusion claim. Click a chain to highlight its path.") }));
      panel.appendChild(chainList());
    }
    if (meta.focus) {
      panel.appendChild(el("p", {}, [
        (meta.focus.hops === 1 ? t("Showing what lies within 1 tie of") : t("Showing what lies within {hops} ties of", { hops: meta.focus.hops })) + " ",
        nodeLink(meta.focus.node),
        meta.focus.directed ? " " + t("(following ties in their direction only).") : "."
      ]));
    }
    (meta.merged || []).forEach(function (m) {
      // an entity asked for (the focus, a path's end) shown as the one an identity claim merged it into
      panel.appendChild(el("p", {}, [
        t("{asked} is taken as", { asked: m.label }) + " ", nodeLink(m.node),
        ": " + t("an identity claim says they are one entity.")
      ]));
    });
    if (meta.path) {
      var box = el("div", { cls: "path-note" });
      box.appendChild(el("h3", { text: t("Best evidence path") }));
      box.appendChild(el("p", {
        text: t("Score {score} (the product of its ties' evidence scores: status weight × confidence), {hops} hops.", { score: meta.path.score, hops: meta.path.ties.length })
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
      var toggle = el("label", {}, [el("input", { attrs: { type: "checkbox", id: "highlight-path" } }), " " + t("Highlight the path")]);
      toggle.firstChild.checked = highlightPath;
      toggle.firstChild.addEventListener("change", function (event) { setHighlight(event.target.checked); });
      box.appendChild(toggle);
      panel.appendChild(box);
    }
    if (meta.filters.length) {
      panel.appendChild(el("h3", { text: t("Filters applied on export") }));
      var filters = el("ul");
      meta.filters.forEach(function (f) { filters.appendChild(el("li", { text: f })); });
      panel.appendChild(filters);
    }
    panel.appendChild(el("h3", { text: t("Reading the network") }));
    panel.appendChild(el("p", {
      text: t("Colour: the sphere of an actor (a thick border in another colour: an actor drifting between spheres). Shape: what kind of entity it is.") +
        (meta.size_by ? " " + t("Size: its {measure} centrality in the exported network.", { measure: meta.size_by_label }) : "")
    }));
    panel.appendChild(el("p", {
      text: t("Ties: coloured by type; the line says the status (see the legend); the wider, the stronger the evidence (status weight × confidence). Names too small to fit appear as you zoom in.")
    }));
    panel.appendChild(el("h3", { text: t("Data snapshot") }));
    panel.appendChild(el("p", {}, [el("code", { text: "sha256:" + meta.snapshot })]));
    if (meta.snapshot_scope) panel.appendChild(el("p", { cls: "muted", text: meta.snapshot_scope }));
    panel.appendChild(el("p", { cls: "muted", text: t("Made with hilos {version} by:", { version: meta.version }) }));
    panel.appendChild(el("p", {}, [el("code", { text: meta.command || t("(not recorded: written from Python)") })]));
    markChain();
  }

  function showNode(i) {
    var node = nodesData[i];
    current = { node: i };
    clearPanel();
    panel.appendChild(backButton());
    panel.appendChild(el("h2", { text: node.label }));
    var badges = el("p", {}, [el("span", { cls: "badge", text: kindLabel(node) }), " "]);
    if (node.spheres.length) node.spheres.forEach(function (s) { badges.appendChild(sphereBadge(s)); badges.appendChild(document.createTextNode(" ")); });
    else if (!node.layer) badges.appendChild(sphereBadge("none"));
    panel.appendChild(badges);
    if (nodeHidden[i]) panel.appendChild(el("p", { cls: "muted", text: t("Hidden by the filters on the left.") }));
    function names(list) { return list.map(function (n) { return n[1] + (n[0] ? " (" + n[0] + ")" : ""); }).join("; "); }
    panel.appendChild(definitions([
      [t("Types"), node.types.join(", ")],
      [t("Names"), names(node.names)],
      [t("Aliases"), names(node.aliases)],
      [t("Spheres"), node.spheres.length > 1 ? sphereLabels(node) : null],
      [meta.size_by ? meta.size_by_label : "", meta.size_by && node.score !== null ? Number(node.score.toPrecision(4)) : null],
      ["IRI", el("code", { cls: "iri", text: node.id })]
    ]));
    node.notes.forEach(function (note) { panel.appendChild(el("p", { text: note })); });
    var order = ["confirmed", "reported", "alleged", "disputed", "refuted", "none"];
    var ties = tiesOf[i].slice().sort(function (a, b) {
      var ta = tiesData[a], tb = tiesData[b];
      return order.indexOf(statusKey(ta)) - order.indexOf(statusKey(tb)) || ta.type.localeCompare(tb.type) || a - b;
    });
    panel.appendChild(el("h3", { text: t("Ties in this network ({count})", { count: ties.length }) }));
    var list = el("ul", { cls: "ties" });
    ties.forEach(function (j) {
      var tie = tiesData[j];
      var outgoing = tie.from === i;
      var other = outgoing ? tie.to : tie.from;
      var dates = when(tie);
      list.appendChild(el("li", {}, [
        el("div", { cls: "tie-head" }, [
          outgoing ? "→ " : "← ", tieLink(j, tie.type), outgoing ? " → " : " ← ", nodeLink(other), " ", statusBadge(tie),
          tie.confidence !== null ? el("span", { cls: "muted", text: t("confidence {value}", { value: tie.confidence }) }) : null,
          dates ? el("span", { cls: "muted", text: dates }) : null
        ]),
        evidenceBlock(tie)
      ]));
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
      [t("Status"), statusBadge(tie)],
      [t("Confidence"), tie.confidence],
      [t("Evidence score"), tie.score],
      [t("Valid"), when(tie)],
      [t("When"), tie.period || null],
      [t("Limited to"), (tie.qualifiers || []).join(", ") || null],
      [t("Type"), tie.type + " (" + family.label + ")"],
      [t("Market"), tie.markets.join(", ")],
      [t("Wording"), tie.text.join("; ")],
      [t("Best path"), pathTies[tie.id] ? t("this tie is a hop of the best evidence path") : null]
    ]));
    panel.appendChild(el("h3", { text: t("Evidence") }));
    panel.appendChild(evidenceBlock(tie));
    if (tie.note.length) {
      panel.appendChild(el("h3", { text: t("Note") }));
      tie.note.forEach(function (note) { panel.appendChild(el("p", { text: note })); });
    }
    panel.appendChild(el("p", {}, [el("code", { cls: "iri", text: tie.id })]));
  }

  var tieIndex = {};
  tiesData.forEach(function (tie, j) { tieIndex[tie.id] = j; });
  var nodeIndex = {};
  nodesData.forEach(function (node, i) { nodeIndex[node.id] = i; });

  // ------------------------------------------------------------------------------- emphasis

  function baseEmphasis() {
    var chain = chosenChain !== null ? meta.chains[chosenChain] : highlightPath ? meta.path : null;
    if (!chain) return null;
    var found = { nodes: {}, ties: {} };
    chain.nodes.forEach(function (i) { found.nodes[i] = true; });
    chain.ties.forEach(function (id) { found.ties[tieIndex[id]] = true; });
    return found;
  }

  function selectionEmphasis() {
    if (!current) return null;
    var found = { nodes: {}, ties: {} };
    if (current.node !== undefined) {
      found.nodes[current.node] = true;
      tiesOf[current.node].forEach(function (j) {
        found.ties[j] = true;
        found.nodes[tiesData[j].from] = true;
        found.nodes[tiesData[j].to] = true;
      });
    } else {
      var tie = tiesData[current.tie];
      found.ties[current.tie] = true;
      found.nodes[tie.from] = true;
      found.nodes[tie.to] = true;
    }
    return found;
  }

  function restyle() {
    emphasis = selectionEmphasis() || baseEmphasis();
    nodes.update(nodesData.map(function (node, i) {
      var item = nodeItem(node, i);
      return { id: i, borderWidth: item.borderWidth, color: item.color, opacity: item.opacity, font: item.font };
    }));
    edges.update(tiesData.map(function (tie, j) {
      var item = tieItem(tie, j);
      return { id: j, width: item.width, color: item.color };
    }));
  }

  function setHighlight(on) {
    highlightPath = on;
    restyle();
  }

  function markChain() {
    Array.prototype.forEach.call(panel.querySelectorAll("button.chain"), function (button) {
      var on = chosenChain !== null && button.getAttribute("data-chain") === String(chosenChain);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.classList.toggle("active", on);
    });
  }

  function chooseChain(c) {
    chosenChain = c;
    if (current) { network.unselectAll(); current = null; setFragment(null); }
    restyle();
    markChain();
    var chain = c !== null ? meta.chains[c] : null;
    network.fit({ nodes: chain ? chain.nodes : [], maxZoomLevel: 1.3, animation: large ? false : { duration: 300 } });
  }

  // ------------------------------------------------------------------------------- selection

  function setFragment(value) {
    var url = location.href.split("#")[0] + (value ? "#" + value : "");
    try {
      history.replaceState(null, "", url);
    } catch (error) {
      if (value) location.hash = value;
    }
  }

  function selectNode(i, move) {
    network.selectNodes([i]);
    if (move) network.focus(i, { scale: Math.max(network.getScale(), 1.1), animation: large ? false : { duration: 300 } });
    showNode(i);
    setFragment("entity=" + encodeURIComponent(nodesData[i].id));
    restyle();
  }

  function selectTie(j, move) {
    network.selectEdges([j]);
    if (move) network.fit({ nodes: [tiesData[j].from, tiesData[j].to], maxZoomLevel: 1.3, animation: large ? false : { duration: 300 } });
    showTie(j);
    setFragment("tie=" + encodeURIComponent(tiesData[j].id));
    restyle();
  }

  function unselect() {
    network.unselectAll();
    showOverview();
    setFragment(null);
    restyle();
  }

  function openFragment() {
    var hash = location.hash.replace(/^#/, "");
    var match = /^(entity|tie)=(.+)$/.exec(hash);
    if (!match) return false;
    var iri;
    try { iri = decodeURIComponent(match[2]); } catch (error) { return false; }
    if (match[1] === "entity" && nodeIndex.hasOwnProperty(iri)) {
      var i = nodeIndex[iri];
      if (nodeHidden[i] && nodesData[i].layer) showLayer(nodesData[i].kind);
      selectNode(i, true);
      return true;
    }
    if (match[1] === "tie" && tieIndex.hasOwnProperty(iri)) {
      var tie = tiesData[tieIndex[iri]];
      [tie.from, tie.to].forEach(function (end) { if (nodesData[end].layer) showLayer(nodesData[end].kind); });
      selectTie(tieIndex[iri], true);
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------------------------- search

  var searchBox = document.getElementById("search-box");
  searchBox.setAttribute("placeholder", t("Find an actor by name or alias…"));
  searchBox.setAttribute("aria-label", t("Find an entity by name or alias"));
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
      if (rank < 9) hits.push([rank + (nodesData[i].layer ? 0.5 : 0), nodesData[i].label, i]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1].localeCompare(b[1]) || a[2] - b[2]; });
    return hits.slice(0, 12).map(function (hit) { return hit[2]; });
  }

  function closeResults() { results.hidden = true; while (results.firstChild) results.removeChild(results.firstChild); }

  function pick(i) {
    closeResults();
    searchBox.value = nodesData[i].label;
    if (nodeHidden[i] && nodesData[i].layer) showLayer(nodesData[i].kind);
    selectNode(i, true);
  }

  searchBox.addEventListener("input", function () {
    closeResults();
    var found = find(searchBox.value);
    if (!searchBox.value.trim()) return;
    if (!found.length) {
      results.appendChild(el("li", { cls: "none", text: t("No entity matches.") }));
    }
    found.forEach(function (i) {
      var node = nodesData[i];
      var button = el("button", { attrs: { type: "button" } }, [
        el("span", { text: node.label }), " ", el("span", { cls: "hint", text: [kindLabel(node), sphereLabels(node)].filter(Boolean).join(" · ") })
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
  controls.setAttribute("aria-label", t("Legend and filters"));
  document.getElementById("network").setAttribute("aria-label", t("The network"));
  panel.setAttribute("aria-label", t("Details"));
  var state = {
    spheres: {}, statuses: {}, relations: {}, layers: {},
    from: meta.years ? meta.years[0] : null,
    to: meta.years ? meta.years[1] : null,
    undated: true,
    orphans: true
  };
  style.spheres.forEach(function (s) { state.spheres[s.key] = true; });
  style.statuses.forEach(function (s) { state.statuses[s.key] = true; });
  style.relations.forEach(function (r) { state.relations[r.key] = true; });
  (meta.layers || []).forEach(function (k) { state.layers[k] = !!meta.layers_on; });

  function shapePoints(shape, r) {
    if (shape === "square") return [[-r, -r], [r, -r], [r, r], [-r, r]];
    if (shape === "triangle") return [[0, -r], [r, r * 0.8], [-r, r * 0.8]];
    if (shape === "triangleDown") return [[-r, -r * 0.8], [r, -r * 0.8], [0, r]];
    if (shape === "diamond") return [[0, -r * 1.15], [r * 1.15, 0], [0, r * 1.15], [-r * 1.15, 0]];
    if (shape === "hexagon") return [0, 1, 2, 3, 4, 5].map(function (k) { var a = Math.PI / 3 * k; return [r * Math.cos(a), r * Math.sin(a)]; });
    if (shape === "star") return [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(function (k) { var a = Math.PI / 5 * k - Math.PI / 2; var d = k % 2 ? r * 0.45 : r * 1.15; return [d * Math.cos(a), d * Math.sin(a)]; });
    return null;
  }

  function shapeElement(shape, x, y, r, attrs) {
    var points = shapePoints(shape, r);
    if (!points) return svgEl("circle", Object.assign({ cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1) }, attrs));
    return svgEl("polygon", Object.assign({ points: points.map(function (p) { return (x + p[0]).toFixed(1) + "," + (y + p[1]).toFixed(1); }).join(" ") }, attrs));
  }

  function shapeIcon(shape, colour, border) {
    var svg = svgEl("svg", { width: "16", height: "16", viewBox: "-8 -8 16 16", "aria-hidden": "true" });
    svg.appendChild(shapeElement(shape, 0, 0, 6, { fill: colour, stroke: border || shade(colour, 0.7), "stroke-width": "1.2" }));
    return svg;
  }

  function lineIcon(colour, dashes, width) {
    var svg = svgEl("svg", { width: "34", height: "12", viewBox: "0 0 34 12", "aria-hidden": "true" });
    var attrs = { x1: "1", y1: "6", x2: "33", y2: "6", stroke: colour, "stroke-width": String(width || 2.5) };
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

  var sphereCounts = {}, statusCounts = {}, layerCounts = {};
  nodesData.forEach(function (node) {
    if (node.layer) { layerCounts[node.kind] = (layerCounts[node.kind] || 0) + 1; return; }
    var k = sphereKey(node);
    sphereCounts[k] = (sphereCounts[k] || 0) + 1;
  });
  tiesData.forEach(function (tie) { var k = statusKey(tie); statusCounts[k] = (statusCounts[k] || 0) + 1; });

  controls.appendChild(el("h2", { text: t("Spheres") }));
  style.spheres.forEach(function (s) {
    if (!sphereCounts[s.key]) return;
    controls.appendChild(el("label", {}, [
      checkbox("sphere:" + s.key, true, function (on) { state.spheres[s.key] = on; }),
      shapeIcon("dot", s.colour), s.label, el("span", { cls: "count", text: sphereCounts[s.key] })
    ]));
  });
  controls.appendChild(el("div", { cls: "row muted" }, [shapeIcon("dot", spheres.community.colour, spheres.criminal.colour), t("border: drifting to another sphere")]));

  var layerBoxes = {};
  if ((meta.layers || []).length) {
    controls.appendChild(el("h2", { text: t("Context") }));
    meta.layers.forEach(function (k) {
      var kind = kinds[k] || kinds.other;
      var box = checkbox("layer:" + k, state.layers[k], function (on) { state.layers[k] = on; });
      layerBoxes[k] = box;
      controls.appendChild(el("label", {}, [box, shapeIcon(kind.shape, sphereColour("none")), kind.label, el("span", { cls: "count", text: layerCounts[k] || 0 })]));
    });
  }

  controls.appendChild(el("h2", { text: t("Kinds") }));
  style.kinds.forEach(function (k) {
    var present = nodesData.some(function (n) { return n.kind === k.key; });
    if (!present) return;
    controls.appendChild(el("div", { cls: "row" }, [shapeIcon(k.shape, sphereColour("none"), "#555555"), k.label]));
  });

  controls.appendChild(el("h2", { text: t("Status of ties") }));
  style.statuses.forEach(function (s) {
    var icon = lineIcon(s.colour || "#555555", s.dashes);
    var label = s.label + (s.marker ? " (" + s.marker + ")" : "");
    if (!statusCounts[s.key]) {
      if (s.key === "none") return;
      controls.appendChild(el("div", { cls: "row muted absent" }, [el("span", { cls: "spacer" }), icon, label, el("span", { cls: "count", text: "0" })]));
      return;
    }
    controls.appendChild(el("label", {}, [
      checkbox("status:" + s.key, true, function (on) { state.statuses[s.key] = on; }),
      icon, label, el("span", { cls: "count", text: statusCounts[s.key] })
    ]));
  });
  if (meta.path) controls.appendChild(el("div", { cls: "row" }, [lineIcon(style.path, null, 5), t("Best evidence path")]));

  controls.appendChild(el("h2", { text: t("Types of ties") }));
  var typeBoxes = [];
  var buttons = el("div", { cls: "buttons" });
  [[t("All"), true], [t("None"), false]].forEach(function (choice) {
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
    controls.appendChild(el("h2", { text: t("Years") }));
    var from = el("input", { attrs: { type: "number", min: meta.years[0], max: meta.years[1], step: "1", "aria-label": t("from year") } });
    var to = el("input", { attrs: { type: "number", min: meta.years[0], max: meta.years[1], step: "1", "aria-label": t("to year") } });
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
    controls.appendChild(el("label", {}, [checkbox("undated", true, function (on) { state.undated = on; }), t("ties without dates")]));
  }

  controls.appendChild(el("h2", { text: t("View") }));
  controls.appendChild(el("label", {}, [checkbox("orphans", true, function (on) { state.orphans = on; }), t("hide entities left without a tie")]));
  var physicsBox = el("input", { attrs: { type: "checkbox" } });
  physicsBox.addEventListener("change", function () {
    network.setOptions({
      physics: physicsBox.checked
        ? { enabled: true, solver: "forceAtlas2Based", forceAtlas2Based: { gravitationalConstant: -80, centralGravity: 0.015, springLength: 110, springConstant: 0.06, damping: 0.5, avoidOverlap: 0.6 }, stabilization: false, minVelocity: 1 }
        : { enabled: false }
    });
  });
  controls.appendChild(el("label", {}, [physicsBox, t("live layout (physics)")]));
  var fitButton = el("button", { text: t("Fit to screen"), attrs: { type: "button" } });
  fitButton.addEventListener("click", function () { fit(!large); });
  var pngButton = el("button", { text: t("Download PNG"), attrs: { type: "button", id: "download-png" } });
  pngButton.addEventListener("click", function () { downloadPng(); });
  var svgButton = el("button", { text: t("Download SVG"), attrs: { type: "button", id: "download-svg" } });
  svgButton.addEventListener("click", function () { downloadSvg(); });
  controls.appendChild(el("div", { cls: "buttons" }, [fitButton]));
  controls.appendChild(el("div", { cls: "buttons" }, [pngButton, svgButton]));
  var shownLine = el("div", { cls: "shown" });
  controls.appendChild(shownLine);

  function tieInYears(tie) {
    if (!meta.years) return true;
    var start = year(tie.start), end = year(tie.end);
    if (start === null && end === null) return state.undated;
    return (start === null || start <= state.to) && (end === null || end >= state.from);
  }

  function nodeAllowed(node) {
    if (node.layer) return !!state.layers[node.kind];
    return !!state.spheres[sphereKey(node)];
  }

  function applyFilters() {
    var allowed = nodesData.map(nodeAllowed);
    var degree = nodesData.map(function () { return 0; });
    var tieChanges = [], nodeChanges = [];
    var shownTies = 0, shownNodes = 0;
    tiesData.forEach(function (tie, j) {
      var visible = allowed[tie.from] && allowed[tie.to] && !!state.statuses[statusKey(tie)] &&
        !!state.relations[tie.relation] && tieInYears(tie);
      if (visible) { degree[tie.from] += 1; degree[tie.to] += 1; shownTies += 1; }
      if (tieHidden[j] === visible) { tieHidden[j] = !visible; tieChanges.push({ id: j, hidden: !visible }); }
    });
    nodesData.forEach(function (node, i) {
      var visible = allowed[i] && (!state.orphans || degree[i] > 0 || tiesOf[i].length === 0);
      if (visible) shownNodes += 1;
      if (nodeHidden[i] === visible) { nodeHidden[i] = !visible; nodeChanges.push({ id: i, hidden: !visible }); }
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (tieChanges.length) edges.update(tieChanges);
    shownLine.textContent = t("Showing {nodes} of {all} entities and {ties} of {allTies} ties.", {
      nodes: shownNodes, all: nodesData.length, ties: shownTies, allTies: tiesData.length
    });
  }

  function showLayer(kind) {
    if (!layerBoxes[kind] || state.layers[kind]) return;
    layerBoxes[kind].checked = true;
    state.layers[kind] = true;
    applyFilters();
  }

  // ------------------------------------------------------------------------------- header, footer

  document.getElementById("title").textContent = meta.title;
  var footer = document.getElementById("footer");
  footer.appendChild(el("span", {}, [t("Data snapshot") + " ", el("code", { text: "sha256:" + meta.snapshot })]));
  footer.appendChild(el("span", {}, [t("Command") + " ", el("code", { text: meta.command || t("(written from Python)") })]));
  footer.appendChild(el("span", { text: "hilos " + meta.version + " · vis-network 9.1.2 (Apache-2.0 / MIT) · " + t("works offline, loads nothing") }));

  // ------------------------------------------------------------------------------- the network

  var container = document.getElementById("network");
  var network = null;
  applyFilters();
  showOverview();
  // The network is drawn last, once the page around it has its final size.
  network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  function fit(animate) {
    network.fit({ maxZoomLevel: 1.3, animation: animate ? { duration: 300 } : false });
  }

  // Labels: the most important first (the emphasised, then by size), each shown only where it
  // fits whole on the canvas without touching one already shown; the rest wait for a zoom.
  function priority(i) {
    var node = nodesData[i];
    var score = node.size * 10 + tiesOf[i].length * 0.01;
    if (emphasis && emphasis.nodes[i]) score += 1e6;
    if (current && current.node === i) score += 1e7;
    if (meta.focus && meta.focus.node === i) score += 2e6;
    return score;
  }

  function labelBox(i) {
    var body = network.body.nodes[i];
    if (!body || !body.labelModule || !body.labelModule.size) return null;
    var size = body.labelModule.size;
    if (!size.width || !size.height) return null;
    var corner = network.canvasToDOM({ x: size.left, y: size.top });
    var scale = network.getScale();
    return { left: corner.x, top: corner.y, right: corner.x + size.width * scale, bottom: corner.y + size.height * scale };
  }

  function placeLabels() {
    if (!network) return 0;
    var width = container.clientWidth, height = container.clientHeight, scale = network.getScale();
    var factor = factorFor(scale);
    if (Math.abs(factor - labelFactor) / labelFactor > 0.05) {
      // New sizes first: the labels are measured again on the next drawing.
      labelFactor = factor;
      nodes.update(nodesData.map(function (node, i) { return { id: i, font: fontFor(i), widthConstraint: { maximum: WRAP * factor } }; }));
      return -1;
    }
    var order = [];
    for (var i = 0; i < nodesData.length; i++) if (!nodeHidden[i]) order.push(i);
    order.sort(function (a, b) { return priority(b) - priority(a) || a - b; });
    var cell = 120, grid = {};
    function cells(box, add) {
      var hit = false;
      for (var gx = Math.floor(box.left / cell); gx <= Math.floor(box.right / cell); gx++) {
        for (var gy = Math.floor(box.top / cell); gy <= Math.floor(box.bottom / cell); gy++) {
          var key = gx + ":" + gy;
          if (add) { (grid[key] = grid[key] || []).push(box); continue; }
          (grid[key] || []).forEach(function (other) {
            if (box.left < other.right + 2 && other.left < box.right + 2 && box.top < other.bottom + 1 && other.top < box.bottom + 1) hit = true;
          });
          if (hit) return true;
        }
      }
      return hit;
    }
    var wanted = nodesData.map(function () { return false; });
    var positions = network.getPositions(order);
    order.forEach(function (i) {
      // The shape of a node is an obstacle for the labels of the less important ones.
      var at = network.canvasToDOM(positions[i]);
      var r = nodesData[i].size * scale * 0.7;
      cells({ left: at.x - r, top: at.y - r, right: at.x + r, bottom: at.y + r }, true);
      if (nodesData[i].font * labelFactor * scale < 7) return;
      var box = labelBox(i);
      if (!box) return;
      if (box.left < 1 || box.top < 1 || box.right > width - 1 || box.bottom > height - 1) return;
      if (cells(box, false)) return;
      cells(box, true);
      wanted[i] = true;
    });
    var changes = [];
    wanted.forEach(function (on, i) {
      if (labelShown[i] !== on) { labelShown[i] = on; changes.push({ id: i, font: fontFor(i) }); }
    });
    if (changes.length) nodes.update(changes);
    return changes.length;
  }

  function settleLabels() {
    var changed = 0;
    for (var round = 0; round < 4; round++) {
      network.redraw();
      changed = placeLabels();
      if (changed === 0) break;
    }
    network.redraw();
    return changed;
  }

  var placing = null;
  function schedulePlacement() {
    if (placing !== null) return;
    placing = setTimeout(function () { placing = null; placeLabels(); }, large ? 150 : 40);
  }

  // Tooltips go away when the pointer leaves the canvas, and on a click, drag or zoom.
  function hideTooltip() {
    var handler = network && network.interactionHandler;
    if (handler && handler.popup && handler.popup.hide) handler.popup.hide();
    if (handler) handler.popupObj = undefined;
    Array.prototype.forEach.call(document.querySelectorAll("div.vis-tooltip"), function (tip) { tip.style.visibility = "hidden"; });
  }
  container.addEventListener("mouseleave", hideTooltip);

  function ready() {
    if (window.hilosReady) return;
    fit(false);
    if (meta.path && highlightPath) network.fit({ nodes: meta.path.nodes, maxZoomLevel: 1.3, animation: false });
    settleLabels();
    if (!openFragment()) restyle();
    settleLabels();
    network.on("afterDrawing", schedulePlacement);
    window.hilosReady = true;
    document.body.setAttribute("data-ready", "true");
  }
  network.once("afterDrawing", function () { setTimeout(ready, 0); });
  if (!nodesData.length) ready();

  network.on("click", function (params) {
    hideTooltip();
    if (params.nodes.length) selectNode(params.nodes[0], false);
    else if (params.edges.length) selectTie(params.edges[0], false);
    else if (current) unselect();
  });
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);
  network.on("hoverEdge", function (params) {
    edges.update({ id: params.edge, label: tieLabel(tiesData[params.edge], true) });
  });
  network.on("blurEdge", function (params) {
    edges.update({ id: params.edge, label: tieLabel(tiesData[params.edge], false) });
  });
  window.addEventListener("hashchange", function () { openFragment(); });
  if (meta.focus) network.selectNodes([meta.focus.node]);

  // ------------------------------------------------------------------------------- pictures

  function fileName(extension) {
    var base = normalise(meta.title).replace(/ /g, "-").slice(0, 60).replace(/-+$/, "") || "hilos";
    return base + "." + extension;
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = el("a", { attrs: { href: url, download: name } });
    link.style.display = "none";
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function downloadPng() {
    var source = container.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = source.width;
    out.height = source.height;
    var context = out.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, out.width, out.height);
    context.drawImage(source, 0, 0);
    out.toBlob(function (blob) { save(blob, fileName("png")); }, "image/png");
  }

  // The current view as SVG, drawn from the positions of what is shown: ties (their colour,
  // width, dashes, dimming), nodes (shape, colour) and the labels shown.
  function viewSvg() {
    var width = container.clientWidth, height = container.clientHeight, scale = network.getScale();
    var svg = svgEl("svg", { xmlns: SVG, width: String(width), height: String(height), viewBox: "0 0 " + width + " " + height });
    svg.appendChild(svgEl("rect", { x: "0", y: "0", width: String(width), height: String(height), fill: "#ffffff" }));
    var title = svgEl("title", {});
    title.textContent = meta.title;
    svg.appendChild(title);
    var positions = network.getPositions();
    var tiesGroup = svgEl("g", { "stroke-linecap": "round", fill: "none" });
    tiesData.forEach(function (tie, j) {
      if (tieHidden[j] || nodeHidden[tie.from] || nodeHidden[tie.to]) return;
      var item = edges.get(j);
      var body = network.body.edges[j];
      var points = [];
      var steps = item.smooth && item.smooth.enabled ? 16 : 1;
      for (var k = 0; k <= steps; k++) {
        var p = body && body.edgeType ? body.edgeType.getPoint(k / steps) : null;
        if (!p) p = k === 0 ? positions[tie.from] : positions[tie.to];
        points.push(network.canvasToDOM(p));
      }
      // End the line at the border of the node it points to, and put an arrow head there.
      var last = points[points.length - 1], before = points[points.length - 2];
      var dx = last.x - before.x, dy = last.y - before.y, length = Math.hypot(dx, dy) || 1;
      var back = nodesData[tie.to].size * scale;
      var end = { x: last.x - dx / length * back, y: last.y - dy / length * back };
      points[points.length - 1] = end;
      var colour = item.color.color;
      var opacity = item.color.opacity;
      var lineWidth = Math.max(0.6, item.width * scale);
      var attrs = {
        d: "M" + points.map(function (p) { return p.x.toFixed(1) + " " + p.y.toFixed(1); }).join(" L"),
        stroke: colour, "stroke-width": lineWidth.toFixed(2), "stroke-opacity": String(opacity)
      };
      if (item.dashes) attrs["stroke-dasharray"] = item.dashes.map(function (d) { return (d * scale).toFixed(1); }).join(" ");
      tiesGroup.appendChild(svgEl("path", attrs));
      var head = Math.max(5, 9 * scale);
      var ux = dx / length, uy = dy / length;
      var tip = end, baseX = tip.x - ux * head, baseY = tip.y - uy * head;
      tiesGroup.appendChild(svgEl("polygon", {
        points: [[tip.x, tip.y], [baseX - uy * head * 0.45, baseY + ux * head * 0.45], [baseX + uy * head * 0.45, baseY - ux * head * 0.45]]
          .map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" "),
        fill: colour, "fill-opacity": String(opacity), stroke: "none"
      }));
    });
    svg.appendChild(tiesGroup);
    var nodesGroup = svgEl("g", {});
    var labelsGroup = svgEl("g", { "font-family": FACE, "text-anchor": "middle", "paint-order": "stroke", "stroke-linejoin": "round" });
    nodesData.forEach(function (node, i) {
      if (nodeHidden[i]) return;
      var item = nodes.get(i);
      var at = network.canvasToDOM(positions[i]);
      var r = node.size * scale;
      nodesGroup.appendChild(shapeElement(item.shape, at.x, at.y, r, {
        fill: item.color.background, stroke: item.color.border, "stroke-width": (item.borderWidth * scale).toFixed(2),
        opacity: String(item.opacity)
      }));
      if (!labelShown[i]) return;
      var module = network.body.nodes[i].labelModule;
      var box = labelBox(i);
      if (!box || !module.lines) return;
      var y = box.top;
      module.lines.forEach(function (line) {
        var text = svgEl("text", {
          x: ((box.left + box.right) / 2).toFixed(1), y: (y + line.height * scale * 0.8).toFixed(1),
          "font-size": (node.font * scale).toFixed(1), fill: dimmedNode(i) ? FADED : INK, stroke: "#ffffff",
          "stroke-width": (3 * scale).toFixed(1)
        });
        text.textContent = line.blocks.map(function (b) { return b.text; }).join("");
        labelsGroup.appendChild(text);
        y += line.height * scale;
      });
    });
    svg.appendChild(nodesGroup);
    svg.appendChild(labelsGroup);
    return new XMLSerializer().serializeToString(svg);
  }

  function downloadSvg() {
    save(new Blob([viewSvg()], { type: "image/svg+xml" }), fileName("svg"));
  }

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
    current: function () { return current; },
    placeLabels: settleLabels,
    labelShown: function () { return labelShown.slice(); },
    svg: viewSvg
  };
})();
