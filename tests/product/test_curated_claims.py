"""The curated graph says what the report says, no more: lints over every claim of graph/, and
the overstatements an audit against the report found, each pinned by a test.

The lints read the quote of every claim and check that the claim's data carries what the
sentence's wording allows or demands: hedged wording gives a status that does not assert (or a
modality that is not a statement of fact); a word that limits the claim ("partially", "some
of", "more than"…) is a qualifier; a date is one the sentence gives. A claim the rule does not
fit is listed, with the reason, in `tests/data/curation/<graph file>.tsv` (columns: check,
claim id without the `hid:` prefix, why) — so every exception is written down and argued.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, Namespace

HILOS = Namespace("https://w3id.org/hilos/ontology#")
HID = Namespace("https://w3id.org/hilos/id/")
PROV = Namespace("http://www.w3.org/ns/prov#")
EXCEPTIONS = Path(__file__).resolve().parents[1] / "data" / "curation"

# Wording by which the report hedges what it says. "may" is the modal only (lower case: "May
# 2014" is a month).
HEDGES = re.compile(
    r"\b(?:evidence suggests|suggest(?:s|ed)?|may|might|allegedly|alleged|allegations?|"
    r"reportedly|seem(?:s|ed)?|accusations?|could|probabl[ey]|apparent(?:ly)?|potential(?:ly)?|"
    r"plausible|possibl[ey]|likely)\b"
)
# Words that limit a claim or a figure.
QUALIFIERS = re.compile(
    r"\b(?:partially|in part|some of|many|not all|more than|at least|about|mostly|"
    r"in principle|approximately)\b",
    re.IGNORECASE,
)
# A citation in brackets names a year that is not a date of the claim: "(Shirk et al., 2014)".
CITATION = re.compile(r"\([^()]*\b\d{4}\b[^()]*\)")
NOT_ASSERTING_STATUSES = {HILOS.Alleged, HILOS.Disputed, HILOS.Refuted}
NOT_STATED = {HILOS.AsIntention, HILOS.AsRecommendation, HILOS.AsWarning}


def _exceptions() -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for path in sorted(EXCEPTIONS.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.reader(handle, delimiter="\t"), 1):
                if not row or row[0].startswith("#"):
                    continue
                assert len(row) == 3 and row[2].strip(), f"{path.name}:{number}: check, id, why"
                found[(row[0], row[1])] = row[2]
    return found


@pytest.fixture(scope="module")
def exceptions() -> dict[tuple[str, str], str]:
    return _exceptions()


def _tie_classes(ontology: rdflib.Graph) -> set[rdflib.URIRef]:
    return {
        c
        for c in ontology.transitive_subjects(RDFS.subClassOf, HILOS.Tie)
        if isinstance(c, rdflib.URIRef)
    }


def _claims(curated: rdflib.Graph, ontology: rdflib.Graph) -> list[rdflib.URIRef]:
    classes = _tie_classes(ontology)
    return sorted(
        {s for c in classes for s in curated.subjects(RDF.type, c) if isinstance(s, rdflib.URIRef)}
    )


def _local(node: rdflib.term.Node) -> str:
    return str(node).removeprefix(str(HID))


def _unused(
    exceptions: dict[tuple[str, str], str], check: str, ids: set[str]
) -> list[tuple[str, str]]:
    return [key for key in exceptions if key[0] == check and key[1] not in ids]


def test_hedged_wording_never_gives_an_asserting_status(
    curated: rdflib.Graph, ontology: rdflib.Graph, exceptions: dict[tuple[str, str], str]
) -> None:
    wrong: list[str] = []
    hedged: set[str] = set()
    for claim in _claims(curated, ontology):
        quote = str(curated.value(claim, HILOS.quote) or "")
        found = HEDGES.findall(quote)
        if not found:
            continue
        hedged.add(_local(claim))
        status = curated.value(claim, HILOS.status)
        modality = curated.value(claim, HILOS.modality)
        if status in NOT_ASSERTING_STATUSES or modality in NOT_STATED:
            continue
        if ("hedge", _local(claim)) not in exceptions:
            wrong.append(f"{_local(claim)}: {found} but {status}")
    assert not wrong, "\n".join(wrong)
    assert not _unused(exceptions, "hedge", hedged)


def test_words_that_limit_a_claim_are_qualifiers(
    curated: rdflib.Graph, ontology: rdflib.Graph, exceptions: dict[tuple[str, str], str]
) -> None:
    wrong: list[str] = []
    limited: set[str] = set()
    subjects = set(_claims(curated, ontology))
    subjects |= set(curated.subjects(RDF.type, HILOS.Observation))
    for claim in sorted(subjects):
        quote = str(curated.value(claim, HILOS.quote) or "")
        found = QUALIFIERS.findall(quote)
        if not found:
            continue
        limited.add(_local(claim))
        if curated.value(claim, HILOS.qualifier) is not None:
            continue
        if ("qualifier", _local(claim)) not in exceptions:
            wrong.append(f"{_local(claim)}: {found}")
    assert not wrong, "\n".join(wrong)
    assert not _unused(exceptions, "qualifier", limited)


def test_every_date_is_one_the_sentence_gives(
    curated: rdflib.Graph, ontology: rdflib.Graph, exceptions: dict[tuple[str, str], str]
) -> None:
    wrong: list[str] = []
    dated: set[str] = set()
    subjects = set(_claims(curated, ontology))
    subjects |= set(curated.subjects(RDF.type, HILOS.Observation))
    for claim in sorted(subjects):
        quote = CITATION.sub("", str(curated.value(claim, HILOS.quote) or ""))
        years = {
            str(value)[:4]
            for prop in (HILOS.start, HILOS.end, HILOS.refPeriod)
            for value in curated.objects(claim, prop)
        }
        missing = sorted(year for year in years if year not in quote)
        if not missing:
            continue
        dated.add(_local(claim))
        if ("date", _local(claim)) not in exceptions:
            wrong.append(f"{_local(claim)}: {missing} not in its quote")
    assert not wrong, "\n".join(wrong)
    assert not _unused(exceptions, "date", dated)


def test_one_claim_per_statement(curated: rdflib.Graph, ontology: rdflib.Graph) -> None:
    """Two claims of one sentence never say the same of the same pair (a repeated claim with
    another status, or two ties of one type between the same ends)."""
    seen: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for claim in _claims(curated, ontology):
        classes = sorted(str(c) for c in curated.objects(claim, RDF.type))
        a = str(curated.value(claim, HILOS["from"]))
        b = str(curated.value(claim, HILOS.to))
        quote = str(curated.value(claim, HILOS.quote) or "")
        key = (*classes, *sorted((a, b)), quote)
        seen[key].append(_local(claim))
    repeated = [ids for ids in seen.values() if len(ids) > 1]
    assert not repeated, repeated


def test_every_exception_names_a_claim_of_the_graph(
    curated: rdflib.Graph, exceptions: dict[tuple[str, str], str]
) -> None:
    subjects = {_local(s) for s in curated.subjects(RDF.type, None)}
    assert {check for check, _ in exceptions} <= {"hedge", "qualifier", "date"}
    assert [key for key in exceptions if key[1] not in subjects] == []


# --- what the audit found, one test each ------------------------------------------------------


def _claims_quoting(
    curated: rdflib.Graph, ontology: rdflib.Graph, words: str
) -> list[rdflib.URIRef]:
    return [
        c
        for c in _claims(curated, ontology)
        if words in " ".join(str(curated.value(c, HILOS.quote) or "").split())
    ]


def test_the_refuted_maras_alliance_names_the_newspapers(
    curated: rdflib.Graph, ontology: rdflib.Graph
) -> None:
    refuted = [
        c
        for c in _claims_quoting(curated, ontology, "none of these alliances involves")
        if curated.value(c, HILOS.status) == HILOS.Refuted
    ]
    assert refuted
    for claim in refuted:
        sources = set(curated.objects(claim, PROV.wasDerivedFrom))
        citations = " ".join(str(curated.value(s, HILOS.citation)) for s in sources).lower()
        assert "newspaper" in citations, claim


def test_the_northern_gangs_alliances_are_alleged_claims_about_the_three_together(
    curated: rdflib.Graph, ontology: rdflib.Graph
) -> None:
    claims = _claims_quoting(curated, ontology, "these gangs have created alliances")
    ends = {curated.value(c, HILOS.to) for c in claims} | {
        curated.value(c, HILOS["from"]) for c in claims
    }
    cartels = {HID["sinaloa-cartel"], HID["juarez-cartel"], HID["gulf-cartel"], HID.zetas}
    assert cartels <= ends
    groups = ends - cartels
    assert len(groups) == 1, groups  # one grouping, not gang × cartel pairs
    (group,) = groups
    assert (group, RDF.type, HILOS.Grouping) in curated
    assert len(claims) == len(cartels)
    for claim in claims:
        assert curated.value(claim, HILOS.status) == HILOS.Alleged
    members = {
        curated.value(c, HILOS["from"])
        for c in curated.subjects(HILOS.to, group)
        if (c, RDF.type, HILOS.InGroup) in curated
    }
    assert {HID["barrio-azteca"], HID.mexicles, HID["mexican-mafia"]} <= members


def test_self_defence_funding_is_an_alleged_partial_claim(
    curated: rdflib.Graph, ontology: rdflib.Graph
) -> None:
    claims = _claims_quoting(curated, ontology, "partially funded by DTOs")
    funding = [c for c in claims if (c, RDF.type, HILOS.Funding) in curated]
    assert len(funding) == 1
    assert curated.value(funding[0], HILOS.status) == HILOS.Alleged
    assert curated.value(funding[0], HILOS.qualifier) == HILOS.Partially


def test_an_intention_is_not_recorded_as_what_happened(
    curated: rdflib.Graph, ontology: rdflib.Graph
) -> None:
    claims = _claims_quoting(curated, ontology, "would fight DTOs hand in hand")
    assert claims
    for claim in claims:
        assert curated.value(claim, HILOS.modality) in NOT_STATED, claim


def test_abarca_is_the_mayor_of_iguala(curated: rdflib.Graph) -> None:
    offices = [
        c
        for c in curated.subjects(HILOS["from"], HID["jose-luis-abarca"])
        if (c, RDF.type, HILOS.OfficeHolding) in curated
    ]
    assert offices
    assert any("the then-mayor of the city" in str(curated.value(c, HILOS.quote)) for c in offices)


def test_no_figure_is_dated_by_a_year_the_report_does_not_give(curated: rdflib.Graph) -> None:
    for observation in curated.subjects(RDF.type, HILOS.Observation):
        quote = " ".join(str(curated.value(observation, HILOS.quote) or "").split())
        if "falling from 22 to 19" in quote and curated.value(observation, HILOS.value) == 22:
            assert curated.value(observation, HILOS.refPeriod) is None, observation


def test_the_truce_and_its_effect_on_homicides(
    curated: rdflib.Graph, ontology: rdflib.Graph
) -> None:
    claims = _claims_quoting(curated, ontology, "led to a significant decrease in homicides")
    effects = [c for c in claims if (c, RDF.type, HILOS.Effect) in curated]
    assert effects
    assert all(curated.value(c, HILOS.status) == HILOS.Reported for c in effects)


def test_towns_under_dto_control(curated: rdflib.Graph, ontology: rdflib.Graph) -> None:
    claims = _claims_quoting(curated, ontology, "towns that had fallen under DTO control")
    assert any((c, RDF.type, HILOS.Control) in curated for c in claims)


def test_partners_and_protected_groups_are_not_targets(
    curated: rdflib.Graph, ontology: rdflib.Graph
) -> None:
    partners = _claims_quoting(curated, ontology, "strategic alliances with business owners")
    assert partners
    assert all((c, RDF.type, HILOS.Targeting) not in curated for c in partners)
    assert any((c, RDF.type, HILOS.Partnership) in curated for c in partners)
