// Reads a GEXF or GraphML file with graphology (graphology-gexf / graphology-graphml, the
// parsers Gephi Lite uses) and prints the graph as graphology exports it, in JSON:
// {"attributes", "options", "nodes": [{key, attributes}], "edges": [{key, source, target, attributes}]}.
// Usage: node read-graph.js gexf|graphml FILE
'use strict';
const fs = require('fs');
const Graph = require('graphology');

const [format, file] = process.argv.slice(2);
const parsers = {gexf: 'graphology-gexf', graphml: 'graphology-graphml'};
if (!parsers[format] || !file) {
  process.stderr.write('usage: node read-graph.js gexf|graphml FILE\n');
  process.exit(2);
}
const parser = require(parsers[format]);
const graph = parser.parse(Graph, fs.readFileSync(file, 'utf8'));
process.stdout.write(JSON.stringify(graph.export()));
