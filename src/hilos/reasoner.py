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

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QuerySolutions, Store, Triple

from .namespaces import HILOS, NAME_PROPERTIES, OWL, RDF_TYPE, RDFS
from .remote import RemoteDatabase
from .text import normalise
from .vocab import vocabulary

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
        sub_class: dict[str, set[str]] = defaultdict(set)
        sub_prop: dict[str, set[str]] = defaultdict(set)
        inverse: dict[str, set[str]] = defaultdict(set)
        symmetric: set[str] = set()
        shortcut: dict[str, set[str]] = defaultdict(set)
        on_property: dict[BlankNode | NamedNode, str] = {}
        has_value: dict[BlankNode | NamedNode, Term] = {}
        restricted_by: dict[str, set[BlankNode | NamedNode]] = defaultdict(set)

        for triple in triples:
            s, p, o = triple.subject, triple.predicate.value, triple.object
            if isinstance(s, Triple) or isinstance(o, Triple):
                continue
            if p == RDFS.subClassOf.value:
                if isinstance(o, NamedNode) and isinstance(s, NamedNode):
                    sub_class[s.value].add(o.value)
                elif isinstance(o, BlankNode | NamedNode) and isinstance(s, NamedNode):
                    restricted_by[s.value].add(o)
            elif (
                not isinstance(s, NamedNode)
                and p != OWL.onProperty.value
                and p != OWL.hasValue.value
            ):
                continue  # anonymous classes and properties take no part in these rules
            elif p == RDFS.subPropertyOf.value and isinstance(o, NamedNode):
                sub_prop[s.value].add(o.value)
            elif p == OWL.inverseOf.value and isinstance(o, NamedNode):
                inverse[s.value].add(o.value)
                inverse[o.value].add(s.value)
            elif p == RDF_TYPE.value and o == OWL.SymmetricProperty:
                symmetric.add(s.value)
            elif p == HILOS.shortcut.value and isinstance(o, NamedNode):
                shortcut[s.value].add(o.value)
            elif p == OWL.onProperty.value and isinstance(o, NamedNode):
                on_property[s] = o.value
            elif p == OWL.hasValue.value and not isinstance(o, Triple):
                has_value[s] = o

        superclasses = closure(sub_class)
        own_values: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        for cls_iri, restrictions in restricted_by.items():
            for node in restrictions:
                if node in on_property and node in has_value:
                    own_values[cls_iri].append((on_property[node], has_value[node]))
        class_values: dict[str, tuple[tuple[str, Term], ...]] = {}
        for cls_iri in set(superclasses) | set(own_values):
            values = list(own_values.get(cls_iri, ()))
            for sup in superclasses.get(cls_iri, ()):
                values.extend(own_values.get(sup, ()))
            if values:
                class_values[cls_iri] = tuple(dict.fromkeys(values))
        tie_shortcuts: dict[str, frozenset[str]] = {}
        for cls_iri in set(superclasses) | set(shortcut):
            props = set(shortcut.get(cls_iri, ()))
            for sup in superclasses.get(cls_iri, ()):
                props |= shortcut.get(sup, set())
            if props:
                tie_shortcuts[cls_iri] = frozenset(props)
        return cls(
            superclasses=superclasses,
            class_values=class_values,
            superproperties=closure(sub_prop),
            inverses={k: frozenset(v) for k, v in inverse.items()},
            symmetric=frozenset(symmetric),
            shortcuts=tie_shortcuts,
        )


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
        tbox = self.terminology
        if p == RDF_TYPE:
            if isinstance(o, NamedNode):
                for sup in tbox.superclasses.get(o.value, ()):
                    yield Triple(s, RDF_TYPE, NamedNode(sup))
                for prop, value in tbox.class_values.get(o.value, ()):
                    yield Triple(s, NamedNode(prop), value)
            return
        if p == _SUBCLASS_OF and isinstance(s, NamedNode) and isinstance(o, NamedNode):
            for sup in tbox.superclasses.get(o.value, ()):
                if sup != s.value:
                    yield Triple(s, p, NamedNode(sup))
            return
        if p == _SUBPROPERTY_OF and isinstance(s, NamedNode) and isinstance(o, NamedNode):
            for sup in tbox.superproperties.get(o.value, ()):
                if sup != s.value:
                    yield Triple(s, p, NamedNode(sup))
            return
        if p.value in self._name_properties and isinstance(o, Literal):
            keyed = _with_label_key(s, o)
            if keyed is not None:
                yield keyed
        yield from self.expand_property(s, p.value, o)

    def shortcut_triples(
        self, store: Store | RemoteDatabase, graphs: list[NamedNode]
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


__all__ = ["TBOX_PREDICATES", "Reasoner", "Terminology", "closure", "is_tbox"]
