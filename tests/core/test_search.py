"""Search: normalisation, ranking, resolution of names to entities."""

from __future__ import annotations

import pytest

from hilos.errors import AmbiguousEntity, UnknownEntity
from hilos.search import match_score, resolve, search
from hilos.store import Store
from hilos.text import normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cherán", "cheran"),
        ("MICHOACÁN", "michoacan"),
        ("Joaquín “El Chapo” Guzmán", "joaquin el chapo guzman"),
        ("  self-defence   forces ", "self defence forces"),
        ("Ñuñoa", "nunoa"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_ranking_prefers_whole_names_then_prefixes_then_words() -> None:
    scores = [
        match_score("zetas", "zetas"),
        match_score("zetas", "zetas cartel"),
        match_score("zetas", "los zetas"),
        match_score("zetas", "the zetasx"),
    ]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == 4


def test_search_is_accent_and_case_insensitive(memory_store: Store) -> None:
    for text in ("Cheran", "CHERÁN", "cherán"):
        labels = [hit.label for hit in search(memory_store, text)]
        assert "Cherán" in labels


def test_search_finds_spanish_names_and_aliases(memory_store: Store) -> None:
    hits = search(memory_store, "caballeros templarios")
    assert hits[0].id == "https://w3id.org/hilos/id/knights-templar"
    hits = search(memory_store, "autodefensas")
    assert "https://w3id.org/hilos/id/self-defence-forces" in [h.id for h in hits]


def test_best_match_first(memory_store: Store) -> None:
    hits = search(memory_store, "iguala")
    assert hits[0].id == "https://w3id.org/hilos/id/iguala"
    assert hits[0].sphere is None
    police = next(h for h in hits if h.id.endswith("iguala-municipal-police"))
    assert police.sphere == "state"
    assert "hilos:MunicipalPolice" in police.types


def test_nothing_matches(memory_store: Store) -> None:
    assert search(memory_store, "zzzz-no-such-name") == []
    assert search(memory_store, "   ") == []


def test_resolve_names_prefixed_names_and_iris(memory_store: Store) -> None:
    iri = "https://w3id.org/hilos/id/jose-luis-abarca"
    assert resolve(memory_store, "José Luis Abarca") == iri
    assert resolve(memory_store, "jose luis abarca") == iri
    assert resolve(memory_store, "hid:jose-luis-abarca") == iri
    assert resolve(memory_store, iri) == iri
    with pytest.raises(UnknownEntity):
        resolve(memory_store, "hid:nobody")
    with pytest.raises(UnknownEntity):
        resolve(memory_store, "Nobody At All")


def test_an_ambiguous_name_lists_the_candidates(memory_store: Store) -> None:
    with pytest.raises(AmbiguousEntity) as caught:
        resolve(memory_store, "police")
    assert len(caught.value.candidates) > 1


# -- forgiving a slip of the keys ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected", "corrected"),
    [
        ("guerreros unidas", "https://w3id.org/hilos/id/guerreros-unidos", (("unidas", "unidos"),)),
        ("Abarka", "https://w3id.org/hilos/id/jose-luis-abarca", (("abarka", "abarca"),)),
        (
            "Caballeros Templaros",
            "https://w3id.org/hilos/id/knights-templar",
            (("templaros", "templarios"),),
        ),
    ],
)
def test_a_slip_of_the_keys_is_forgiven_and_said(
    memory_store: Store, typed: str, expected: str, corrected: tuple[tuple[str, str], ...]
) -> None:
    hits = search(memory_store, typed)
    assert hits[0].id == expected
    assert hits[0].fuzzy and hits[0].corrected == corrected
    assert hits[0].as_dict()["fuzzy"] is True
    assert search(memory_store, typed, fuzzy=False) == []


def test_names_as_typed_rank_before_close_matches(memory_store: Store) -> None:
    for typed in ("iguala", "policia", "zetas", "cartel"):
        hits = search(memory_store, typed, limit=50)
        flags = [hit.fuzzy for hit in hits]
        assert flags == sorted(flags), typed  # every exact hit first
        scores = [hit.score for hit in hits]
        assert scores == sorted(scores, reverse=True)


def test_short_words_are_not_corrected(memory_store: Store) -> None:
    assert all(not hit.fuzzy for hit in search(memory_store, "zta"))


def test_a_close_name_is_never_resolved_silently(memory_store: Store) -> None:
    with pytest.raises(UnknownEntity):
        resolve(memory_store, "Abarka")
