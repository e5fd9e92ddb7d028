"""The curated graph of the report: complete, exact, every tie a sourced claim.

The lists of names below were written by reading the report section by section, not from the
graph, so a name the graph lacks fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, Namespace

from conftest import shared
from hilos.entities import card as entity_card
from hilos.search import search
from hilos.store import Store
from hilos.validate import validate_store

HILOS = Namespace("https://w3id.org/hilos/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
REPORT = Path(__file__).resolve().parents[3] / "shared" / "report"
REPORT_FILE = REPORT / "non-conventional-armed-violence-mexico.txt"


def squash(text: str) -> str:
    """Whitespace collapsed, and a word hyphenated across a line break joined again."""
    return re.sub(r"(\w)- (\w)", r"\1-\2", " ".join(text.split()))


@pytest.fixture(scope="module")
def report_text() -> str:
    return squash(shared("report", REPORT_FILE.name).read_text(encoding="utf-8"))


def subclasses_of(ontology: rdflib.Graph, root: rdflib.URIRef) -> set[rdflib.URIRef]:
    found = {root}
    frontier = [root]
    while frontier:
        node = frontier.pop()
        for sub in ontology.subjects(RDFS.subClassOf, node):
            if isinstance(sub, rdflib.URIRef) and sub not in found:
                found.add(sub)
                frontier.append(sub)
    return found


def instances(graph: rdflib.Graph, classes: set[rdflib.URIRef]) -> set[rdflib.term.Node]:
    return {s for cls in classes for s in graph.subjects(RDF.type, cls)}


def test_the_curated_graph_conforms_to_the_shapes(memory_store: Store) -> None:
    report = validate_store(memory_store)
    assert report.conforms, [(v.focus_label, v.message) for v in report.violations]


def test_every_tie_has_a_status_a_quote_a_locator_and_sources(
    curated: rdflib.Graph, ontology: rdflib.Graph
) -> None:
    ties = instances(curated, subclasses_of(ontology, HILOS.Tie))
    assert len(ties) > 100
    for tie in ties:
        assert len(set(curated.objects(tie, HILOS.status))) == 1, tie
        assert len(set(curated.objects(tie, HILOS.quote))) == 1, tie
        assert set(curated.objects(tie, HILOS.locator)), tie
        sources = set(curated.objects(tie, PROV.wasDerivedFrom))
        assert rdflib.URIRef("https://w3id.org/hilos/id/report") in sources, tie


def test_every_quote_is_the_reports_own_words(curated: rdflib.Graph, report_text: str) -> None:
    quotes = {str(q) for q in curated.objects(None, HILOS.quote)}
    assert quotes
    for quote in quotes:
        for part in quote.split(" … "):
            assert squash(part) in report_text, part


def test_every_cited_source_is_a_source_with_a_citation(
    curated: rdflib.Graph, ontology: rdflib.Graph
) -> None:
    source_classes = subclasses_of(ontology, HILOS.Source)
    for source in set(curated.objects(None, PROV.wasDerivedFrom)):
        assert set(curated.objects(source, RDF.type)) & source_classes, source
        assert set(curated.objects(source, HILOS.citation)), source


def cited_works(text: str) -> set[tuple[str, str]]:
    """(authors, year) of every citation in the text: "(Adams, 2014: 1; Davis, 2010)" and
    "Snyder and Duran-Martinez (2009)" alike."""
    text = squash(text)
    works: set[tuple[str, str]] = set()
    for inside in re.findall(r"\(([^()]*\d{4}[^()]*)\)", text):
        for part in inside.split(";"):
            found = re.search(r"([A-ZÀ-Ý][\w\-À-ÿ&.,' ]*?),? (\d{4})[ab]?\b", part.strip())
            if found:
                works.add((found.group(1).strip().rstrip(","), found.group(2)))
    for found in re.finditer(r"([A-Z][\w\-]+(?: and [A-Z][\w\-]+)?) \((\d{4})", text):
        works.add((found.group(1), found.group(2)))
    return works


def test_every_cited_work_in_the_report_is_a_source(curated: rdflib.Graph) -> None:
    works = cited_works(shared("report", REPORT_FILE.name).read_text(encoding="utf-8"))
    assert ("Snyder and Duran-Martinez", "2009") in works and len(works) > 30
    names = [str(c) for c in curated.objects(None, HILOS.citation)]
    names += [str(c) for c in curated.objects(None, SKOS.altLabel)]
    for authors, year in works:
        surname = authors.split()[0].rstrip(",")
        assert any(surname in name and year in name for name in names), (authors, year)


def test_every_actor_has_a_sphere_and_labels_in_both_languages(
    memory_store: Store, curated: rdflib.Graph, ontology: rdflib.Graph
) -> None:
    actors = instances(curated, subclasses_of(ontology, HILOS.Actor))
    assert len(actors) > 60
    for actor in actors:
        languages = {label.language for label in curated.objects(actor, RDFS.label)}
        assert {"en", "es"} <= languages, actor
        card = entity_card(memory_store, str(actor))
        assert card.summary.spheres, actor


def test_every_referenced_entity_is_defined(curated: rdflib.Graph) -> None:
    defined = set(curated.subjects(RDF.type, None))
    hid = "https://w3id.org/hilos/id/"
    for s, _, o in curated:
        for node in (s, o):
            if isinstance(node, rdflib.URIRef) and str(node).startswith(hid):
                assert node in defined, node


# Names as the report gives them, section by section, with the kind of entity each must be.
NAMED = {
    "Executive summary": [
        ("43 trainee teachers", "hilos:VictimGroup"),
        ("Iguala", "hilos:City"),
    ],
    "Introduction": [
        ("Felipe Calderón", "hilos:President"),
        ("Enrique Peña Nieto", "hilos:President"),
        ("Colombia", "hilos:Country"),
        ("Brazil", "hilos:Country"),
        ("Venezuela", "hilos:Country"),
        ("Honduras", "hilos:Country"),
        ("Guatemala", "hilos:Country"),
        ("El Salvador", "hilos:Country"),
        ("Guerrero", "hilos:FederalState"),
        ("José Luis Abarca", "hilos:Mayor"),
        ("María de los Ángeles Pineda", "hilos:Person"),
        ("Guerreros Unidos", "hilos:CriminalOrganization"),
        ("Municipal police of Iguala", "hilos:MunicipalPolice"),
    ],
    "Drug-trafficking organisations": [
        ("Sinaloa cartel", "hilos:DrugTraffickingOrganization"),
        ("Zetas", "hilos:DrugTraffickingOrganization"),
        ("El Chapo", "hilos:Kingpin"),
        ("Joaquín Guzmán", "hilos:Kingpin"),
        ("special forces", "hilos:SpecialForces"),
        ("Tamaulipas", "hilos:FederalState"),
        ("Veracruz", "hilos:FederalState"),
        ("Chiapas", "hilos:FederalState"),
        ("journalists", "hilos:Press"),
        ("activists", "hilos:ActivistGroup"),
        ("governors", "hilos:PublicOfficials"),
    ],
    "Street gangs": [
        ("Barrio Azteca", "hilos:StreetGang"),
        ("Mexicles", "hilos:StreetGang"),
        ("Mexican Mafia", "hilos:StreetGang"),
        ("Monterrey", "hilos:City"),
        ("Ciudad Juárez", "hilos:City"),
        ("Tijuana", "hilos:City"),
        ("Juárez cartel", "hilos:DrugTraffickingOrganization"),
        ("Gulf cartel", "hilos:DrugTraffickingOrganization"),
        ("maras", "hilos:Mara"),
        ("transportistas", "hilos:TransportGroup"),
        ("U.S. government", "hilos:NationalGovernment"),
        ("Nicaragua", "hilos:Country"),
    ],
    "Self-defence forces": [
        ("self-defence forces", "hilos:SelfDefenceForce"),
        ("Knights Templar", "hilos:CriminalOrganization"),
        ("Jalisco cartel", "hilos:DrugTraffickingOrganization"),
        ("ronda comunitaria", "hilos:CommunityPolice"),
        ("Cherán", "hilos:Place"),
        ("Michoacán", "hilos:FederalState"),
        ("Ejército Popular Revolucionario", "hilos:GuerrillaGroup"),
        ("teachers’ unions", "hilos:Union"),
        ("student movement", "hilos:StudentMovement"),
        ("rural police", "hilos:RuralPolice"),
    ],
    "Addressing non-conventional violence in Mexico": [
        ("National Commission against Corruption", "hilos:Commission"),
        ("Mexican Congress", "hilos:Legislature"),
        ("Estado de México", "hilos:FederalState"),
        ("Chihuahua", "hilos:FederalState"),
        ("Sinaloa", "hilos:FederalState"),
        ("Baja California", "hilos:FederalState"),
        ("churches", "hilos:Church"),
        ("consulates", "hilos:DiplomaticMission"),
    ],
}


@pytest.mark.parametrize(
    ("section", "name", "kind"),
    [(section, name, kind) for section, names in NAMED.items() for name, kind in names],
)
def test_each_actor_and_place_the_report_names_is_in_the_graph(
    memory_store: Store, section: str, name: str, kind: str
) -> None:
    hits = search(memory_store, name)
    kinds = {t for hit in hits for t in hit.types}
    assert kind in kinds, (section, name, [(h.label, h.types) for h in hits[:5]])


def test_sinaloa_and_zetas_show_contrasting_profiles(memory_store: Store) -> None:
    sinaloa = entity_card(memory_store, "https://w3id.org/hilos/id/sinaloa-cartel")
    zetas = entity_card(memory_store, "https://w3id.org/hilos/id/zetas")
    sinaloa_relations = {t.relation for t in sinaloa.ties}
    zetas_relations = {t.relation for t in zetas.ties}
    # Sinaloa: bribery of officials, acquiescence of communities, drug production/trans-shipment
    assert "hilos:Bribery" in sinaloa_relations
    assert "hilos:Acquiescence" in sinaloa_relations
    assert any(t.other.endswith("DrugProductionAndTransshipment") for t in sinaloa.ties)
    # Zetas: born of the army's special forces, operating across states and countries
    assert "hilos:Origin" in zetas_relations
    places = {t.other_label for t in zetas.ties if t.relation == "hilos:Presence"}
    assert {"Tamaulipas", "Veracruz", "Chiapas", "Guatemala", "Honduras", "El Salvador"} <= places
    # every tie on both cards carries its evidence
    for tie in (*sinaloa.ties, *zetas.ties):
        assert tie.quote and tie.status and tie.sources


def test_the_mayors_card_shows_the_iguala_chain(memory_store: Store) -> None:
    mayor = entity_card(memory_store, "https://w3id.org/hilos/id/jose-luis-abarca")
    command = [t for t in mayor.ties if t.relation == "hilos:Command"]
    assert [t.other for t in command] == ["https://w3id.org/hilos/id/iguala-municipal-police"]
    police = entity_card(memory_store, command[0].other)
    handover = [t for t in police.ties if t.relation == "hilos:Collusion"]
    assert "https://w3id.org/hilos/id/guerreros-unidos" in [t.other for t in handover]
