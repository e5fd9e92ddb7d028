"""IRIs of the vocabularies hilos uses, as pyoxigraph terms.

`tests/test_namespaces.py` checks every `HILOS` term used here against `ontology/hilos.ttl`,
so a typo fails a test instead of silently matching nothing.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

HILOS_NS = "https://w3id.org/hilos/ontology#"
HID_NS = "https://w3id.org/hilos/id/"
# Bookkeeping of the store itself (which graphs are loaded, from where); not part of the ontology.
STORE_NS = "https://w3id.org/hilos/store#"

PREFIXES: dict[str, str] = {
    "hilos": HILOS_NS,
    "hid": HID_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "time": "http://www.w3.org/2006/time#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "ftm": "https://schema.followthemoney.tech/#",
    "sh": "http://www.w3.org/ns/shacl#",
}


class _Namespace:
    """Attribute access to the terms of one namespace: `HILOS.Tie`."""

    def __init__(self, base: str) -> None:
        self._base = base

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return NamedNode(self._base + name)

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self._base + name)

    @property
    def base(self) -> str:
        return self._base


HILOS = _Namespace(HILOS_NS)
HID = _Namespace(HID_NS)
STORE = _Namespace(STORE_NS)
RDF = _Namespace(PREFIXES["rdf"])
RDFS = _Namespace(PREFIXES["rdfs"])
OWL = _Namespace(PREFIXES["owl"])
XSD = _Namespace(PREFIXES["xsd"])
SKOS = _Namespace(PREFIXES["skos"])
PROV = _Namespace(PREFIXES["prov"])
GEO = _Namespace(PREFIXES["geo"])
DCTERMS = _Namespace(PREFIXES["dcterms"])

RDF_TYPE = RDF.type

# Properties whose literal values name an entity; search looks at all of them.
NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)


def compact(iri: str) -> str:
    """Shorten an IRI with the known prefixes: `hilos:Tie` for the full IRI.

    >>> compact("https://w3id.org/hilos/ontology#Tie")
    'hilos:Tie'
    >>> compact("http://example.org/x")
    'http://example.org/x'
    """
    best = ""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and len(base) > len(PREFIXES.get(best, "")):
            local = iri[len(base) :]
            if local and all(ch.isalnum() or ch in "-_." for ch in local):
                best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def expand(name: str) -> str | None:
    """The full IRI of a prefixed name such as `hid:zetas`, or None if it is not one.

    >>> expand("hid:zetas")
    'https://w3id.org/hilos/id/zetas'
    >>> expand("zetas") is None
    True
    """
    prefix, sep, local = name.partition(":")
    if not sep or prefix not in PREFIXES or local.startswith("//"):
        return None
    return PREFIXES[prefix] + local
