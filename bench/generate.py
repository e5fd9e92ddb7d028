"""A seeded generator of newsroom-scale hybrid networks, in the shape of hilos's curated graph.

The network has what a journalist's large graph has (Offshore Leaks, OpenSanctions): many
people and organisations, a few very connected ones, clusters around places, and every tie a
sourced claim. Entities:

- **actors** (95 %) in the four spheres — state 28 %, criminal 34 %, community 18 %, civil 20 % —
  with the ontology's classes (officials, mayors, police, armed forces, governments; kingpins,
  cells, gangs, maras, DTOs; communities, victims, migrants, self-defence forces, community
  police; businesses, NGOs, press, churches, unions…) and persons whose sphere is stated on
  them; Spanish names with accents, English labels for many organisations, nicknames as aliases;
- **places** (3 %): countries, federal states, cities and municipalities, each within the next
  (`geo:sfWithin`);
- **sources** (2 %): works cited, with a short citation and a year; a few are reports.

The ontology's criminal markets are the market nodes. Actors live in clusters of about 150
around a municipality. Each actor's first tie goes to an actor that came before it in its
cluster (10 % of them, and each cluster's first actor, to anyone in the network), drawn in
proportion to a Pareto-distributed fitness (α = 1.3): the network grows connected, with
heavy-tailed degrees (hubs with hundreds of ties at 10,000 entities). About one actor in ten
starts a second tie: an organisation operating in a place or driving the violence there, a
criminal group engaged in a market, a self-defence force drifting toward the criminal sphere,
or a tie between two well-tied actors (both drawn by fitness), which shortens the paths between
clusters (two entities are a median of 8 ties apart at 10,000 entities, 11 at 100,000; the
benchmark's path ends, well-tied actors, 1 to 4). Tie classes follow the spheres of
the two ends (collusion, bribery, protection… between state and criminal actors; alliance,
rivalry, subcontracting… among criminals; command and collaboration in the state;
victimisation, attack, recruitment of communities; membership and leadership of persons in
organisations).

Every tie is written as in `graph/*.ttl`: its class, `hilos:from`, `hilos:to`, `hilos:status`
(reported 55 %, alleged 25 %, confirmed 10 %, disputed 6 %, refuted 4 %), `prov:wasDerivedFrom`
a source (a second one for 8 %), `hilos:quote` (in Spanish or English), often `hilos:locator`,
and sometimes `hilos:confidence`, `hilos:start`/`hilos:end` (a year or a day) and `hilos:market`.
About ten triples per entity; the output is N-Triples written as it is generated, never held in
memory, and the same seed gives the same file.

    python bench/generate.py 100k --seed 1 --out /tmp/newsroom-100k.nt

writes the file and, beside it, `<file>.json`: the counts and the parameters the benchmark uses
(entities to search for, to show and to join by paths; a place, a group, a status).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import re
import sys
import time
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

HILOS = "https://w3id.org/hilos/ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
ALT_LABEL = "<http://www.w3.org/2004/02/skos/core#altLabel>"
SF_WITHIN = "<http://www.opengis.net/ont/geosparql#sfWithin>"
DERIVED = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
DC_DATE = "<http://purl.org/dc/terms/date>"
XSD = "http://www.w3.org/2001/XMLSchema#"
BASE = "https://example.org/newsroom/"


def h(local: str) -> str:
    """A hilos term in N-Triples form."""
    return f"<{HILOS}{local}>"


SPHERES = {"state": 0.28, "criminal": 0.34, "community": 0.18, "civil": 0.20}
"""Share of each sphere among actors."""

# Actor classes per sphere: (class, weight, is a person). "Person" gets its sphere stated.
CLASSES: dict[str, list[tuple[str, int, bool]]] = {
    "state": [
        ("Official", 30, True),
        ("Person", 12, True),
        ("Mayor", 8, True),
        ("Governor", 1, True),
        ("MunicipalPolice", 12, False),
        ("StatePolice", 6, False),
        ("FederalPolice", 4, False),
        ("ArmedForces", 3, False),
        ("SpecialForces", 1, False),
        ("MunicipalGovernment", 8, False),
        ("StateGovernment", 2, False),
        ("PrisonSystem", 2, False),
        ("Legislature", 1, False),
        ("PublicOfficials", 5, False),
        ("Commission", 1, False),
    ],
    "criminal": [
        ("Person", 45, True),
        ("Kingpin", 5, True),
        ("CriminalCell", 15, False),
        ("LocalCriminalGroup", 10, False),
        ("StreetGang", 12, False),
        ("Mara", 3, False),
        ("DrugTraffickingOrganization", 4, False),
        ("TransportGroup", 3, False),
        ("CriminalOrganization", 3, False),
    ],
    "community": [
        ("Person", 28, True),
        ("Community", 25, False),
        ("VictimGroup", 15, False),
        ("MigrantGroup", 8, False),
        ("YouthGroup", 8, False),
        ("SelfDefenceForce", 10, False),
        ("CommunityPolice", 6, False),
    ],
    "civil": [
        ("Person", 22, True),
        ("Business", 30, False),
        ("NGO", 12, False),
        ("Press", 10, False),
        ("Church", 6, False),
        ("Union", 6, False),
        ("StudentMovement", 4, False),
        ("ActivistGroup", 6, False),
        ("School", 4, False),
    ],
}
SPHERE_NODES = {
    "state": "StateSphere",
    "criminal": "CriminalSphere",
    "community": "CommunitySphere",
    "civil": "CivilSphere",
}

# Tie classes between actors, by the spheres of the two ends (unordered).
PAIR_TIES: dict[frozenset[str], list[tuple[str, int]]] = {
    frozenset({"state", "criminal"}): [
        ("Collusion", 25),
        ("Bribery", 20),
        ("Protection", 15),
        ("Infiltration", 10),
        ("Complicity", 10),
        ("Acquiescence", 5),
        ("Attack", 10),
        ("Rivalry", 5),
    ],
    frozenset({"criminal"}): [
        ("Alliance", 25),
        ("Rivalry", 25),
        ("Subcontracting", 10),
        ("Control", 8),
        ("Absorption", 3),
        ("Split", 4),
        ("Collaboration", 10),
        ("Attack", 10),
        ("Kinship", 5),
    ],
    frozenset({"state"}): [
        ("Command", 35),
        ("Collaboration", 30),
        ("Kinship", 5),
        ("Distrust", 5),
        ("Rivalry", 5),
        ("Blame", 5),
    ],
    frozenset({"criminal", "community"}): [
        ("Victimisation", 30),
        ("Attack", 20),
        ("Recruitment", 15),
        ("Control", 10),
        ("Collusion", 5),
        ("Rivalry", 10),
        ("Funding", 10),
    ],
    frozenset({"state", "community"}): [
        ("Victimisation", 15),
        ("Attack", 10),
        ("Distrust", 20),
        ("Collaboration", 20),
        ("Funding", 10),
        ("Mediation", 5),
        ("Blame", 10),
        ("Acquiescence", 5),
    ],
    frozenset({"community"}): [
        ("Collaboration", 30),
        ("Alliance", 20),
        ("Rivalry", 15),
        ("Kinship", 10),
        ("Distrust", 10),
    ],
    frozenset({"civil"}): [
        ("Collaboration", 40),
        ("Funding", 15),
        ("Kinship", 10),
        ("Rivalry", 10),
        ("Alliance", 10),
    ],
}
CIVIL_TIES = [
    ("Blame", 20),
    ("Distrust", 15),
    ("Collaboration", 20),
    ("Funding", 10),
    ("Mediation", 10),
    ("Victimisation", 10),
    ("Attack", 5),
    ("Bribery", 5),
]
# Ties whose from-end is the perpetrator: the actor of the stronger sphere goes first.
PERPETRATED = {"Victimisation", "Attack", "Recruitment", "Control"}
PERPETRATOR_ORDER = ["criminal", "state", "civil", "community"]

STATUSES = [("Reported", 55), ("Alleged", 25), ("Confirmed", 10), ("Disputed", 6), ("Refuted", 4)]
MARKETS = [
    ("DrugTrafficking", 25),
    ("LocalDrugDistribution", 15),
    ("DrugProductionAndTransshipment", 8),
    ("Extortion", 15),
    ("Kidnapping", 10),
    ("FuelTheft", 6),
    ("Robbery", 6),
    ("HumanTrafficking", 4),
    ("SexualTrafficking", 2),
    ("ForcedRecruitment", 4),
    ("ForcedDisappearance", 3),
    ("ContractKilling", 2),
]
MARKETS_OF_TIES = ["Kidnapping", "Extortion", "ForcedDisappearance", "ForcedRecruitment"]


def _words(text: str) -> list[str]:
    return text.split()


GIVEN = _words(
    """
    José Juan Luis Jesús Miguel Ángel Francisco Antonio Alejandro Manuel Pedro Ricardo Jorge
    Raúl Martín Sergio Fernando Héctor Rubén Joaquín Ramón Óscar Iván Andrés Efraín Nazario
    Servando Ismael Arturo Rafael María Guadalupe Rosa Ana Lucía Verónica Patricia Leticia
    Sofía Mónica Beatriz Adriana Elena Claudia Norma Silvia Yolanda Araceli Inés Dolores Irene
    Marisol Itzel Xóchitl Citlali Noemí Abigail Raquel Zulema Consuelo Julián Ximena
    """
)
SURNAMES = _words(
    """
    Hernández García Martínez López González Pérez Rodríguez Sánchez Ramírez Cruz Flores Gómez
    Morales Vázquez Jiménez Reyes Díaz Torres Gutiérrez Ruiz Mendoza Aguilar Ortiz Moreno
    Castillo Romero Álvarez Méndez Chávez Rivera Juárez Ramos Domínguez Herrera Medina Castro
    Vargas Guzmán Velázquez Muñoz Rojas Contreras Salazar Luna Ortega Santiago Guerrero
    Estrada Bautista Cortés Soto Alvarado Espinoza Lara Ávila Ríos Cervantes Silva Delgado
    Vega Márquez Sandoval Fernández León Carrillo Mejía Solís Núñez Rosas Valdez Ibarra Campos
    Santos Camacho Navarro Peña Maldonado Rosales Acosta Miranda Trejo Valencia Nava Pacheco
    Huerta Padilla Molina Ayala Escobar Zamora Beltrán Quintero Carrasco Treviño Zambada
    Arellano Caro Fonseca
    """
)
NICKNAMES = [
    "El Chuy",
    "El Güero",
    "La Güera",
    "El Flaco",
    "El Gordo",
    "El Señor",
    "El Tigre",
    "El Lobo",
    "La Tuta",
    "El Toro",
    "El Compa",
    "El Licenciado",
    "El Ingeniero",
    "El Profe",
    "La Jefa",
    "El Comandante",
    "El Chino",
    "El Pelón",
    "El Diablo",
    "El Gato",
    "El Zorro",
    "El Halcón",
    "El Cuervo",
    "El Pariente",
    "La Flaca",
    "El Padrino",
    "El Brujo",
    "La Reina",
]
PLACE_FIRST = _words(
    """
    San Santa Villa Puerto Ciudad Nuevo Real Santo Valle Cerro Río Tierra Paso Ojo Loma Boca
    """
)
PLACE_SECOND = _words(
    """
    Miguel Rosa Cruz Juan María Ana Lucía Pedro Tomás Isabel Ignacio Catalina Hidalgo Juárez
    Morelos Allende Guerrero Victoria Aldama Zaragoza Bravo Colorado Grande Blanco Verde Alto
    Caliente Seco Hondo Prieto Escondido Tlalpan Tepic Tlaxco Zitácuaro Huetamo Apatzingán
    Cherán Tuxpan Acapulco Chilpancingo Taxco Tecomán Uruapan Tierra Caliente Mapimí Cuautla
    Tlapa Ometepec Zihuatanejo Coyuca Tixtla Iguala Teloloapan Arcelia Ajuchitlán Nocupétaro
    """
)
COUNTRIES = [
    ("México", "Mexico"),
    ("Guatemala", "Guatemala"),
    ("Honduras", "Honduras"),
    ("El Salvador", "El Salvador"),
    ("Estados Unidos", "United States"),
    ("Colombia", "Colombia"),
]
GROUP_NAMES = {
    "CriminalCell": ("Célula {s}", "{s} cell"),
    "LocalCriminalGroup": ("Los {s} de {p}", "The {s} of {p}"),
    "StreetGang": ("Pandilla {p} {n}", "{p} {n} gang"),
    "Mara": ("Mara {p} {n}", "Mara {p} {n}"),
    "DrugTraffickingOrganization": ("Cártel de {p}", "{p} cartel"),
    "TransportGroup": ("Transportistas {s}", "{s} transport group"),
    "CriminalOrganization": ("Organización {s} {p}", "{s} {p} organisation"),
    "MunicipalPolice": ("Policía Municipal de {p}", "Municipal police of {p}"),
    "StatePolice": ("Policía Estatal de {p}", "State police of {p}"),
    "FederalPolice": ("Policía Federal, destacamento {p}", "Federal police, {p} detachment"),
    "ArmedForces": ("Batallón de Infantería {n}", "Infantry battalion {n}"),
    "SpecialForces": ("Fuerzas Especiales {n}", "Special forces {n}"),
    "MunicipalGovernment": ("Ayuntamiento de {p}", "Municipal government of {p}"),
    "StateGovernment": ("Gobierno de {p}", "Government of {p}"),
    "PrisonSystem": ("Centro Penitenciario de {p}", "Prison of {p}"),
    "Legislature": ("Congreso de {p}", "Congress of {p}"),
    "PublicOfficials": ("Funcionarios de {p}", "Officials of {p}"),
    "Commission": ("Comisión {s} de {p}", "{s} commission of {p}"),
    "Community": ("Comunidad de {p}", "Community of {p}"),
    "VictimGroup": ("Familias de víctimas de {p}", "Victims' families of {p}"),
    "MigrantGroup": ("Migrantes en {p}", "Migrants in {p}"),
    "YouthGroup": ("Jóvenes de {p}", "Youths of {p}"),
    "SelfDefenceForce": ("Autodefensas de {p}", "Self-defence force of {p}"),
    "CommunityPolice": ("Policía Comunitaria de {p}", "Community police of {p}"),
    "Business": ("Grupo {s} S.A. de C.V.", "{s} group"),
    "NGO": ("Centro de Derechos Humanos {s}", "{s} human rights centre"),
    "Press": ("Diario de {p}", "{p} daily"),
    "Church": ("Parroquia de {p}", "Parish of {p}"),
    "Union": ("Sindicato de {p}", "Union of {p}"),
    "StudentMovement": ("Normalistas de {p}", "Student teachers of {p}"),
    "ActivistGroup": ("Colectivo {s}", "{s} collective"),
    "School": ("Escuela Normal de {p}", "Teacher-training school of {p}"),
}
QUOTES_ES = [
    "Según testimonios recogidos en {p}, {a} y {b} mantenían un vínculo de {r}.",
    "Documentos judiciales señalan a {a} por su relación de {r} con {b} en {p}.",
    "Fuentes locales de {p} atribuyen a {a} un vínculo de {r} con {b}.",
    "La investigación describe cómo {a} y {b} sostuvieron una relación de {r}.",
]
QUOTES_EN = [
    "Witnesses in {p} say that {a} and {b} were tied by {r}.",
    "Court records name {a} for its {r} with {b} in {p}.",
    "Local sources in {p} attribute to {a} a tie of {r} with {b}.",
    "The investigation describes how {a} and {b} sustained a relationship of {r}.",
]
RELATION_WORDS = {
    "Collusion": "colusión",
    "Bribery": "soborno",
    "Protection": "protección",
    "Infiltration": "infiltración",
    "Complicity": "complicidad",
    "Acquiescence": "aquiescencia",
    "Alliance": "alianza",
    "Collaboration": "colaboración",
    "Subcontracting": "subcontratación",
    "Funding": "financiamiento",
    "Mediation": "mediación",
    "Command": "mando",
    "Leadership": "liderazgo",
    "Membership": "pertenencia",
    "Split": "escisión",
    "Control": "control",
    "Absorption": "absorción",
    "Kinship": "parentesco",
    "Rivalry": "rivalidad",
    "Attack": "ataque",
    "Victimisation": "victimización",
    "Recruitment": "reclutamiento",
    "Blame": "acusación",
    "Distrust": "desconfianza",
    "Presence": "presencia",
    "ViolenceDriver": "violencia",
    "MarketEngagement": "mercado criminal",
    "SphereDrift": "deriva",
}

CLUSTER_SIZE = 150
PARETO_ALPHA = 1.3
TIES_PER_ACTOR = 1.1
ACROSS = 0.1
"""Share of first ties that go across the network rather than inside the cluster."""
"""Ties each actor starts, on average: about ten triples per entity."""


@dataclass
class Summary:
    """What was generated, and the parameters the benchmark uses."""

    entities: int
    seed: int
    ties_per_actor: float = TIES_PER_ACTOR
    triples: int = 0
    ties: int = 0
    actors: int = 0
    places: int = 0
    sources: int = 0
    spheres: dict[str, int] = field(default_factory=dict)
    tie_classes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    params: dict[str, object] = field(default_factory=dict)


def parse_size(text: str) -> int:
    """`10k`, `100k`, `1M`, `2.5M` or a plain number, as a number of entities.

    >>> parse_size("10k"), parse_size("1M"), parse_size("2500")
    (10000, 1000000, 2500)
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*", text)
    if not match:
        raise ValueError(f"not a size: {text!r} (e.g. 10k, 100k, 1M)")
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return round(float(match.group(1)) * factor)


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """An N-Triples literal."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{XSD}{datatype}>'
    return f'"{escaped}"'


def _picker(rng: random.Random, weighted: list[tuple[str, int]]) -> Iterator[str]:
    """An endless stream of choices, in proportion to the weights."""
    names = [name for name, _ in weighted]
    cumulative = list(itertools.accumulate(w for _, w in weighted))
    total = cumulative[-1]
    while True:
        yield names[bisect.bisect_right(cumulative, rng.random() * total)]


class Generator:
    """Writes one network; `run` streams it to a file and returns the summary."""

    def __init__(
        self, entities: int, seed: int = 1, ties_per_actor: float = TIES_PER_ACTOR
    ) -> None:
        if entities < 100:
            raise ValueError("at least 100 entities")
        if ties_per_actor < 1:
            raise ValueError("every actor starts at least one tie")
        self.ties_per_actor = ties_per_actor
        self.rng = random.Random(seed)
        self.summary = Summary(entities=entities, seed=seed, ties_per_actor=ties_per_actor)
        self.n_sources = max(10, entities * 2 // 100)
        self.n_places = max(12, entities * 3 // 100)
        self.n_actors = entities - self.n_sources - self.n_places
        self.out: IO[str] | None = None
        self.criminal_presence: Counter[int] = Counter()  # federal state -> criminal presence ties
        self.in_markets: set[int] = set()  # criminal organisations engaged in a market
        self.triples = 0

    # ------------------------------------------------------------------ writing

    def emit(self, subject: str, predicate: str, obj: str) -> None:
        assert self.out is not None
        self.out.write(f"{subject} {predicate} {obj} .\n")
        self.triples += 1

    # ------------------------------------------------------------------- places

    def places(self) -> None:
        rng = self.rng
        n = self.n_places
        n_countries = len(COUNTRIES)
        n_states = max(4, n // 12)
        n_cities = max(2, n // 8)
        self.place_iri: list[str] = []
        self.place_label: list[str] = []
        self.state_of: dict[int, int] = {}
        self.country_of: dict[int, int] = {}
        self.municipalities: list[int] = []
        used: Counter[str] = Counter()

        def name() -> str:
            base = f"{rng.choice(PLACE_FIRST)} {rng.choice(PLACE_SECOND)}"
            used[base] += 1
            return base if used[base] == 1 else f"{base} {used[base]}"

        for i in range(n):
            iri = f"<{BASE}place/{i}>"
            if i < n_countries:
                cls, es, en, parent = "Country", COUNTRIES[i][0], COUNTRIES[i][1], None
            elif i < n_countries + n_states:
                # most federal states lie in Mexico, as in the report
                country = 0 if rng.random() < 0.7 else rng.randrange(n_countries)
                cls, parent = "FederalState", country
                es = en = f"Estado de {name()}"
                self.country_of[i] = country
            else:
                state = n_countries + rng.randrange(n_states)
                cls = "City" if i < n_countries + n_states + n_cities else "Municipality"
                parent = state
                es = en = name()
                self.state_of[i] = state
                self.country_of[i] = self.country_of[state]
                if cls == "Municipality":
                    self.municipalities.append(i)
            self.place_iri.append(iri)
            self.place_label.append(es)
            self.emit(iri, RDF_TYPE, h(cls))
            self.emit(iri, RDFS_LABEL, literal(es, "es"))
            if en != es or cls == "Country":
                self.emit(iri, RDFS_LABEL, literal(en, "en"))
            if parent is not None:
                self.emit(iri, SF_WITHIN, f"<{BASE}place/{parent}>")
        self.summary.places = n

    # ------------------------------------------------------------------ sources

    def sources(self) -> None:
        rng = self.rng
        self.source_iri = [f"<{BASE}source/{i}>" for i in range(self.n_sources)]
        for i, iri in enumerate(self.source_iri):
            year = rng.randrange(1995, 2025)
            author = rng.choice(SURNAMES)
            if i % 10 == 0:
                citation = f"Informe {author} {year}"
                self.emit(iri, RDF_TYPE, h("Report"))
            else:
                etal = " et al." if rng.random() < 0.3 else ""
                citation = f"{author}{etal}, {year}"
                self.emit(iri, RDF_TYPE, h("Source"))
            self.emit(iri, RDFS_LABEL, literal(citation, "es"))
            self.emit(iri, h("citation"), literal(citation))
            self.emit(iri, DC_DATE, literal(str(year), datatype="gYear"))
        # a few sources are cited far more than others (Zipf-like)
        self.source_weights = list(
            itertools.accumulate(1.0 / (1 + i) ** 0.8 for i in range(self.n_sources))
        )
        self.summary.sources = self.n_sources

    # ------------------------------------------------------------------- actors

    def actors(self) -> None:
        rng = self.rng
        a = self.n_actors
        sphere_pick = _picker(rng, [(s, round(w * 100)) for s, w in SPHERES.items()])
        class_picks = {
            s: _picker(rng, [(f"{c}|{int(p)}", w) for c, w, p in classes])
            for s, classes in CLASSES.items()
        }
        self.sphere = bytearray(a)  # index into SPHERE_KEYS
        self.is_person = bytearray(a)
        self.cls: list[str] = []
        self.label: list[str] = []
        self.cluster_start: list[int] = []
        self.cluster_place: list[int] = []
        self.cluster_of = array("i", [0]) * a
        fitness = array("d", [0.0]) * a
        spheres = list(SPHERES)
        counts: Counter[str] = Counter()
        # Clusters of varying size (60–300), each around a municipality.
        i = 0
        while i < a:
            size = min(a - i, rng.randrange(CLUSTER_SIZE // 2 - 15, CLUSTER_SIZE * 2))
            self.cluster_start.append(i)
            self.cluster_place.append(rng.choice(self.municipalities))
            i += size
        self.cluster_start.append(a)
        cluster = 0
        for i in range(a):
            while self.cluster_start[cluster + 1] <= i:
                cluster += 1
            self.cluster_of[i] = cluster
            sphere = next(sphere_pick)
            cls, person = next(class_picks[sphere]).split("|")
            self.sphere[i] = spheres.index(sphere)
            self.is_person[i] = person == "1"
            self.cls.append(cls)
            counts[sphere] += 1
            fitness[i] = min(rng.paretovariate(PARETO_ALPHA), 100_000.0)
            place = self.place_label[self.cluster_place[cluster]]
            iri = f"<{BASE}actor/{i}>"
            if person == "1":
                given = rng.choice(GIVEN)
                if rng.random() < 0.25:
                    given = f"{given} {rng.choice(GIVEN)}"
                es = f"{given} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
                en = None
            else:
                pattern_es, pattern_en = GROUP_NAMES[cls]
                values = {"s": rng.choice(SURNAMES), "p": place, "n": rng.randrange(1, 99)}
                es = pattern_es.format(**values)
                en = pattern_en.format(**values) if rng.random() < 0.5 else None
            self.label.append(es)
            self.emit(iri, RDF_TYPE, h(cls))
            self.emit(iri, RDFS_LABEL, literal(es, "es"))
            if en is not None:
                self.emit(iri, RDFS_LABEL, literal(en, "en"))
            if cls == "Person":
                self.emit(iri, h("sphere"), h(SPHERE_NODES[sphere]))
            if person == "1" and rng.random() < 0.2:
                self.emit(iri, ALT_LABEL, literal(rng.choice(NICKNAMES), "es"))
        self.cumulative = array("d", itertools.accumulate(fitness))
        self.summary.actors = a
        self.summary.spheres = {s: counts[s] for s in spheres}

    def _weighted_actor(self, lo: int, hi: int) -> int:
        """An actor in [lo, hi), drawn in proportion to its fitness."""
        cum = self.cumulative
        base = cum[lo - 1] if lo > 0 else 0.0
        target = base + self.rng.random() * (cum[hi - 1] - base)
        return min(bisect.bisect_right(cum, target, lo, hi), hi - 1)

    # --------------------------------------------------------------------- ties

    def ties(self) -> None:
        """Every actor's first tie goes to an actor that came before it in its cluster (the
        cluster's first actor, and a share `ACROSS` of the others: to anyone in the network),
        drawn by fitness, so the network grows connected with hubs; further ties
        (`ties_per_actor - 1` on average) put organisations in places and markets, let
        self-defence forces drift, and tie well-tied actors to each other."""
        rng = self.rng
        status_pick = _picker(rng, STATUSES)
        market_pick = _picker(rng, MARKETS)
        self._pair_picks = {pair: _picker(rng, weighted) for pair, weighted in PAIR_TIES.items()}
        self._civil_pick = _picker(rng, CIVIL_TIES)
        counts: Counter[str] = Counter()
        n = 0
        extra = self.ties_per_actor - 1
        whole, part = int(extra), extra % 1
        for a in range(self.n_actors):
            cluster = self.cluster_of[a]
            lo = self.cluster_start[cluster]
            home = self.cluster_place[cluster]
            inside = a > lo and rng.random() >= ACROSS
            ties = [self._actor_tie(a, self._weighted_actor(lo, a) if inside else self._anyone(a))]
            for _ in range(whole + (1 if part and rng.random() < part else 0)):
                ties.append(self._extra_tie(a, home, market_pick))
            for tie_cls, frm, to, frm_label, to_label in ties:
                self._tie(n, tie_cls, frm, to, frm_label, to_label, home, status_pick)
                counts[tie_cls] += 1
                n += 1
        self.summary.ties = n
        self.summary.tie_classes = dict(counts.most_common())

    def _anyone(self, a: int) -> int:
        """An actor anywhere in the network other than `a`, drawn by fitness."""
        b = a
        while b == a:
            b = self._weighted_actor(0, self.n_actors)
        return b

    def _extra_tie(
        self, a: int, home: int, market_pick: Iterator[str]
    ) -> tuple[str, str, str, str, str]:
        rng = self.rng
        sphere_a = list(SPHERES)[self.sphere[a]]
        organisation = not self.is_person[a]
        actor = f"<{BASE}actor/{a}>"
        roll = rng.random()
        if organisation and roll < 0.35:
            # presence in a place, or driving the violence there
            where = rng.random()
            if where < 0.7:
                place = home
            elif where < 0.9:
                place = self.state_of[home]
            elif where < 0.95:
                place = self.country_of[home]
            else:
                place = rng.choice(self.municipalities)
            violent = sphere_a == "criminal" and rng.random() < 0.25
            tie_cls = "ViolenceDriver" if violent else "Presence"
            if sphere_a == "criminal" and not violent:
                state = self.state_of.get(place, place)
                self.criminal_presence[state] += 1
            return tie_cls, actor, self.place_iri[place], self.label[a], self.place_label[place]
        if organisation and sphere_a == "criminal" and roll < 0.55:
            market = next(market_pick)
            self.in_markets.add(a)
            return "MarketEngagement", actor, h(market), self.label[a], market
        if self.cls[a] == "SelfDefenceForce" and roll < 0.6:
            return "SphereDrift", actor, h("CriminalSphere"), self.label[a], "la esfera criminal"
        # A tie between two well-tied actors (both drawn by fitness), in one cluster or across
        # the network: the ties among hubs that make the network a small world.
        hub = self._anyone(-1)
        cluster = self.cluster_of[hub]
        lo, hi = self.cluster_start[cluster], self.cluster_start[cluster + 1]
        other = hub
        while other == hub:
            other = self._weighted_actor(lo, hi) if rng.random() < 0.5 else self._anyone(hub)
        return self._actor_tie(hub, other)

    def _actor_tie(self, a: int, b: int) -> tuple[str, str, str, str, str]:
        """A tie between two actors, typed by their spheres."""
        spheres = list(SPHERES)
        sphere_a, sphere_b = spheres[self.sphere[a]], spheres[self.sphere[b]]
        first, second = a, b
        if self.is_person[a] and not self.is_person[b] and sphere_a == sphere_b:
            tie_cls = "Membership" if self.rng.random() < 0.8 else "Leadership"
        else:
            if "civil" in (sphere_a, sphere_b) and sphere_a != sphere_b:
                tie_cls = next(self._civil_pick)
            else:
                tie_cls = next(self._pair_picks[frozenset({sphere_a, sphere_b})])
            order = PERPETRATOR_ORDER
            if tie_cls in PERPETRATED and order.index(sphere_b) < order.index(sphere_a):
                first, second = b, a
        return (
            tie_cls,
            f"<{BASE}actor/{first}>",
            f"<{BASE}actor/{second}>",
            self.label[first],
            self.label[second],
        )

    def _tie(
        self,
        n: int,
        cls: str,
        frm: str,
        to: str,
        frm_label: str,
        to_label: str,
        home: int,
        status_pick: Iterator[str],
    ) -> None:
        rng = self.rng
        tie = f"<{BASE}tie/{n}>"
        self.emit(tie, RDF_TYPE, h(cls))
        self.emit(tie, h("from"), frm)
        self.emit(tie, h("to"), to)
        self.emit(tie, h("status"), h(next(status_pick)))
        cum = self.source_weights
        source = bisect.bisect_right(cum, rng.random() * cum[-1])
        self.emit(tie, DERIVED, self.source_iri[min(source, len(cum) - 1)])
        if rng.random() < 0.08:
            self.emit(tie, DERIVED, self.source_iri[rng.randrange(len(cum))])
        spanish = rng.random() < 0.5
        template = rng.choice(QUOTES_ES if spanish else QUOTES_EN)
        quote = template.format(
            a=frm_label,
            b=to_label,
            r=RELATION_WORDS.get(cls, cls.lower()),
            p=self.place_label[home],
        )
        self.emit(tie, h("quote"), literal(quote, "es" if spanish else "en"))
        if rng.random() < 0.6:
            locator = (
                f"p. {rng.randrange(1, 400)}"
                if rng.random() < 0.6
                else f"sección {rng.randrange(1, 12)}, párrafo {rng.randrange(1, 30)}"
            )
            self.emit(tie, h("locator"), literal(locator))
        if rng.random() < 0.25:
            confidence = rng.choice(["0.3", "0.5", "0.6", "0.7", "0.8", "0.9"])
            self.emit(tie, h("confidence"), literal(confidence, datatype="decimal"))
        if rng.random() < 0.45:
            year = rng.randrange(1995, 2025)
            if rng.random() < 0.3:
                day = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
                start = literal(day, datatype="date")
            else:
                start = literal(str(year), datatype="gYear")
            self.emit(tie, h("start"), start)
            if rng.random() < 0.35:
                end = min(year + rng.randrange(0, 9), 2025)
                self.emit(tie, h("end"), literal(str(end), datatype="gYear"))
        if cls in PERPETRATED and rng.random() < 0.3:
            self.emit(tie, h("market"), h(rng.choice(MARKETS_OF_TIES)))

    # --------------------------------------------------------------- parameters

    def params(self) -> dict[str, object]:
        """Entities and values for the benchmark's parameterised measurements, chosen from the
        generated data with their own seeded draw (so they do not disturb the network)."""
        rng = random.Random(self.summary.seed * 7919 + 1)
        spheres = list(SPHERES)
        cum = self.cumulative

        def fitness(i: int) -> float:
            return cum[i] - (cum[i - 1] if i else 0.0)

        def actors_of(sphere: str, person: bool | None = None) -> list[int]:
            wanted = spheres.index(sphere)
            return [
                i
                for i in range(self.n_actors)
                if self.sphere[i] == wanted
                and (person is None or bool(self.is_person[i]) == person)
            ]

        criminal_orgs = [i for i in actors_of("criminal", False) if self.cls[i] != "Person"]
        # The ends of `paths` are the kind of actors a journalist asks about: well tied. The
        # best-tied criminal group engaged in a market (also the group of `group-markets`), and
        # the best-tied state actor of its cluster (a local question) and of the whole network
        # (a wider one).
        group = max(
            [i for i in criminal_orgs if i in self.in_markets] or criminal_orgs, key=fitness
        )
        cluster = self.cluster_of[group]
        lo, hi = self.cluster_start[cluster], self.cluster_start[cluster + 1]
        state = spheres.index("state")
        local = [i for i in range(lo, hi) if self.sphere[i] == state] or actors_of("state")
        official = max(local, key=fitness)
        everywhere = max(actors_of("state"), key=fitness)
        if everywhere == official:
            everywhere = max((i for i in actors_of("state") if i != official), key=fitness)
        person = rng.choice(actors_of("criminal", True)[:5000])
        surname = normalise_ascii(self.label[person].split()[-1])
        # the federal state where criminal groups are said to operate most (`groups-in-place`)
        states = sorted(self.criminal_presence) or sorted(set(self.state_of.values()))
        busiest = max(states, key=self.criminal_presence.__getitem__)
        return {
            "paths": [
                [actor_iri(official), actor_iri(group)],
                [actor_iri(everywhere), actor_iri(group)],
            ],
            "show": actor_iri(group),
            "search": [
                self.label[person],
                surname,
                normalise_ascii(self.place_label[self.cluster_place[cluster]].split()[1][:5]),
            ],
            "query": {
                "status": "alleged",
                "sphere": "criminal",
                "place": self.place_iri[busiest][1:-1],
                "group": actor_iri(group),
                "entity": actor_iri(group),
            },
        }

    # ---------------------------------------------------------------------- run

    def run(self, out: IO[str]) -> Summary:
        started = time.perf_counter()
        self.out = out
        self.places()
        self.sources()
        self.actors()
        self.ties()
        self.summary.triples = self.triples
        self.summary.params = self.params()
        self.summary.seconds = round(time.perf_counter() - started, 2)
        return self.summary


def actor_iri(i: int) -> str:
    return f"{BASE}actor/{i}"


def normalise_ascii(text: str) -> str:
    """Lower case without accents (what a reader types).

    >>> normalise_ascii("Hernández")
    'hernandez'
    """
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def generate(
    entities: int, out_path: Path, seed: int = 1, ties_per_actor: float = TIES_PER_ACTOR
) -> Summary:
    """Write a network of `entities` entities to `out_path` (N-Triples) and its summary beside it
    (`<out_path>.json`)."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        summary = Generator(entities, seed, ties_per_actor).run(out)
    Path(f"{out_path}.json").write_text(json.dumps(asdict(summary), indent=2), encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", help="number of entities: 10k, 100k, 1M…")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="the N-Triples file (default: standard output)")
    parser.add_argument(
        "--ties-per-actor",
        type=float,
        default=TIES_PER_ACTOR,
        help=f"ties each actor starts, on average (default {TIES_PER_ACTOR})",
    )
    args = parser.parse_args(argv)
    entities = parse_size(args.size)
    if args.out is None:
        summary = Generator(entities, args.seed, args.ties_per_actor).run(sys.stdout)
        print(json.dumps(asdict(summary)), file=sys.stderr)
        return
    summary = generate(entities, args.out, args.seed, args.ties_per_actor)
    print(
        f"{args.out}: {summary.entities:,} entities, {summary.ties:,} ties, "
        f"{summary.triples:,} triples ({summary.triples / summary.entities:.1f} per entity) "
        f"in {summary.seconds:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
