"""Tests of the hilos ontology (ontology/hilos.ttl) and its SHACL shapes (ontology/shapes.ttl).

The names below are the binding vocabulary that the package relies on; they are written out by
hand so that a rename or a typo in the ontology fails here.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology" / "hilos.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"

HILOS = Namespace("https://w3id.org/hilos/ontology#")
HID = Namespace("https://w3id.org/hilos/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
TIME = Namespace("http://www.w3.org/2006/time#")
SCHEMA = Namespace("https://schema.org/")
FTM = Namespace("https://schema.followthemoney.tech/#")
SH = Namespace("http://www.w3.org/ns/shacl#")

ONTOLOGY_IRI = URIRef("https://w3id.org/hilos/ontology")

# --------------------------------------------------------------------------------------------
# The binding vocabulary
# --------------------------------------------------------------------------------------------

SPHERE_BASES = {
    "StateActor": "StateSphere",
    "CriminalActor": "CriminalSphere",
    "CommunityActor": "CommunitySphere",
    "CivilActor": "CivilSphere",
}

# concrete actor class -> (its sphere, its kind: Person / Organization / Collective)
CONCRETE_ACTORS = {
    # criminal
    "CriminalOrganization": ("CriminalSphere", "Organization"),
    "DrugTraffickingOrganization": ("CriminalSphere", "Organization"),
    "CriminalCell": ("CriminalSphere", "Organization"),
    "LocalCriminalGroup": ("CriminalSphere", "Organization"),
    "StreetGang": ("CriminalSphere", "Organization"),
    "Mara": ("CriminalSphere", "Organization"),
    "TransportGroup": ("CriminalSphere", "Organization"),
    "Kingpin": ("CriminalSphere", "Person"),
    # state
    "Government": ("StateSphere", "Organization"),
    "MunicipalGovernment": ("StateSphere", "Organization"),
    "StateGovernment": ("StateSphere", "Organization"),
    "Official": ("StateSphere", "Person"),
    "President": ("StateSphere", "Person"),
    "Governor": ("StateSphere", "Person"),
    "Mayor": ("StateSphere", "Person"),
    "SecurityForce": ("StateSphere", "Organization"),
    "Police": ("StateSphere", "Organization"),
    "MunicipalPolice": ("StateSphere", "Organization"),
    "StatePolice": ("StateSphere", "Organization"),
    "FederalPolice": ("StateSphere", "Organization"),
    "RuralPolice": ("StateSphere", "Organization"),
    "ArmedForces": ("StateSphere", "Organization"),
    "SpecialForces": ("StateSphere", "Organization"),
    "PrisonSystem": ("StateSphere", "Organization"),
    "Legislature": ("StateSphere", "Organization"),
    "Commission": ("StateSphere", "Organization"),
    "StateInstitution": ("StateSphere", "Organization"),
    "DiplomaticMission": ("StateSphere", "Organization"),
    "PublicOfficials": ("StateSphere", "Collective"),
    # community
    "SelfDefenceForce": ("CommunitySphere", "Organization"),
    "CommunityPolice": ("CommunitySphere", "Organization"),
    "GuerrillaGroup": ("CommunitySphere", "Organization"),
    "Community": ("CommunitySphere", "Collective"),
    "VictimGroup": ("CommunitySphere", "Collective"),
    "MigrantGroup": ("CommunitySphere", "Collective"),
    "YouthGroup": ("CommunitySphere", "Collective"),
    # civil
    "Union": ("CivilSphere", "Organization"),
    "StudentMovement": ("CivilSphere", "Collective"),
    "Church": ("CivilSphere", "Organization"),
    "NGO": ("CivilSphere", "Organization"),
    "Press": ("CivilSphere", "Collective"),
    "ActivistGroup": ("CivilSphere", "Collective"),
    "Business": ("CivilSphere", "Organization"),
    "School": ("CivilSphere", "Organization"),
}

# actor classes that deliberately carry no sphere
SPHERELESS_ACTORS = {
    "Actor", "Person", "Organization", "Collective", "NonStateArmedGroup", "Grouping",
}  # fmt: skip

# tie class -> (its shortcut property, the class it is a direct subclass of)
TIES = {
    "CooperationTie": ("cooperatesWith", "Tie"),
    "Collusion": ("colludesWith", "CooperationTie"),
    "Bribery": ("bribes", "Collusion"),
    "Protection": ("protects", "Collusion"),
    "Infiltration": ("infiltrates", "Collusion"),
    "Cooptation": ("coopts", "Collusion"),
    "Complicity": ("complicitWith", "CooperationTie"),
    "Acquiescence": ("acquiescesTo", "Complicity"),
    "Alliance": ("alliedWith", "CooperationTie"),
    "Collaboration": ("collaboratesWith", "CooperationTie"),
    "Subcontracting": ("subcontracts", "CooperationTie"),
    "Funding": ("funds", "CooperationTie"),
    "Truce": ("truceWith", "CooperationTie"),
    "Mediation": ("mediates", "CooperationTie"),
    "HierarchyTie": ("hierarchicallyTiedTo", "Tie"),
    "Command": ("commands", "HierarchyTie"),
    "Leadership": ("leads", "HierarchyTie"),
    "Membership": ("memberOf", "HierarchyTie"),
    "InGroup": ("inGroup", "Membership"),
    "OfficeHolding": ("holdsOfficeIn", "HierarchyTie"),
    "SubOrganisation": ("subOrganizationOf", "HierarchyTie"),
    "Origin": ("originatesFrom", "HierarchyTie"),
    "Split": ("splitFrom", "Origin"),
    "Control": ("controls", "HierarchyTie"),
    "Absorption": ("absorbs", "Control"),
    "Integration": ("integratedInto", "HierarchyTie"),
    "Kinship": ("kinOf", "HierarchyTie"),
    "AdversarialTie": ("opposes", "Tie"),
    "Rivalry": ("rivalOf", "AdversarialTie"),
    "Attack": ("attacks", "AdversarialTie"),
    "Victimisation": ("victimises", "AdversarialTie"),
    "Recruitment": ("recruits", "AdversarialTie"),
    "Blame": ("blames", "AdversarialTie"),
    "Distrust": ("distrusts", "AdversarialTie"),
    "PolicyTie": ("policyTiedTo", "Tie"),
    "Implementation": ("implements", "PolicyTie"),
    "Targeting": ("targets", "PolicyTie"),
    "Benefit": ("benefits", "PolicyTie"),
    "Partnership": ("partnersWith", "PolicyTie"),
    "Safeguarding": ("safeguards", "PolicyTie"),
    "Effect": ("contributesTo", "PolicyTie"),
    "Deportation": ("deports", "PolicyTie"),
    "SpatialTie": ("spatiallyTiedTo", "Tie"),
    "Presence": ("operatesIn", "SpatialTie"),
    "ViolenceDriver": ("drivesViolenceIn", "SpatialTie"),
    "MarketTie": ("marketTiedTo", "Tie"),
    "MarketEngagement": ("engagesIn", "MarketTie"),
    "SphereDrift": ("driftsToward", "Tie"),
    "GenericTie": ("relatedTo", "Tie"),
    "Identity": ("sameEntityAs", "Tie"),
}

# shortcut property -> the property it is a direct subproperty of (within hilos)
SUBPROPERTIES = {
    "cooperatesWith": "tiedTo",
    "hierarchicallyTiedTo": "tiedTo",
    "opposes": "tiedTo",
    "policyTiedTo": "tiedTo",
    "spatiallyTiedTo": "tiedTo",
    "marketTiedTo": "tiedTo",
    "driftsToward": "tiedTo",
    "relatedTo": "tiedTo",
    "colludesWith": "cooperatesWith",
    "bribes": "colludesWith",
    "protects": "colludesWith",
    "infiltrates": "colludesWith",
    "coopts": "colludesWith",
    "complicitWith": "cooperatesWith",
    "acquiescesTo": "complicitWith",
    "alliedWith": "cooperatesWith",
    "collaboratesWith": "cooperatesWith",
    "subcontracts": "cooperatesWith",
    "funds": "cooperatesWith",
    "truceWith": "cooperatesWith",
    "mediates": "cooperatesWith",
    "commands": "hierarchicallyTiedTo",
    "leads": "hierarchicallyTiedTo",
    "memberOf": "hierarchicallyTiedTo",
    "inGroup": "memberOf",
    "holdsOfficeIn": "hierarchicallyTiedTo",
    "subOrganizationOf": "hierarchicallyTiedTo",
    "originatesFrom": "hierarchicallyTiedTo",
    "splitFrom": "originatesFrom",
    "controls": "hierarchicallyTiedTo",
    "absorbs": "controls",
    "integratedInto": "hierarchicallyTiedTo",
    "kinOf": "hierarchicallyTiedTo",
    "rivalOf": "opposes",
    "attacks": "opposes",
    "victimises": "opposes",
    "recruits": "opposes",
    "blames": "opposes",
    "distrusts": "opposes",
    "implements": "policyTiedTo",
    "targets": "policyTiedTo",
    "benefits": "policyTiedTo",
    "partnersWith": "policyTiedTo",
    "safeguards": "policyTiedTo",
    "contributesTo": "policyTiedTo",
    "deports": "policyTiedTo",
    "operatesIn": "spatiallyTiedTo",
    "engagesIn": "marketTiedTo",
    "sameEntityAs": "tiedTo",
}

INVERSES = {
    "subcontracts": "subcontractedBy",
    "funds": "fundedBy",
    "commands": "commandedBy",
    "leads": "ledBy",
    "memberOf": "hasMember",
}

SYMMETRIC = {"alliedWith", "collaboratesWith", "truceWith", "kinOf", "rivalOf", "sameEntityAs"}

OTHER_CLASSES = {
    "Sphere", "Status", "CriminalMarket", "Qualifier", "Modality", "TieFamily",
    "Actor", "Person", "Organization", "Collective", "Grouping",
    "Place", "Country", "Region", "FederalState", "Municipality", "City",
    "Event", "ChangeEvent", "Policy", "Strategy", "Recommendation", "Phenomenon",
    "Source", "Report", "Observation", "Tie", "ClaimVersion", "Change",
}  # fmt: skip

OBJECT_PROPERTIES = {
    "sphere", "from", "to", "status", "market", "refArea", "tiedTo", "qualifier", "modality",
    "relation", "changed", "undoes",
    *SUBPROPERTIES, *INVERSES.values(),
}  # fmt: skip

DATATYPE_PROPERTIES = {
    "searchKey", "rank", "weight", "confidence", "start", "end", "quote", "locator",
    "relationText", "citation", "indicator", "value", "unit", "refPeriod", "asserts", "period",
    "lowerBound", "upperBound", "reason", "action", "changeNumber", "addedStatements",
    "removedStatements", "addedUnder",
}  # fmt: skip

ANNOTATION_PROPERTIES = {"shortcut", "family"}

SPHERES = ["StateSphere", "CriminalSphere", "CommunitySphere", "CivilSphere"]

# status -> (rank, weight), in rank order
STATUSES = {
    "Refuted": (0, Decimal("0.0")),
    "Disputed": (1, Decimal("0.2")),
    "Alleged": (2, Decimal("0.4")),
    "Reported": (3, Decimal("0.7")),
    "Confirmed": (4, Decimal("1.0")),
}

MARKETS = [
    "DrugTrafficking", "DrugProductionAndTransshipment", "LocalDrugDistribution", "Extortion",
    "Kidnapping", "HumanTrafficking", "SexualTrafficking", "FuelTheft", "Robbery",
    "ForcedRecruitment", "ForcedDisappearance", "ExtrajudicialKilling",
]  # fmt: skip

MARKET_BROADER = {
    "DrugProductionAndTransshipment": "DrugTrafficking",
    "LocalDrugDistribution": "DrugTrafficking",
    "SexualTrafficking": "HumanTrafficking",
}

QUALIFIERS = [
    "Partially", "SomeOf", "Many", "Most", "NotAll", "InPrinciple",
    "MoreThan", "AtLeast", "About", "AtMost", "LessThan",
]  # fmt: skip

MODALITIES = ["AsStated", "AsIntention", "AsRecommendation", "AsWarning"]

SCHEMES = {
    "SphereScheme": ("Sphere", SPHERES),
    "QualifierScheme": ("Qualifier", QUALIFIERS),
    "ModalityScheme": ("Modality", MODALITIES),
    "TieFamilyScheme": ("TieFamily", ["CollusionFamily", "HierarchyFamily"]),
    "StatusScheme": ("Status", [*STATUSES, "Retracted"]),
    "CriminalMarketScheme": ("CriminalMarket", MARKETS),
}

ALL_CLASSES = OTHER_CLASSES | set(SPHERE_BASES) | set(CONCRETE_ACTORS) | set(TIES)


# --------------------------------------------------------------------------------------------
# Fixtures and helpers
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ont() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def superclasses(g: Graph, cls: URIRef) -> set:
    """cls and everything it reaches through rdfs:subClassOf* (blank-node restrictions included)."""
    return set(g.transitive_objects(cls, RDFS.subClassOf))


def superproperties(g: Graph, prop: URIRef) -> set:
    return set(g.transitive_objects(prop, RDFS.subPropertyOf))


def sphere_restrictions(g: Graph, cls: URIRef) -> set:
    """The spheres of the owl:hasValue restrictions on hilos:sphere that cls reaches."""
    return {
        g.value(node, OWL.hasValue)
        for node in superclasses(g, cls)
        if isinstance(node, BNode) and (node, OWL.onProperty, HILOS.sphere) in g
    }


# --------------------------------------------------------------------------------------------
# Parsing and header
# --------------------------------------------------------------------------------------------


def test_ontology_parses(ont: Graph) -> None:
    assert len(ont) > 1000


def test_shapes_parse(shapes: Graph) -> None:
    assert (HILOS.TieShape, RDF.type, SH.NodeShape) in shapes


def test_files_parse_with_oxigraph() -> None:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    for path in (ONTOLOGY, SHAPES):
        quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
        assert quads, path


def test_ontology_header(ont: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ont
    assert ont.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert ont.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert ont.value(ONTOLOGY_IRI, DCTERMS.description) is not None
    langs = {label.language for label in ont.objects(ONTOLOGY_IRI, RDFS.label)}
    assert {"en", "es"} <= langs


# --------------------------------------------------------------------------------------------
# The binding vocabulary exists, with the right kind
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (ALL_CLASSES, OWL.Class),
        (OBJECT_PROPERTIES, OWL.ObjectProperty),
        (DATATYPE_PROPERTIES, OWL.DatatypeProperty),
        (ANNOTATION_PROPERTIES, OWL.AnnotationProperty),
        (set(SPHERES), HILOS.Sphere),
        (set(STATUSES), HILOS.Status),
        (set(MARKETS), HILOS.CriminalMarket),
        (set(SCHEMES), SKOS.ConceptScheme),
    ],
    ids=["classes", "object", "datatype", "annotation", "spheres", "statuses", "markets", "scheme"],
)
def test_binding_terms_exist(ont: Graph, names: set, kind: URIRef) -> None:
    missing = sorted(name for name in names if (HILOS[name], RDF.type, kind) not in ont)
    assert not missing, f"not typed {kind}: {missing}"


def test_concept_individuals_are_skos_concepts(ont: Graph) -> None:
    for name in [*SPHERES, *STATUSES, *MARKETS]:
        assert (HILOS[name], RDF.type, SKOS.Concept) in ont, name
    for cls in ("Sphere", "Status", "CriminalMarket", "Phenomenon"):
        assert (HILOS[cls], RDFS.subClassOf, SKOS.Concept) in ont, cls


def test_every_term_has_labels_and_definition(ont: Graph) -> None:
    kinds = (
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        SKOS.Concept,
        SKOS.ConceptScheme,
    )
    terms = {
        s for kind in kinds for s in ont.subjects(RDF.type, kind) if str(s).startswith(str(HILOS))
    }
    assert len(terms) > 150
    problems = []
    for term in sorted(terms):
        labels = {lit.language for lit in ont.objects(term, RDFS.label)}
        definitions = {lit.language for lit in ont.objects(term, SKOS.definition)}
        for needed, have, what in (("en", labels, "label"), ("es", labels, "label")):
            if needed not in have:
                problems.append(f"{term}: no @{needed} {what}")
        if "en" not in definitions:
            problems.append(f"{term}: no @en skos:definition")
        if len([lit for lit in ont.objects(term, RDFS.label) if lit.language == "en"]) > 1:
            problems.append(f"{term}: more than one @en label")
    assert not problems, "\n".join(problems)


def test_aliases(ont: Graph) -> None:
    def alt(name: str) -> set:
        return {str(lit) for lit in ont.objects(HILOS[name], SKOS.altLabel)}

    assert {"DTO", "cartel", "cártel"} <= alt("DrugTraffickingOrganization")
    assert {"autodefensa", "vigilantes"} <= alt("SelfDefenceForce")
    assert "maras" in alt("Mara")
    assert "transportistas" in alt("TransportGroup")
    assert Literal("organización de narcotráfico", lang="es") in set(
        ont.objects(HILOS.DrugTraffickingOrganization, RDFS.label)
    )
    assert Literal("policía municipal", lang="es") in set(
        ont.objects(HILOS.MunicipalPolice, RDFS.label)
    )


# --------------------------------------------------------------------------------------------
# Actors and spheres
# --------------------------------------------------------------------------------------------


def test_only_the_sphere_bases_carry_sphere_restrictions(ont: Graph) -> None:
    carriers = {}
    for node in ont.subjects(OWL.onProperty, HILOS.sphere):
        assert isinstance(node, BNode)
        assert set(ont.predicate_objects(node)) == {
            (RDF.type, OWL.Restriction),
            (OWL.onProperty, HILOS.sphere),
            (OWL.hasValue, ont.value(node, OWL.hasValue)),
        }
        for cls in ont.subjects(RDFS.subClassOf, node):
            carriers[cls] = ont.value(node, OWL.hasValue)
    assert carriers == {HILOS[cls]: HILOS[sphere] for cls, sphere in SPHERE_BASES.items()}
    for base in SPHERE_BASES:
        assert (HILOS[base], RDFS.subClassOf, HILOS.Actor) in ont


@pytest.mark.parametrize("name", sorted(CONCRETE_ACTORS))
def test_concrete_actor_reaches_exactly_one_sphere(ont: Graph, name: str) -> None:
    sphere, kind = CONCRETE_ACTORS[name]
    cls = HILOS[name]
    assert sphere_restrictions(ont, cls) == {HILOS[sphere]}
    ancestors = superclasses(ont, cls)
    assert HILOS[kind] in ancestors
    assert len({HILOS.Person, HILOS.Organization, HILOS.Collective} & ancestors) == 1
    assert len({HILOS[base] for base in SPHERE_BASES} & ancestors) == 1


def test_every_actor_class_has_one_sphere_unless_abstract(ont: Graph) -> None:
    actor_classes = {
        c for c in ont.subjects(RDF.type, OWL.Class) if HILOS.Actor in superclasses(ont, c)
    }
    for cls in actor_classes:
        name = str(cls).removeprefix(str(HILOS))
        expected = 0 if name in SPHERELESS_ACTORS else 1
        assert len(sphere_restrictions(ont, cls)) == expected, name


def test_actor_base_classes(ont: Graph) -> None:
    assert (HILOS.Actor, RDFS.subClassOf, PROV.Agent) in ont
    assert (HILOS.Person, RDFS.subClassOf, FOAF.Person) in ont
    assert (HILOS.Organization, RDFS.subClassOf, ORG.Organization) in ont
    assert (HILOS.Collective, RDFS.subClassOf, FOAF.Group) in ont
    assert (HILOS.DrugTraffickingOrganization, RDFS.subClassOf, HILOS.CriminalOrganization) in ont
    for sub in ("President", "Governor", "Mayor"):
        assert (HILOS[sub], RDFS.subClassOf, HILOS.Official) in ont
    for sub in ("MunicipalPolice", "StatePolice", "FederalPolice", "RuralPolice"):
        assert (HILOS[sub], RDFS.subClassOf, HILOS.Police) in ont
    assert (HILOS.SpecialForces, RDFS.subClassOf, HILOS.ArmedForces) in ont


def test_scope_notes_on_drifting_actors(ont: Graph) -> None:
    drift = " ".join(str(n) for n in ont.objects(HILOS.SelfDefenceForce, SKOS.scopeNote))
    assert "hilos:SphereDrift" in drift
    guerrilla = " ".join(str(n) for n in ont.objects(HILOS.GuerrillaGroup, SKOS.scopeNote))
    assert "EPR" in guerrilla


# --------------------------------------------------------------------------------------------
# Reuse and mappings
# --------------------------------------------------------------------------------------------


def test_reused_vocabularies(ont: Graph) -> None:
    expected = [
        (HILOS.Place, RDFS.subClassOf, GEO.Feature),
        (GEO.sfWithin, OWL.inverseOf, GEO.sfContains),
        (GEO.sfWithin, RDF.type, OWL.TransitiveProperty),
        (HILOS.Event, RDFS.subClassOf, PROV.Activity),
        (HILOS.ChangeEvent, RDFS.subClassOf, HILOS.Event),
        (HILOS.ChangeEvent, RDFS.subClassOf, ORG.ChangeEvent),
        (HILOS.Strategy, RDFS.subClassOf, HILOS.Policy),
        (HILOS.Recommendation, RDFS.subClassOf, HILOS.Policy),
        (HILOS.Source, RDFS.subClassOf, PROV.Entity),
        (HILOS.Source, RDFS.subClassOf, DCTERMS.BibliographicResource),
        (HILOS.Source, RDFS.subClassOf, SCHEMA.CreativeWork),
        (HILOS.Report, RDFS.subClassOf, HILOS.Source),
        (HILOS.Observation, RDFS.subClassOf, PROV.Entity),
        (HILOS.Tie, RDFS.subClassOf, PROV.Entity),
        (HILOS.Membership, RDFS.subClassOf, ORG.Membership),
        (HILOS.memberOf, RDFS.subPropertyOf, ORG.memberOf),
        (HILOS.subOrganizationOf, RDFS.subPropertyOf, ORG.subOrganizationOf),
        (HILOS.start, RDFS.seeAlso, TIME.hasBeginning),
        (HILOS.end, RDFS.seeAlso, TIME.hasEnd),
    ]
    missing = [t for t in expected if t not in ont]
    assert not missing
    for name in ("Country", "Region", "FederalState", "Municipality", "City"):
        assert (HILOS[name], RDFS.subClassOf, HILOS.Place) in ont
    for prop in ("from", "to"):
        assert (HILOS[prop], RDF.type, OWL.FunctionalProperty) in ont
    for prop in ("start", "end"):
        definition = str(ont.value(HILOS[prop], SKOS.definition))
        assert all(dt in definition for dt in ("xsd:gYear", "xsd:gYearMonth", "xsd:date"))


def test_followthemoney_mappings(ont: Graph) -> None:
    equivalent = {
        "Person": "Person",
        "Organization": "Organization",
        "Membership": "Membership",
        "Kinship": "Family",
        "GenericTie": "UnknownLink",
        "Event": "Event",
    }
    for hilos_name, ftm_name in equivalent.items():
        assert (HILOS[hilos_name], OWL.equivalentClass, FTM[ftm_name]) in ont
    close = {
        "Leadership": "Directorship",
        "Funding": "Payment",
        "StateInstitution": "PublicBody",
        "Government": "PublicBody",
        "Source": "Document",
    }
    for hilos_name, ftm_name in close.items():
        assert (HILOS[hilos_name], SKOS.closeMatch, FTM[ftm_name]) in ont
    # never subclass a hilos class under a FollowTheMoney schema
    for s, o in ont.subject_objects(RDFS.subClassOf):
        assert not str(o).startswith(str(FTM)), (s, o)


# --------------------------------------------------------------------------------------------
# Ties
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TIES))
def test_tie_class_and_shortcut(ont: Graph, name: str) -> None:
    shortcut, parent = TIES[name]
    assert (HILOS[name], RDFS.subClassOf, HILOS[parent]) in ont
    assert ont.value(HILOS[name], HILOS.shortcut) == HILOS[shortcut]


def test_every_tie_class_has_a_shortcut_reaching_tied_to(ont: Graph) -> None:
    tie_classes = {
        c for c in ont.subjects(RDF.type, OWL.Class) if HILOS.Tie in superclasses(ont, c)
    } - {HILOS.Tie}
    assert {HILOS[name] for name in TIES} == tie_classes
    for cls in tie_classes:
        shortcut = ont.value(cls, HILOS.shortcut)
        assert shortcut is not None, cls
        assert (shortcut, RDF.type, OWL.ObjectProperty) in ont
        assert HILOS.tiedTo in superproperties(ont, shortcut), shortcut


@pytest.mark.parametrize("name", sorted(SUBPROPERTIES))
def test_shortcut_subproperties(ont: Graph, name: str) -> None:
    assert (HILOS[name], RDFS.subPropertyOf, HILOS[SUBPROPERTIES[name]]) in ont


def test_inverse_and_symmetric_properties(ont: Graph) -> None:
    for prop, inverse in INVERSES.items():
        assert (HILOS[prop], OWL.inverseOf, HILOS[inverse]) in ont
    for prop in SYMMETRIC:
        assert (HILOS[prop], RDF.type, OWL.SymmetricProperty) in ont
    symmetric = {
        str(p).removeprefix(str(HILOS))
        for p in ont.subjects(RDF.type, OWL.SymmetricProperty)
        if str(p).startswith(str(HILOS))
    }
    assert symmetric == SYMMETRIC


def test_tie_class_hierarchy_specifics(ont: Graph) -> None:
    assert (HILOS.Tie, RDFS.subClassOf, PROV.Entity) in ont
    assert (HILOS.SphereDrift, RDFS.subClassOf, HILOS.Tie) in ont
    assert (HILOS.GenericTie, RDFS.subClassOf, HILOS.Tie) in ont
    assert (HILOS.shortcut, RDF.type, OWL.AnnotationProperty) in ont


# --------------------------------------------------------------------------------------------
# SKOS schemes: spheres, statuses, markets
# --------------------------------------------------------------------------------------------


def test_statuses_ranked_and_weighted(ont: Graph) -> None:
    # retracted (a user's withdrawn claim) is outside the order: weight 0, no rank
    assert ont.value(HILOS.Retracted, HILOS.rank) is None
    assert ont.value(HILOS.Retracted, HILOS.weight).toPython() == 0
    found = []
    for status in ont.subjects(RDF.type, HILOS.Status):
        if status == HILOS.Retracted:
            continue
        rank = ont.value(status, HILOS.rank)
        weight = ont.value(status, HILOS.weight)
        assert rank.datatype == XSD.integer
        assert weight.datatype == XSD.decimal
        found.append((rank.toPython(), weight.toPython(), str(status).removeprefix(str(HILOS))))
    found.sort()
    assert [name for _, _, name in found] == list(STATUSES)
    assert [(r, w) for r, w, _ in found] == list(STATUSES.values())
    weights = [w for _, w, _ in found]
    assert weights == sorted(weights)


# Which statuses and modalities assert the relation (and so get a shortcut triple): the source
# states it as fact. Never disputed or refuted; not an allegation, intention, recommendation or
# warning either.
ASSERTING = {"Confirmed", "Reported", "AsStated"}


def test_only_statements_of_fact_assert(ont: Graph) -> None:
    for cls in (HILOS.Status, HILOS.Modality):
        for concept in ont.subjects(RDF.type, cls):
            name = str(concept).removeprefix(str(HILOS))
            value = ont.value(concept, HILOS.asserts)
            assert value is not None and value.datatype == XSD.boolean, name
            assert value.toPython() is (name in ASSERTING), name


# The collusion-chain rule's families, as the design states them: the crossing is collusion,
# bribery, protection, infiltration, co-optation, complicity (acquiescence is passive
# complicity); steps inside a sphere are command, leadership, office, membership,
# sub-organisation and control.
FAMILIES = {
    "CollusionFamily": {"Collusion", "Complicity"},
    "HierarchyFamily": {
        "Command", "Leadership", "OfficeHolding", "Membership", "SubOrganisation", "Control",
    },
}  # fmt: skip


def test_tie_families(ont: Graph) -> None:
    for family, members in FAMILIES.items():
        found = {str(c).removeprefix(str(HILOS)) for c in ont.subjects(HILOS.family, HILOS[family])}
        assert found == members, family
    crossing = {
        str(c).removeprefix(str(HILOS))
        for member in FAMILIES["CollusionFamily"]
        for c in ont.transitive_subjects(RDFS.subClassOf, HILOS[member])
    }
    assert crossing == {
        "Collusion", "Bribery", "Protection", "Infiltration", "Cooptation",
        "Complicity", "Acquiescence",
    }  # fmt: skip
    assert not crossing & {"Funding", "Mediation", "Alliance", "Truce", "Attack", "Blame"}


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_schemes(ont: Graph, scheme: str) -> None:
    cls, members = SCHEMES[scheme]
    for member in members:
        assert (HILOS[member], SKOS.inScheme, HILOS[scheme]) in ont, member
        assert (HILOS[member], RDF.type, HILOS[cls]) in ont, member
        if (HILOS[member], SKOS.broader, None) not in ont:
            assert (HILOS[scheme], SKOS.hasTopConcept, HILOS[member]) in ont, member
    assert (HILOS[cls], RDFS.subClassOf, SKOS.Concept) in ont


def test_market_hierarchy(ont: Graph) -> None:
    for narrower, broader in MARKET_BROADER.items():
        assert (HILOS[narrower], SKOS.broader, HILOS[broader]) in ont


# --------------------------------------------------------------------------------------------
# SHACL behaviour
# --------------------------------------------------------------------------------------------

PREFIXES = """
@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix hid: <https://w3id.org/hilos/id/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
"""

VALID_TIE = (
    PREFIXES
    + """
hid:report a hilos:Report ;
    hilos:citation "Author, 2014" ;
    dcterms:title "Non-conventional armed violence in Mexico" .
hid:abarca a hilos:Mayor ;
    rdfs:label "José Luis Abarca" ;
    hilos:sphere hilos:StateSphere .
hid:iguala-police a hilos:MunicipalPolice ;
    rdfs:label "Policía municipal de Iguala"@es ;
    hilos:sphere hilos:StateSphere .
hid:tie a hilos:Command ;
    hilos:from hid:abarca ;
    hilos:to hid:iguala-police ;
    hilos:status hilos:Reported ;
    hilos:confidence 0.8 ;
    hilos:start "2014-09-26"^^xsd:date ;
    hilos:end "2014"^^xsd:gYear ;
    hilos:market hilos:ForcedDisappearance ;
    hilos:quote "the students were kidnapped by a group of municipal police officers under \
the mandate of the then-mayor of the city"@en ;
    hilos:locator "footnote 3" ;
    prov:wasDerivedFrom hid:report .
"""
)

TIE = HID.tie


def shacl(data: Graph, ont: Graph, shapes: Graph, **kwargs) -> tuple[bool, list]:
    """Validate; return conforms and the results as (severity, message) pairs."""
    pyshacl = pytest.importorskip("pyshacl")
    conforms, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ont,
        inference="none",
        advanced=True,
        **kwargs,
    )
    results = [
        (report.value(r, SH.resultSeverity), str(report.value(r, SH.resultMessage)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]
    return conforms, results


def valid_tie() -> Graph:
    return Graph().parse(data=VALID_TIE, format="turtle")


def assert_violation(results: list, text: str) -> None:
    messages = [m for severity, m in results if severity == SH.Violation]
    assert any(text in m for m in messages), messages


def test_valid_tie_conforms(ont: Graph, shapes: Graph) -> None:
    conforms, results = shacl(valid_tie(), ont, shapes)
    assert results == []
    assert conforms


def test_tie_without_status(ont: Graph, shapes: Graph) -> None:
    data = valid_tie()
    data.remove((TIE, HILOS.status, None))
    conforms, results = shacl(data, ont, shapes)
    assert not conforms
    assert_violation(results, "A tie needs exactly one status (alleged, reported, confirmed")


def test_tie_with_unknown_status(ont: Graph, shapes: Graph) -> None:
    data = valid_tie()
    data.set((TIE, HILOS.status, HILOS.Rumoured))
    conforms, results = shacl(data, ont, shapes)
    assert not conforms
    assert_violation(results, "The status of a tie must be one of")


def test_tie_without_source(ont: Graph, shapes: Graph) -> None:
    data = valid_tie()
    data.remove((TIE, PROV.wasDerivedFrom, None))
    conforms, results = shacl(data, ont, shapes)
    assert not conforms
    assert_violation(results, "A tie needs at least one source (prov:wasDerivedFrom)")


def test_tie_without_to_end(ont: Graph, shapes: Graph) -> None:
    data = valid_tie()
    data.remove((TIE, HILOS.to, None))
    conforms, results = shacl(data, ont, shapes)
    assert not conforms
    assert_violation(results, "A tie needs exactly one 'to' end")


def test_confidence_out_of_range(ont: Graph, shapes: Graph) -> None:
    data = valid_tie()
    data.set((TIE, HILOS.confidence, Literal(Decimal("1.5"))))
    conforms, results = shacl(data, ont, shapes)
    assert not conforms
    assert_violation(results, "The confidence of a tie must be a number between 0 and 1")


def test_start_with_wrong_datatype(ont: Graph, shapes: Graph) -> None:
    data = valid_tie()
    data.set((TIE, HILOS.start, Literal("September 2014")))
    conforms, results = shacl(data, ont, shapes)
    assert not conforms
    assert_violation(results, "The start of a tie (hilos:start) must be an xsd:date")


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        (Literal("2014-09-26", datatype=XSD.date), Literal("2014", datatype=XSD.gYear), True),
        (Literal("2014-09", datatype=XSD.gYearMonth), Literal("2014", datatype=XSD.gYear), True),
        (Literal("2012", datatype=XSD.gYear), Literal("2014-05", datatype=XSD.gYearMonth), True),
        (Literal("2014", datatype=XSD.gYear), Literal("2013-12", datatype=XSD.gYearMonth), False),
        (Literal("2014-09-26", datatype=XSD.date), Literal("2014-09-25", datatype=XSD.date), False),
        (Literal("2014-09", datatype=XSD.gYearMonth), Literal("2013", datatype=XSD.gYear), False),
    ],
)
def test_end_not_before_start(ont: Graph, shapes: Graph, start, end, ok: bool) -> None:
    data = valid_tie()
    data.set((TIE, HILOS.start, start))
    data.set((TIE, HILOS.end, end))
    conforms, results = shacl(data, ont, shapes)
    assert conforms is ok, results
    if not ok:
        assert_violation(results, f"The end ({end}) is before the start ({start})")


def test_tie_without_quote_is_only_a_warning(ont: Graph, shapes: Graph) -> None:
    data = valid_tie()
    data.remove((TIE, HILOS.quote, None))
    # pySHACL counts warnings against conformance unless allow_warnings=True ...
    conforms, results = shacl(data, ont, shapes)
    assert results == [
        (SH.Warning, "A tie should carry the quoted sentence from its source (hilos:quote)")
    ]
    assert conforms is False
    # ... and with allow_warnings=True the same graph conforms.
    conforms, results = shacl(data, ont, shapes, allow_warnings=True)
    assert conforms is True
    assert {severity for severity, _ in results} == {SH.Warning}


def test_market_must_be_a_criminal_market(ont: Graph, shapes: Graph) -> None:
    data = valid_tie()
    data.set((TIE, HILOS.market, HID.abarca))
    conforms, results = shacl(data, ont, shapes)
    assert not conforms
    assert_violation(results, "The market of a tie (hilos:market) must be a hilos:CriminalMarket")


ACTOR = (
    PREFIXES
    + """
hid:abarca a hilos:Mayor ;
    rdfs:label "José Luis Abarca" ;
    hilos:sphere hilos:StateSphere .
"""
)


def test_actor_with_label_and_sphere_conforms(ont: Graph, shapes: Graph) -> None:
    conforms, results = shacl(Graph().parse(data=ACTOR, format="turtle"), ont, shapes)
    assert conforms, results


def test_actor_without_label(ont: Graph, shapes: Graph) -> None:
    data = Graph().parse(data=ACTOR, format="turtle")
    data.remove((HID.abarca, RDFS.label, None))
    conforms, results = shacl(data, ont, shapes)
    assert not conforms
    assert_violation(results, "An actor needs at least one label (rdfs:label)")


def test_actor_without_sphere(ont: Graph, shapes: Graph) -> None:
    # a person carries no sphere by itself: with none stated, the actor has none
    data = Graph().parse(data=ACTOR, format="turtle")
    data.remove((HID.abarca, HILOS.sphere, None))
    data.set((HID.abarca, RDF.type, HILOS.Person))
    conforms, results = shacl(data, ont, shapes)
    assert not conforms
    assert_violation(results, "An actor needs a sphere (hilos:sphere)")


def test_actor_with_the_sphere_of_its_class(ont: Graph, shapes: Graph) -> None:
    # a mayor is a state actor (an owl:hasValue restriction on hilos:sphere): the shapes follow
    # the class to its sphere, with no inference run before validating
    data = Graph().parse(data=ACTOR, format="turtle")
    data.remove((HID.abarca, HILOS.sphere, None))
    conforms, results = shacl(data, ont, shapes)
    assert conforms, results
    assert results == []


def test_actor_with_unknown_sphere(ont: Graph, shapes: Graph) -> None:
    data = Graph().parse(data=ACTOR, format="turtle")
    data.set((HID.abarca, HILOS.sphere, HILOS.CriminalMarketScheme))
    conforms, results = shacl(data, ont, shapes)
    assert not conforms
    assert_violation(results, "The sphere of an actor must be one of")


def test_source_needs_citation_or_title(ont: Graph, shapes: Graph) -> None:
    data = Graph().parse(
        data=PREFIXES + 'hid:s a hilos:Source ; hilos:citation "X, 2014" .', format="turtle"
    )
    assert shacl(data, ont, shapes)[0]
    data = Graph().parse(
        data=PREFIXES + 'hid:s a hilos:Report ; dcterms:title "A report" .', format="turtle"
    )
    assert shacl(data, ont, shapes)[0]
    data = Graph().parse(
        data=PREFIXES + 'hid:s a hilos:Report ; dcterms:creator "X" .', format="turtle"
    )
    conforms, results = shacl(data, ont, shapes)
    assert not conforms
    assert_violation(results, "A source needs a short citation (hilos:citation) or a title")


def test_places(ont: Graph, shapes: Graph) -> None:
    good = (
        PREFIXES
        + """
hid:mexico a hilos:Country ; rdfs:label "México"@es .
hid:guerrero a hilos:FederalState ; rdfs:label "Guerrero" ; geo:sfWithin hid:mexico .
"""
    )
    assert shacl(Graph().parse(data=good, format="turtle"), ont, shapes)[0]
    bad = (
        PREFIXES
        + """
hid:abarca a hilos:Mayor ; rdfs:label "José Luis Abarca" ; hilos:sphere hilos:StateSphere .
hid:iguala a hilos:City ; geo:sfWithin hid:abarca .
"""
    )
    conforms, results = shacl(Graph().parse(data=bad, format="turtle"), ont, shapes)
    assert not conforms
    assert_violation(results, "A place needs at least one label")
    assert_violation(results, "A place can only lie within (geo:sfWithin) another hilos:Place")


def test_observations(ont: Graph, shapes: Graph) -> None:
    good = (
        PREFIXES
        + """
hid:r a hilos:Report ; hilos:citation "Shirk et al., 2014" .
hid:mexico a hilos:Country ; rdfs:label "Mexico"@en .
hid:obs a hilos:Observation ;
    hilos:indicator "homicide rate" ; hilos:value 24 ; hilos:unit "per 100,000 inhabitants" ;
    hilos:refPeriod "2011"^^xsd:gYear ; hilos:refArea hid:mexico ; prov:wasDerivedFrom hid:r .
"""
    )
    conforms, results = shacl(Graph().parse(data=good, format="turtle"), ont, shapes)
    assert conforms, results
    bad = Graph().parse(data=good, format="turtle")
    bad.remove((HID.obs, HILOS.value, None))
    bad.remove((HID.obs, PROV.wasDerivedFrom, None))
    conforms, results = shacl(bad, ont, shapes)
    assert not conforms
    assert_violation(results, "An observation needs a value (hilos:value) or a bound")
    assert_violation(results, "An observation needs at least one source (prov:wasDerivedFrom)")
    bad = Graph().parse(data=good, format="turtle")
    bad.set((HID.obs, HILOS.value, Literal("twenty-four")))
    conforms, results = shacl(bad, ont, shapes)
    assert not conforms
    assert_violation(results, "The value of an observation (hilos:value) must be a number")
