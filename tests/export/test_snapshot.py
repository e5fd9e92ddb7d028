"""The data-snapshot hash pages and dossiers state: the same data gives the same hash in any
fresh store, and a page and a dossier made with the same filters hash the same scope."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pyoxigraph as ox

from hilos.export import snapshot_hash
from hilos.store import Store

BLANKS = """\
@prefix hilos: <https://w3id.org/hilos/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix ex: <https://example.org/snap/> .
ex:mayor a hilos:Mayor ; rdfs:label "Mayor S"@en .
ex:gang a hilos:CriminalOrganization ; rdfs:label "Gang S"@en .
[] a hilos:Collusion ; hilos:from ex:mayor ; hilos:to ex:gang ; hilos:status hilos:Reported ;
   prov:wasDerivedFrom [ a hilos:Source ; hilos:citation "Interview S (2024)" ] .
[] a hilos:Bribery ; hilos:from ex:gang ; hilos:to ex:mayor ; hilos:status hilos:Alleged ;
   prov:wasDerivedFrom [ a hilos:Source ; hilos:citation "Interview T (2024)" ] .
"""


def _independent_hash(path: Path, graph: str) -> str:
    """The hash as a reader recomputes it: the file's statements in their graph, canonicalised
    with RDFC-1.0 (pyoxigraph's Dataset, not the store), sorted N-Quads lines, SHA-256."""
    dataset = ox.Dataset(
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    text = ox.serialize(dataset, format=ox.RdfFormat.N_QUADS) or b""
    digest = hashlib.sha256()
    for line in sorted(line for line in text.splitlines() if line):
        digest.update(line + b"\n")
    return digest.hexdigest()


def test_the_same_data_hashes_the_same_in_fresh_stores(tmp_path: Path) -> None:
    path = tmp_path / "blanks.ttl"
    path.write_text(BLANKS, encoding="utf-8")
    hashes = set()
    for _ in range(4):  # each load labels the blank nodes afresh
        store = Store.in_memory()
        store.load(path, name="blanks")
        hashes.add(snapshot_hash(store, ["blanks"]))
        everything = snapshot_hash(store)
        store.close()
    assert len(hashes) == 1
    assert hashes == {_independent_hash(path, "https://w3id.org/hilos/graph/blanks")}
    assert everything not in hashes


def test_a_page_and_a_dossier_with_the_same_filters_hash_the_same_scope(
    hilos, tmp_path: Path
) -> None:
    page, dossier = tmp_path / "page.html", tmp_path / "dossier.md"
    for scope in ([], ["--graph", "report/iguala"]):
        made = hilos("export", "html", str(page), "--focus", "José Luis Abarca", *scope)
        assert made.exit_code == 0, made.stderr
        made = hilos("export", "dossier", str(dossier), "José Luis Abarca", *scope)
        assert made.exit_code == 0, made.stderr
        page_hash = re.search(r'"snapshot":\s*"([0-9a-f]{64})"', page.read_text(encoding="utf-8"))
        dossier_hash = re.search(r"([0-9a-f]{64})", dossier.read_text(encoding="utf-8"))
        assert page_hash and dossier_hash
        assert page_hash.group(1) == dossier_hash.group(1), scope


def test_the_readme_recipe_recomputes_the_hash(hilos, tmp_path: Path) -> None:
    """The docs' recipe, run as written: export N-Quads, canonicalise, sort, hash."""
    readme = (Path(__file__).resolve().parents[2] / "docs" / "export.md").read_text(
        encoding="utf-8"
    )
    recipe = readme[readme.index("**The data snapshot.**") :]
    script = recipe[recipe.index("python - <<'PY'\n") + 16 : recipe.index("\nPY\n")]
    page = tmp_path / "page.html"
    for scope in ([], ["--graph", "report/iguala"]):
        data = tmp_path / "data.nq"
        assert hilos("export", "nquads", str(data), *scope).exit_code == 0
        made = hilos("export", "html", str(page), "--focus", "José Luis Abarca", *scope)
        assert made.exit_code == 0, made.stderr
        stated = re.search(r'"snapshot":\s*"([0-9a-f]{64})"', page.read_text(encoding="utf-8"))
        assert stated
        printed: list[str] = []
        code = script.replace('"data.nq"', repr(str(data)))
        exec(code, {"print": printed.append})  # the docs' own recipe
        assert printed == [stated.group(1)], scope
