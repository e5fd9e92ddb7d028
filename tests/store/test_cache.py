"""The projection and the search index saved beside the store (`hilos.store.cache`,
`hilos.network.saved`): what is read from them equals what is computed from the store with
nothing saved, for every filter; any write makes them stale; a damaged or foreign file is never
trusted."""

from __future__ import annotations

import io
import pickle
import stat
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from hilos import changes, claims
from hilos.importers.tabular import ImportOptions, import_csv
from hilos.network import saved
from hilos.network.projection import Filters, Projection, project, project_from_scratch
from hilos.search import _Index, search
from hilos.store import Store, cache
from hilos.store.updates import apply_update
from hilos.vocab import vocabulary
from support import bench_generator

HID = "https://w3id.org/hilos/id/"
FIELDS = (
    "dropped",
    "left_out",
    "untyped",
    "left_out_nodes",
    "tied_only_to_context",
    "merged",
    "identities_not_applied",
    "merged_labels",
    "described_elsewhere",
)


def same(found: Projection, expected: Projection) -> None:
    """The two projections hold the same nodes and edges, in the same order, with every
    attribute, and say the same of what they left out."""
    assert list(found.graph.nodes(data=True)) == list(expected.graph.nodes(data=True))
    assert list(found.graph.edges(keys=True, data=True)) == list(
        expected.graph.edges(keys=True, data=True)
    )
    for name in FIELDS:
        assert getattr(found, name) == getattr(expected, name), name
    assert found.assumptions() == expected.assumptions()


def _filters(store: Store) -> list[Filters]:
    curated = sorted(g.name for g in store.graphs() if g.name.startswith("report/"))
    kinds = ("place", "market", "policy", "event", "phenomenon")
    found = [
        Filters(),
        Filters(directed=True),
        Filters(every_claim=True),
        Filters(asserted_only=True),
        Filters(modalities=("recommendation",)),
        Filters(as_of="2014"),
        Filters(as_of="2014-09-26"),
        Filters(as_of="2030"),
        Filters(between=(2006, 2012)),
        Filters(between=(0, 2010)),
        Filters(between=(2015, 9999)),
        Filters(tie_types=("collusion",)),
        Filters(tie_types=("Tie",)),
        Filters(exclude=(HID + "zetas", HID + "guerreros-unidos")),
        Filters(include=kinds),
        Filters(include=("place", "event")),
        Filters(min_status="reported", as_of="2014", include=("place",), every_claim=True),
        Filters(asserted_only=True, between=(2010, 2020), exclude=(HID + "zetas",)),
    ]
    found += [Filters(min_status=status) for status in vocabulary().status_keys]
    found += [Filters(include=(kind,)) for kind in kinds]
    for name in curated:
        found += [Filters(graphs=(name,)), Filters(graphs=(name,), only=True)]
    found.append(Filters(graphs=tuple(curated[:2]), min_status="alleged"))
    return found


def test_the_saved_projection_equals_the_fresh_one_for_every_filter() -> None:
    store = Store.in_memory()
    for filters in _filters(store):
        expected = project_from_scratch(store, filters)
        same(project(store, filters), expected)  # derived (and saved)
        same(project(store, filters), expected)  # read back
    for lang in ("es", "fr"):
        same(project(store, lang=lang), project_from_scratch(store, lang=lang))


def _bad_year(store: Store) -> None:
    """A tie whose start is no year: `overlaps_years` cannot read it."""
    apply_update(
        store,
        "PREFIX hid: <https://w3id.org/hilos/id/> "
        "INSERT DATA { GRAPH <https://w3id.org/hilos/graph/odd> { "
        "hid:odd-tie a hilos:Collusion ; hilos:from hid:zetas ; hilos:to hid:sinaloa-cartel ; "
        'hilos:start "unknown" } }',
    )


def test_a_malformed_date_fails_the_same_way_saved_or_fresh() -> None:
    store = Store.in_memory()
    _bad_year(store)
    with pytest.raises(ValueError):
        project_from_scratch(store, Filters(between=(2000, 2010)))
    with pytest.raises(ValueError):
        project(store, Filters(between=(2000, 2010)))
    # only when the filter reaches the tie
    narrowed = Filters(between=(2000, 2010), exclude=(HID + "zetas",), tie_types=("bribery",))
    same(project(store, narrowed), project_from_scratch(store, narrowed))
    same(project(store, Filters(as_of="2014")), project_from_scratch(store, Filters(as_of="2014")))


def test_identity_claims_merge_the_same_way() -> None:
    store = Store.in_memory()
    claims.add_claim(store, "Mayor X (fictional)", "bribery", "Zetas", source="s",
                     create_from="person")  # fmt: skip
    claims.merge_entities(store, "Mayor X (fictional)", "José Luis Abarca", source="s")
    claims.merge_entities(store, "Zetas", "Sinaloa cartel", source="s", status="alleged")
    expected = project_from_scratch(store)
    assert expected.merged and expected.identities_not_applied
    same(project(store), expected)


# ------------------------------------------------------------------ a generated network


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("generated") / "network.nt"
    out = io.StringIO()
    bench_generator("bench_generate_saved").Generator(10_000, 3).run(out)
    path.write_text(out.getvalue(), encoding="utf-8")
    store = Store.in_memory()
    store.load(path, name="generated")
    return store


def test_the_saved_projection_equals_the_fresh_one_on_a_generated_network(
    generated: Store,
) -> None:
    for filters in [
        Filters(),
        Filters(min_status="reported", as_of="2015"),
        Filters(include=("place", "market"), between=(2008, 2016)),
        Filters(every_claim=True, directed=True),
        Filters(graphs=("generated",)),
        Filters(graphs=("generated",), only=True, asserted_only=True),
    ]:
        expected = project_from_scratch(generated, filters)
        assert expected.graph.number_of_edges() > 1000
        same(project(generated, filters), expected)


# ------------------------------------------------------------------ every write invalidates


def _claim(store: Store) -> str:
    return claims.add_claim(store, "Zetas", "collusion", "Guerreros Unidos", source="s").short_id


def _load(store: Store, tmp_path: Path, target: str = "guerreros-unidos") -> str:
    path = tmp_path / "extra.ttl"
    path.write_text(
        "@prefix hilos: <https://w3id.org/hilos/ontology#> .\n"
        "@prefix hid: <https://w3id.org/hilos/id/> .\n"
        f"hid:extra-tie a hilos:Collusion ; hilos:from hid:zetas ; hilos:to hid:{target} .\n",
        encoding="utf-8",
    )
    store.load(path, name="extra", replace=True)
    return target


def _import(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "ties.csv"
    path.write_text("from,to,relation\nZetas,Guerreros Unidos,collusion\n", encoding="utf-8")
    import_csv(store, str(path), ImportOptions())


def _nothing(store: Store, tmp_path: Path) -> str:
    return ""


Write = Callable[[Store, Path, str], object]
WRITES: dict[str, tuple[Callable[[Store, Path], str], Write]] = {
    # each write: what prepares it, and the write itself, made once the store's state before
    # it has been saved
    "load": (_nothing, lambda store, tmp_path, _: _load(store, tmp_path)),
    "load --replace": (
        lambda store, tmp_path: _load(store, tmp_path),
        lambda store, tmp_path, _: _load(store, tmp_path, "sinaloa-cartel"),
    ),
    "drop": (_nothing, lambda store, _, __: store.drop("report/iguala")),
    "import": (_nothing, lambda store, tmp_path, _: _import(store, tmp_path)),
    "claim add": (_nothing, lambda store, _, __: _claim(store)),
    "claim edit": (
        lambda store, _: _claim(store),
        lambda store, _, claim: claims.edit_claim(store, claim, relation="bribery"),
    ),
    "claim retract": (
        lambda store, _: _claim(store),
        lambda store, _, claim: claims.retract_claim(store, claim, reason="r"),
    ),
    "entity merge": (
        _nothing,
        lambda store, _, __: claims.merge_entities(store, "Zetas", "Sinaloa cartel", source="s"),
    ),
    "undo": (lambda store, _: _claim(store), lambda store, _, __: changes.undo(store)),
    "SPARQL update": (
        _nothing,
        lambda store, _, __: apply_update(
            store,
            "DELETE WHERE { GRAPH ?g { ?tie hilos:from <https://w3id.org/hilos/id/zetas> ;"
            " ?p ?o } }",
        ),
    ),
    "rematerialise": (
        lambda store, _: _claim(store),
        lambda store, _, __: store.rematerialise("mine"),
    ),
    "curated sync": (
        lambda store, _: str(store.drop("report/iguala")),
        lambda store, _, __: store.sync_bundle(restore=True),
    ),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_write_makes_the_saved_projection_and_index_stale(write: str, tmp_path: Path) -> None:
    store = Store.in_memory()
    prepare, change = WRITES[write]
    prepared = prepare(store, tmp_path)
    before = project(store)
    search(store, "zetas")
    state = store.state()
    change(store, tmp_path, prepared)
    assert store.state() != state
    after = project(store)
    same(after, project_from_scratch(store))
    if write != "rematerialise":  # the same statements, derived again
        changed = list(after.graph.edges(keys=True, data=True))
        assert changed != list(before.graph.edges(keys=True, data=True))
    assert search(store, "zetas") == search(_fresh(store), "zetas")


def test_a_name_loaded_after_a_search_is_found(tmp_path: Path) -> None:
    store = Store.in_memory()
    assert search(store, "xochiquetzal") == []
    path = tmp_path / "named.ttl"
    path.write_text(
        "@prefix hilos: <https://w3id.org/hilos/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/hilos/id/x> a hilos:Person ; rdfs:label "Xóchiquetzal Ruiz" .\n',
        encoding="utf-8",
    )
    store.load(path, name="named")
    assert [hit.id for hit in search(store, "xochiquetzal")] == [HID + "x"]


def _fresh(store: Store) -> Store:
    """The same database, with nothing saved in memory for it."""
    return Store(store.database, None)


# ------------------------------------------------------------------ the files beside the store


def _files(path: Path) -> list[Path]:
    return sorted((path / cache.FOLDER).glob("*/*.npz"))


def test_a_new_process_reads_what_the_last_one_saved(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(store_path) as store:
        expected = project_from_scratch(store, Filters(include=("place",)))
        same(project(store, Filters(include=("place",))), expected)
        hits = search(store, "guerrero")
    assert [p.name.split("-")[0] for p in _files(store_path)] == ["projection", "search"]
    # readable by whoever may read the store itself, no more
    modes = {stat.S_IMODE(p.stat().st_mode) for p in _files(store_path)}
    assert modes == {stat.S_IMODE((store_path / "CURRENT").stat().st_mode) & 0o666}

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("derived again")

    monkeypatch.setattr(saved, "derive", never)
    monkeypatch.setattr(_Index, "build", never)
    with Store.open(store_path) as store:
        same(project(store, Filters(include=("place",))), expected)
        assert search(store, "guerrero") == hits


def test_a_write_in_another_process_is_seen_and_old_files_go(store_path: Path) -> None:
    with Store.open(store_path) as store:
        project(store)
        old = _files(store_path)
    with Store.open(store_path) as store:
        store.drop("report/iguala")
    with Store.open(store_path) as store:
        same(project(store), project_from_scratch(store))
        assert not set(old) & set(_files(store_path))
        assert len(list((store_path / cache.FOLDER).iterdir())) == 1


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
        lambda path: path.write_bytes(b"not a numpy file"),
        lambda path: path.write_bytes(b""),
    ],
    ids=["cut short", "garbage", "empty"],
)
def test_a_damaged_file_is_derived_again(
    store_path: Path, damage: Callable[[Path], object]
) -> None:
    with Store.open(store_path) as store:
        expected = project_from_scratch(store)
        project(store)
    (file,) = _files(store_path)
    damage(file)
    with Store.open(store_path) as store:
        same(project(store), expected)
        assert cache._read(file, f"{cache.token(store)}\n{saved.KIND}\n{saved._key(None, 'en')}")


def test_a_file_of_another_state_or_shape_is_not_trusted(store_path: Path) -> None:
    with Store.open(store_path) as store:
        expected = project_from_scratch(store)
        project(store)
        (file,) = _files(store_path)
        key = saved._key(None, "en")
        state = cache.token(store)
    # a file of another state put where this state's file goes
    with np.load(file, allow_pickle=False) as arrays:
        content = {name: arrays[name] for name in arrays.files}
    content["__stamp__"] = np.frombuffer(f"other\n{saved.KIND}\n{key}".encode(), dtype=np.uint8)
    content["tie_source"] = content["tie_target"]  # what a stale file would say
    with file.open("wb") as out:
        np.savez(out, **content)
    with Store.open(store_path) as store:
        same(project(store), expected)
    # a file of this state with a column missing
    del content["tie_modality"]
    content["__stamp__"] = np.frombuffer(f"{state}\n{saved.KIND}\n{key}".encode(), np.uint8)
    with file.open("wb") as out:
        np.savez(out, **content)
    with Store.open(store_path) as store:
        same(project(store), expected)


class _Trap:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (str(_TRAPPED),))


_TRAPPED = Path("/nonexistent")


def test_a_saved_file_is_never_run_as_code(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trapped = tmp_path / "ran"
    monkeypatch.setattr(sys.modules[__name__], "_TRAPPED", trapped)
    pickle.loads(pickle.dumps(_Trap()))  # the trap works
    assert trapped.exists()
    trapped.unlink()
    with Store.open(store_path) as store:
        expected = project_from_scratch(store)
        project(store)
        (file,) = _files(store_path)
        with np.load(file, allow_pickle=False) as arrays:
            content = {name: arrays[name] for name in arrays.files}
        trap = np.empty(1, dtype=object)
        trap[0] = _Trap()
        content["tie_modality"] = trap
        with file.open("wb") as out:
            np.savez(out, **content)
        cache._MEMORY.clear()
        same(project(store), expected)
    assert not trapped.exists()


def test_writers_racing_leave_a_whole_file(store_path: Path) -> None:
    with Store.open(store_path) as store:
        arrays = [{"values": np.full(200_000, n)} for n in range(4)]
        errors: list[BaseException] = []

        def write(values: dict[str, np.ndarray]) -> None:
            try:
                for _ in range(5):
                    cache.save(store, "race", "key", values)
            except BaseException as exc:  # pragma: no cover - the failure reported below
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(a,)) for a in arrays]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        cache._MEMORY.clear()
        found = cache.load(store, "race", "key")
        assert found is not None
        values = found["values"]
        assert len(values) == 200_000 and len(set(values[[0, -1]].tolist())) == 1
        assert not list((store_path / cache.FOLDER).glob("*/.writing-*"))


def test_nothing_is_saved_when_disabled_or_for_an_endpoint(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.DISABLE, "1")
    with Store.open(store_path) as store:
        same(project(store), project_from_scratch(store))
        search(store, "zetas")
    assert not _files(store_path)
    monkeypatch.delenv(cache.DISABLE)
    remote = Store.connect("http://localhost:1/sparql")
    assert not cache.enabled(remote)


def test_strings_survive_packing() -> None:
    values = ["", "a", "ñandú \U0001f600", "with\x00nul", "\ud800 lone", "last"]
    assert cache.strings(cache.pack_strings(values)) == values
    assert cache.strings(cache.pack_strings([])) == []
    assert cache.strings(cache.pack_strings([""])) == [""]


def test_the_index_keeps_its_words_and_an_older_index_is_built_again(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The distinct words fuzzy search corrects against are saved with the index (a first
    fuzzy search at a million entities split every key again); an index saved without them,
    by an earlier version, is built again rather than read wrong."""
    with Store.open(store_path) as store:
        hits = search(store, "guerero")  # a typo: corrected against the words
    (path,) = [p for p in _files(store_path) if p.name.startswith("search")]
    with np.load(path, allow_pickle=False) as saved:
        arrays = {name: saved[name] for name in saved.files}
    keys = cache.strings(arrays["text"])[0].split("\n")
    assert cache.strings(arrays["words"]) == sorted({w for key in keys for w in key.split()})
    assert hits and any("guerrero" in hit.label.lower() for hit in hits)

    del arrays["words"]
    with path.open("wb") as handle:
        np.savez(handle, **arrays)
    built = []
    real = _Index.build

    def counted(store: Store) -> _Index:
        built.append(store)
        return real(store)

    monkeypatch.setattr(_Index, "build", counted)
    with Store.open(store_path) as store:
        assert search(store, "guerero") == hits
    assert len(built) == 1
