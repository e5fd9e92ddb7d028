"""The inferences the queries rely on, materialised when a graph is loaded.

Rules (a small subset of RDFS and OWL 2 RL, chosen so that plain SPARQL sees what it needs):

* sub-class closure of `rdf:type` over named classes, and of `rdfs:subClassOf` and
  `rdfs:subPropertyOf` themselves (so one step up the hierarchy reaches every ancestor, and
  queries need no property paths, which some servers evaluate wrongly);
* `owl:hasValue` restrictions on a class give its instances that value (how an actor gets
  its sphere from its class);
* sub-property closure, `owl:inverseOf` and `owl:SymmetricProperty`;
* the shortcut triple of every claim that asserts its relation (its status and modality say
  so, `hilos:asserts`): a tie of class C from A to B adds `A p B`, where `C hilos:shortcut p`
  (then closed as above); an alleged, disputed or refuted claim, an intention, a
  recommendation or a warning stays a claim node only;
* a normalised `hilos:searchKey` for every label and alias.

The terminology (the "TBox") is read from the ontology plus the file being loaded, so a user's
file may extend the ontology with classes of its own.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
)

from ..namespaces import HILOS, NAME_PROPERTIES, OWL, RDF_TYPE, RDFS

# The reasoner's queries are written from the terminology (its VALUES lists, the statuses that
# assert, the rules generated from the ontology's axioms): they stay as code, not .rq files.
from ..text import normalise
from ..vocab import vocabulary

if TYPE_CHECKING:
    from .database import Database

Subject = NamedNode | BlankNode
Term = NamedNode | BlankNode | Literal

# Predicates whose triples make up the terminology.
TBOX_PREDICATES = frozenset(
    term.value
    for term in (
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        OWL.inverseOf,
        OWL.onProperty,
        OWL.hasValue,
        HILOS.shortcut,
    )
)


def is_tbox(triple: Triple | Quad) -> bool:
    """Whether a triple belongs to the terminology the reasoner reads."""
    p = triple.predicate.value
    return p in TBOX_PREDICATES or (p == RDF_TYPE.value and triple.object == OWL.SymmetricProperty)


def _shortcut_query() -> str:
    """The ties whose status and modality assert their relation, with their asserted classes.

    The tie's asserted classes suffice: a class's shortcuts include its ancestors'. Reading only
    them (not the nine or so derived ancestors) keeps the rows to about one per tie. A tie with
    a status that does not assert (alleged, disputed, refuted), with none, or with a modality
    other than "stated" (an intention, a recommendation, a warning) gets no shortcut; nor does
    one with several statuses of which one does not assert (evidence merged by an older import).
    """
    vocab = vocabulary()
    asserting = ", ".join(f"<{s.iri}>" for s in vocab.asserting_statuses)
    stated = ", ".join(f"<{m.iri}>" for m in vocab.asserting_modalities())
    return f"""
PREFIX hilos: <https://w3id.org/hilos/ontology#>
SELECT ?a ?class ?b WHERE {{
  ?tie hilos:from ?a ; hilos:to ?b ; hilos:status ?status .
  FILTER(?status IN ({asserting}))
  FILTER NOT EXISTS {{ ?tie hilos:status ?other . FILTER(?other NOT IN ({asserting})) }}
  FILTER NOT EXISTS {{ ?tie hilos:modality ?modality . FILTER(?modality NOT IN ({stated})) }}
  GRAPH ?asserted {{ ?tie a ?class }}
}}
"""


_SUBCLASS_OF = RDFS.subClassOf
_SUBPROPERTY_OF = RDFS.subPropertyOf


def closure(direct: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    """Transitive closure of a relation given as adjacency sets (cycles tolerated)."""
    closed: dict[str, frozenset[str]] = {}
    for start in direct:
        seen: set[str] = set()
        stack = list(direct[start])
        while stack:
            node = stack.pop()
            if node in seen or node == start:
                continue
            seen.add(node)
            stack.extend(direct.get(node, ()))
        closed[start] = frozenset(seen)
    return closed


@dataclass
class Terminology:
    """What the reasoner needs to know of the classes and properties."""

    superclasses: dict[str, frozenset[str]] = field(default_factory=dict)
    class_values: dict[str, tuple[tuple[str, Term], ...]] = field(default_factory=dict)
    superproperties: dict[str, frozenset[str]] = field(default_factory=dict)
    inverses: dict[str, frozenset[str]] = field(default_factory=dict)
    symmetric: frozenset[str] = frozenset()
    shortcuts: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_triples(cls, triples: Iterable[Triple | Quad]) -> Terminology:
        reader = _TerminologyReader()
        for triple in triples:
            reader.read(triple)
        return reader.terminology()


_Restriction = BlankNode | NamedNode


class _TerminologyReader:
    """The statements of an ontology a `Terminology` is made of, gathered one at a time."""

    def __init__(self) -> None:
        self.sub_class: dict[str, set[str]] = defaultdict(set)
        self.sub_prop: dict[str, set[str]] = defaultdict(set)
        self.inverse: dict[str, set[str]] = defaultdict(set)
        self.symmetric: set[str] = set()
        self.shortcut: dict[str, set[str]] = defaultdict(set)
        self.on_property: dict[_Restriction, str] = {}
        self.has_value: dict[_Restriction, Term] = {}
        self.restricted_by: dict[str, set[_Restriction]] = defaultdict(set)
        # (one handler per predicate: each predicate has one rule)
        self._handlers = {
            RDFS.subPropertyOf.value: self._sub_property_of,
            OWL.inverseOf.value: self._inverse_of,
            RDF_TYPE.value: self._type,
            HILOS.shortcut.value: self._shortcut,
            OWL.onProperty.value: self._on_property,
            OWL.hasValue.value: self._has_value,
        }

    def read(self, triple: Triple | Quad) -> None:
        s, p, o = triple.subject, triple.predicate.value, triple.object
        if isinstance(s, Triple) or isinstance(o, Triple):
            return
        if p == RDFS.subClassOf.value:
            self._sub_class_of(s, o)
            return
        if not isinstance(s, NamedNode) and p != OWL.onProperty.value and p != OWL.hasValue.value:
            return  # anonymous classes and properties take no part in these rules
        handler = self._handlers.get(p)
        if handler is not None:
            handler(s, o)

    def _sub_class_of(self, s: _Restriction, o: Term) -> None:
        if isinstance(o, NamedNode) and isinstance(s, NamedNode):
            self.sub_class[s.value].add(o.value)
        elif isinstance(o, BlankNode | NamedNode) and isinstance(s, NamedNode):
            self.restricted_by[s.value].add(o)  # (a restriction: its property and value)

    def _sub_property_of(self, s: _Restriction, o: Term) -> None:
        if isinstance(o, NamedNode):
            self.sub_prop[s.value].add(o.value)

    def _inverse_of(self, s: _Restriction, o: Term) -> None:
        if isinstance(o, NamedNode):
            self.inverse[s.value].add(o.value)
            self.inverse[o.value].add(s.value)

    def _type(self, s: _Restriction, o: Term) -> None:
        if o == OWL.SymmetricProperty:
            self.symmetric.add(s.value)

    def _shortcut(self, s: _Restriction, o: Term) -> None:
        if isinstance(o, NamedNode):
            self.shortcut[s.value].add(o.value)

    def _on_property(self, s: _Restriction, o: Term) -> None:
        if isinstance(o, NamedNode):
            self.on_property[s] = o.value

    def _has_value(self, s: _Restriction, o: Term) -> None:
        self.has_value[s] = o

    def terminology(self) -> Terminology:
        superclasses = closure(self.sub_class)
        return Terminology(
            superclasses=superclasses,
            class_values=self._class_values(superclasses),
            superproperties=closure(self.sub_prop),
            inverses={k: frozenset(v) for k, v in self.inverse.items()},
            symmetric=frozenset(self.symmetric),
            shortcuts=self._shortcuts(superclasses),
        )

    def _class_values(
        self, superclasses: dict[str, frozenset[str]]
    ) -> dict[str, tuple[tuple[str, Term], ...]]:
        """The (property, value) pairs of every class's restrictions, its superclasses'
        included."""
        own_values: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        for cls_iri, restrictions in self.restricted_by.items():
            for node in restrictions:
                if node in self.on_property and node in self.has_value:
                    own_values[cls_iri].append((self.on_property[node], self.has_value[node]))
        class_values: dict[str, tuple[tuple[str, Term], ...]] = {}
        for cls_iri in set(superclasses) | set(own_values):
            values = list(own_values.get(cls_iri, ()))
            for sup in superclasses.get(cls_iri, ()):
                values.extend(own_values.get(sup, ()))
            if values:
                class_values[cls_iri] = tuple(dict.fromkeys(values))
        return class_values

    def _shortcuts(self, superclasses: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
        """The shortcut properties of every tie class, its superclasses' included."""
        tie_shortcuts: dict[str, frozenset[str]] = {}
        for cls_iri in set(superclasses) | set(self.shortcut):
            props = set(self.shortcut.get(cls_iri, ()))
            for sup in superclasses.get(cls_iri, ()):
                props |= self.shortcut.get(sup, set())
            if props:
                tie_shortcuts[cls_iri] = frozenset(props)
        return tie_shortcuts


def _up_the_hierarchy(
    s: NamedNode, p: NamedNode, o: NamedNode, supers: dict[str, frozenset[str]]
) -> Iterator[Triple]:
    """`s p o` (a sub-class or sub-property statement): s is also below every class (or
    property) above o, other than itself."""
    for sup in supers.get(o.value, ()):
        if sup != s.value:
            yield Triple(s, p, NamedNode(sup))


def _with_label_key(triple_subject: Subject, value: Literal) -> Triple | None:
    key = normalise(value.value)
    if not key:
        return None
    return Triple(triple_subject, HILOS.searchKey, Literal(key))


class Reasoner:
    """Derives the materialised triples of a graph, given a terminology."""

    def __init__(self, terminology: Terminology) -> None:
        self.terminology = terminology
        self._name_properties = {p.value for p in NAME_PROPERTIES}
        # per property: what `s p o` implies forwards (`s q o`) and backwards (`o q s`),
        # worked out once (loading calls this for every statement)
        self._expansions: dict[str, tuple[tuple[NamedNode, ...], tuple[NamedNode, ...]]] = {}

    def _expansion(self, p: str) -> tuple[tuple[NamedNode, ...], tuple[NamedNode, ...]]:
        found = self._expansions.get(p)
        if found is not None:
            return found
        tbox = self.terminology
        properties = {p, *tbox.superproperties.get(p, ())}
        forward = sorted(prop for prop in properties if prop != p)
        backward: set[str] = set()
        for prop in properties:
            reverse = set(tbox.inverses.get(prop, ()))
            if prop in tbox.symmetric:
                reverse.add(prop)
            for inv in reverse:
                backward |= {inv, *tbox.superproperties.get(inv, ())}
        found = (
            tuple(NamedNode(prop) for prop in forward),
            tuple(NamedNode(prop) for prop in sorted(backward)),
        )
        self._expansions[p] = found
        return found

    def expand_property(self, s: Subject, p: str, o: Term) -> Iterator[Triple]:
        """Triples implied by `s p o` through sub-properties, inverses and symmetry."""
        forward, backward = self._expansion(p)
        for prop in forward:
            yield Triple(s, prop, o)
        if backward and not isinstance(o, Literal):
            for prop in backward:
                yield Triple(o, prop, s)

    def infer_from_triple(self, triple: Triple | Quad) -> Iterator[Triple]:
        """Inferences that need only one asserted triple (streams over any file)."""
        s, p, o = triple.subject, triple.predicate, triple.object
        if isinstance(s, Triple) or isinstance(o, Triple):
            return
        if p == RDF_TYPE:
            yield from self._from_type(s, o)
            return
        hierarchy = p in (_SUBCLASS_OF, _SUBPROPERTY_OF)
        if hierarchy and isinstance(s, NamedNode) and isinstance(o, NamedNode):
            yield from _up_the_hierarchy(s, p, o, self._above(p))
            return
        if p.value in self._name_properties and isinstance(o, Literal):
            keyed = _with_label_key(s, o)
            if keyed is not None:
                yield keyed
        yield from self.expand_property(s, p.value, o)

    def _above(self, p: NamedNode) -> dict[str, frozenset[str]]:
        """What is above each class (rdfs:subClassOf) or each property (rdfs:subPropertyOf)."""
        tbox = self.terminology
        return tbox.superclasses if p == _SUBCLASS_OF else tbox.superproperties

    def _from_type(self, s: Subject, o: Term) -> Iterator[Triple]:
        """`s a C`: s is of C's superclasses, and has the values C's restrictions state."""
        if not isinstance(o, NamedNode):
            return
        tbox = self.terminology
        for sup in tbox.superclasses.get(o.value, ()):
            yield Triple(s, RDF_TYPE, NamedNode(sup))
        for prop, value in tbox.class_values.get(o.value, ()):
            yield Triple(s, NamedNode(prop), value)

    def shortcut_triples(
        self, store: Store | Database, graphs: list[NamedNode]
    ) -> Iterator[Triple]:
        """The shortcut triple of every tie in `graphs`, with its closure.

        `graphs` starts with the graph whose ties are read (their classes as stated there),
        followed by the graph of what was derived from it. Runs after the statements are in the
        store, so it sees ties whatever the order of their triples.
        """
        shortcuts = self.terminology.shortcuts
        answer = store.query(
            _shortcut_query(),
            default_graph=list[Any](graphs),
            named_graphs=list[Any](graphs[:1]),
        )
        if not isinstance(answer, QuerySolutions):  # pragma: no cover - a SELECT above
            return
        for row in answer:
            a, cls, b = row["a"], row["class"], row["b"]
            if not isinstance(a, NamedNode | BlankNode) or not isinstance(b, NamedNode | BlankNode):
                continue
            for prop in shortcuts.get(cls.value, ()) if isinstance(cls, NamedNode) else ():
                p = NamedNode(prop)
                yield Triple(a, p, b)
                yield from self.expand_property(a, prop, b)

    # ------------------------------------------------------------ set at a time

    def derive(
        self, store: Store, asserted: NamedNode, inferred: NamedNode, *, bulk: bool = True
    ) -> None:
        """Write into `inferred` everything the rules derive from the graph `asserted`.

        The same statements as `infer_from_triple` over every statement of `asserted` followed
        by `shortcut_triples`, but set at a time: the engine selects what each rule reads (the
        typed subjects, the names, the asserting ties) in one query per rule and serialises the
        answer; Python turns each row into N-Triples lines through a table made once from the
        terminology (what a class implies, what a shortcut implies), and the engine's loader
        writes them (`bulk`: the bulk loader, not transactional, for a graph no query sees
        yet). The property rules (sub-properties, inverses, symmetry) are CONSTRUCT queries.
        Rows that hold blank nodes are written as terms instead: a parser would rename them.
        """
        out = _Output(inferred)
        self._class_lines(store, asserted, out)
        self._search_key_lines(store, asserted, out)
        for rule in self.derivation_rules(asserted):
            out.construct(store, rule)
        out.write(store, bulk)
        out = _Output(inferred)
        self._shortcut_lines(store, asserted, inferred, out)
        out.write(store, bulk)

    def _class_lines(self, store: Store, asserted: NamedNode, out: _Output) -> None:
        """`s a C` implies `s a D` for every superclass D and `s p v` for every value
        restriction of C."""
        tbox = self.terminology
        implied: dict[str, list[tuple[NamedNode, Term]]] = {}
        for cls in set(tbox.superclasses) | set(tbox.class_values):
            pairs: list[tuple[NamedNode, Term]] = [
                (RDF_TYPE, NamedNode(sup)) for sup in sorted(tbox.superclasses.get(cls, ()))
            ]
            pairs += [(NamedNode(prop), value) for prop, value in tbox.class_values.get(cls, ())]
            if pairs:
                implied[str(NamedNode(cls))] = pairs
        rows = _tsv(store, f"SELECT ?s ?c WHERE {{ GRAPH {asserted} {{ ?s a ?c }} }}")
        out.expand(rows, implied, swap=False)

    def _shortcut_lines(
        self, store: Store, asserted: NamedNode, inferred: NamedNode, out: _Output
    ) -> None:
        """The shortcut triple of every asserting tie (read with what was derived from it so
        far, in `inferred`) and its closure."""
        forward: dict[str, list[tuple[NamedNode, Term]]] = {}
        backward: dict[str, list[tuple[NamedNode, Term]]] = {}
        for cls, props in self.terminology.shortcuts.items():
            key = str(NamedNode(cls))
            for prop in sorted(props):
                ahead, back = self._expansion(prop)
                forward.setdefault(key, []).extend((q, _OBJECT) for q in (NamedNode(prop), *ahead))
                if back:
                    backward.setdefault(key, []).extend((q, _OBJECT) for q in back)
        if not forward:
            return
        rows = _asserting_ties(store, asserted, inferred, sorted(forward))
        out.expand(rows, forward, swap=False)
        out.expand(rows, backward, swap=True)

    def _search_key_lines(self, store: Store, asserted: NamedNode, out: _Output) -> None:
        names = " ".join(str(p) for p in NAME_PROPERTIES)
        answer = store.query(
            f"SELECT ?s ?o WHERE {{ VALUES ?p {{ {names} }} "
            f"GRAPH {asserted} {{ ?s ?p ?o }} FILTER(isLiteral(?o)) }}"
        )
        if not isinstance(answer, QuerySolutions):  # pragma: no cover - a SELECT above
            return
        data = answer.serialize(format=QueryResultsFormat.JSON) or b"{}"
        keys: dict[str, str] = {}
        predicate = str(HILOS.searchKey)
        for row in json.loads(data).get("results", {}).get("bindings", []):
            text = row["o"]["value"]
            key = keys.get(text)
            if key is None:
                # a key is letters, digits and single spaces: nothing to escape in N-Triples
                key = keys[text] = normalise(text)
            if not key:
                continue
            subject = row["s"]
            if subject["type"] == "uri":
                out.lines.append(f'<{subject["value"]}> {predicate} "{key}" .\n')
            else:
                out.terms.append((BlankNode(subject["value"]), HILOS.searchKey, Literal(key)))

    def derivation_rules(self, asserted: NamedNode) -> list[_Rule]:
        """The property rules (sub-class and sub-property closure of the hierarchy itself,
        sub-properties, inverses, symmetry) as CONSTRUCT queries over `asserted`."""
        tbox = self.terminology
        updates: list[_Rule] = []
        for relation, hierarchy in (
            (_SUBCLASS_OF, tbox.superclasses),
            (_SUBPROPERTY_OF, tbox.superproperties),
        ):
            pairs = [
                (NamedNode(sub), NamedNode(sup))
                for sub, sups in sorted(hierarchy.items())
                for sup in sorted(sups)
            ]
            if pairs:
                updates.append(
                    _insert(
                        f"?s {relation} ?sup",
                        ("?o", "?sup"),
                        pairs,
                        f"GRAPH {asserted} {{ ?s {relation} ?o }} FILTER(isIRI(?s) && ?s != ?sup)",
                    )
                )
        forward: list[tuple[NamedNode, NamedNode]] = []
        backward: list[tuple[NamedNode, NamedNode]] = []
        for p in sorted(self._expanded_properties()):
            ahead, back = self._expansion(p)
            forward += [(NamedNode(p), q) for q in ahead]
            backward += [(NamedNode(p), q) for q in back]
        # `rdfs:subClassOf`/`rdfs:subPropertyOf` between two IRIs have rules of their own
        both_iris = (
            f"FILTER(!((?p = {_SUBCLASS_OF} || ?p = {_SUBPROPERTY_OF}) && isIRI(?s) && isIRI(?o)))"
        )
        if forward:
            updates.append(
                _insert(
                    "?s ?q ?o",
                    ("?p", "?q"),
                    forward,
                    f"GRAPH {asserted} {{ ?s ?p ?o }} FILTER(!isTRIPLE(?o)) {both_iris}",
                )
            )
        if backward:
            updates.append(
                _insert(
                    "?o ?q ?s",
                    ("?p", "?q"),
                    backward,
                    f"GRAPH {asserted} {{ ?s ?p ?o }} FILTER(isIRI(?o) || isBLANK(?o)) {both_iris}",
                )
            )
        return updates

    def _expanded_properties(self) -> set[str]:
        """Every property whose statements imply others (through super-properties, inverses or
        symmetry); any other property's `_expansion` is empty."""
        tbox = self.terminology
        found = {p for p, sups in tbox.superproperties.items() if sups}
        reversing = set(tbox.inverses) | set(tbox.symmetric)
        found |= reversing
        found |= {p for p, sups in tbox.superproperties.items() if sups & reversing}
        found.discard(RDF_TYPE.value)  # a type implies only the class rules
        return found


_PREFIX = "PREFIX hilos: <https://w3id.org/hilos/ontology#>\n"
_OBJECT: Any = object()
"""In a table of what a row implies: the row's other end."""


@dataclass(frozen=True)
class _Rule:
    """One derivation rule: what it writes (`template`) for each answer to `where`, read
    from the union of `default` (when given) with `named` as the graphs it may name."""

    template: str
    where: str
    default: tuple[NamedNode, ...] = ()
    named: tuple[NamedNode, ...] = ()

    def construct(self, store: Store) -> QueryTriples:
        answer = store.query(
            f"{_PREFIX}CONSTRUCT {{ {self.template} }} WHERE {{ {self.where} }}",
            default_graph=list[Any](self.default) if self.default else None,
            named_graphs=list[Any](self.named) if self.named else None,
        )
        if not isinstance(answer, QueryTriples):  # pragma: no cover - a CONSTRUCT above
            raise TypeError("a CONSTRUCT query gave no triples")
        return answer


def _insert(
    template: str,
    variables: tuple[str, ...],
    rows: Iterable[tuple[NamedNode | Literal, ...]],
    where: str,
) -> _Rule:
    """`template` for each row of `VALUES (variables) { rows }` joined with `where`."""
    table = " ".join("(" + " ".join(str(term) for term in row) + ")" for row in rows)
    return _Rule(template, f"VALUES ({' '.join(variables)}) {{ {table} }} {where}")


def _asserting_ties(
    store: Store, asserted: NamedNode, inferred: NamedNode, classes: list[str]
) -> list[list[str]]:
    """The rows of `_shortcut_query` (a tie's two ends and its asserted class, for every tie
    whose status and modality assert it), for the ties whose class is one of `classes`.

    The engine joins the query's patterns by looking each tie up again in every graph of the
    dataset (about half the time of a 100,000-entity load went there); here each pattern is
    read once, as one scan of its predicate, and the rows are joined by tie in Python. The
    statements are read with what was derived so far (`inferred`, e.g. a sub-property of
    `hilos:from`), the classes as asserted.
    """
    vocab = vocabulary()
    asserting = {str(NamedNode(status.iri)) for status in vocab.asserting_statuses}
    stated = {str(NamedNode(modality.iri)) for modality in vocab.asserting_modalities()}
    graphs = [asserted, inferred]

    def values(prop: NamedNode) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for tie, value in _tsv(
            store, f"SELECT ?s ?c WHERE {{ ?s {prop} ?c }}", default_graph=graphs
        ):
            found[tie].add(value)
        return found

    listed = " ".join(classes)
    typed = _tsv(
        store, f"SELECT ?s ?c WHERE {{ GRAPH {asserted} {{ ?s a ?c }} VALUES ?c {{ {listed} }} }}"
    )
    if not typed:
        return []
    statuses, modalities = values(HILOS.status), values(HILOS.modality)
    starts, ends = values(HILOS["from"]), values(HILOS.to)
    rows: list[list[str]] = []
    for tie, cls in typed:
        status = statuses.get(tie)
        # every status asserts (one that does not, merged from another import, vetoes), and
        # so does every modality, if any is given
        if not status or not status <= asserting or not modalities.get(tie, set()) <= stated:
            continue
        rows += [[a, cls, b] for a in starts.get(tie, ()) for b in ends.get(tie, ())]
    return rows


def _tsv(
    store: Store,
    sparql: str,
    *,
    default_graph: list[NamedNode] | None = None,
    named_graphs: list[NamedNode] | None = None,
    columns: tuple[str, ...] = ("s", "c"),
) -> list[list[str]]:
    """A SELECT's rows as the engine writes them in TSV: each term in N-Triples syntax."""
    answer = store.query(
        sparql,
        default_graph=list[Any](default_graph) if default_graph else None,
        named_graphs=list[Any](named_graphs) if named_graphs else None,
    )
    if not isinstance(answer, QuerySolutions):  # pragma: no cover - a SELECT above
        return []
    order = [str(v)[1:] for v in answer.variables]
    picks = [order.index(column) for column in columns]
    data = (answer.serialize(format=QueryResultsFormat.TSV) or b"").decode("utf-8")
    rows = data.split("\n")[1:]
    return [[fields[i] for i in picks] for row in rows if row for fields in [row.split("\t")]]


def _blank(term: object) -> bool:
    return isinstance(term, BlankNode)


def _term(text: str) -> NamedNode | BlankNode:
    return BlankNode(text[2:]) if text.startswith("_:") else NamedNode(text[1:-1])


@dataclass
class _Output:
    """Derived statements on their way into `graph`: N-Triples lines for the engine's loader,
    and the statements with blank nodes as terms (a parser would rename those nodes)."""

    graph: NamedNode
    lines: list[str] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)
    terms: list[tuple[Subject, NamedNode, Term]] = field(default_factory=list)

    def expand(
        self,
        rows: list[list[str]],
        implied: dict[str, list[tuple[NamedNode, Term]]],
        *,
        swap: bool,
    ) -> None:
        """For each row (subject, key[, other end]), the statements `implied` by its key:
        `subject p o` (o the other end where the table says `_OBJECT`), or, with `swap`,
        `other p subject`."""
        text = {
            key: [(str(p), o if o is _OBJECT else str(o)) for p, o in pairs]
            for key, pairs in implied.items()
        }
        exact = {key for key, pairs in implied.items() if any(_blank(o) for _, o in pairs)}
        lines = self.lines
        for row in rows:
            pairs = text.get(row[1])
            if pairs is None:
                continue
            subject = row[0]
            other = row[2] if len(row) > 2 else ""
            if swap:
                subject, other = other, subject
            if not subject.startswith(("<", "_:")) or (other and not other.startswith(("<", "_:"))):
                continue  # a literal cannot be a subject (nor an end of a tie)
            if subject.startswith("_:") or other.startswith("_:") or row[1] in exact:
                for prop, value in implied[row[1]]:
                    obj = _term(other) if value is _OBJECT else value
                    self.terms.append((_term(subject), prop, obj))
                continue
            for p, o in pairs:
                lines.append(f"{subject} {p} {other if o is _OBJECT else o} .\n")

    def construct(self, store: Store, rule: _Rule) -> None:
        data = rule.construct(store).serialize(format=RdfFormat.N_TRIPLES)
        if not data:
            return
        if b"_:" in data:  # perhaps a blank node (or a literal naming one): keep it exact
            self.terms.extend((t.subject, t.predicate, t.object) for t in rule.construct(store))
        else:
            self.chunks.append(data)

    def write(self, store: Store, bulk: bool) -> None:
        if self.lines:
            self.chunks.append("".join(self.lines).encode("utf-8"))
            self.lines = []
        if self.chunks:
            load = store.bulk_load if bulk else store.load
            load(b"".join(self.chunks), RdfFormat.N_TRIPLES, to_graph=self.graph)
            self.chunks = []
        if self.terms:
            quads = [Quad(s, p, o, self.graph) for s, p, o in self.terms]
            (store.bulk_extend if bulk else store.extend)(quads)
            self.terms = []


__all__ = ["TBOX_PREDICATES", "Reasoner", "Terminology", "closure", "is_tbox"]
