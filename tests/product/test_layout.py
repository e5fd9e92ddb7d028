"""The tests mirror the package (issue 19): every test file sits in `tests/<area>/`, an area being
a subpackage of `hilos` (`store`, `network`...), `core` for the modules at the package's root,
`product` for whole-product tests (end to end, docs, wheel, CI, catalogues, the curated graph) or
`hardening`; every module of `src/hilos` is named by a test file, or listed in `TESTED_ELSEWHERE`
with the file that tests it; no test file imports another (shared helpers live in `conftest.py`
and `support.py`).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
PACKAGE = TESTS.parent / "src" / "hilos"

AREAS = {"cli", "server", "export", "network", "importers", "store", "sparql"}
OTHER_FOLDERS = {"core", "product", "hardening"}

# Modules no test file is named after, with the file that tests them and why it is that one.
TESTED_ELSEWHERE: dict[str, str] = {
    "hilos": "product/test_wheel.py: the package's import and version, from the built wheel",
    "atomicfile": "hardening/test_crash.py: all-or-nothing writes, by killing the writer",
    "changes": "core/test_claims.py: add, edit, retract and undo are the changes log's entries",
    "entities": "core/test_evidence.py and core/test_display.py: cards and ties of entities",
    "render": "hardening/test_export_safety.py: the terminal obeys no escape from the data",
    "rdfsyntax": "hardening/test_fuzz_rdf.py: portable terms read back by every parser",
    "xmlsafety": "hardening/test_fuzz_rdf.py: hostile RDF/XML is refused at once",
    "terms": "product/test_terminal_output.py: the words of types and statuses, in two languages",
    "text": "core/test_search.py: normalisation of names is what search matches on",
    "validate": "product/test_owl_shacl_clients.py: the same verdicts as pySHACL",
    "cli.app": "cli/test_cli.py: every command through click's runner",
    "cli.common": "cli/test_parameter_names.py: the options every command shares",
    "cli.data": "cli/test_cli.py: load, graphs, drop, query",
    "cli.explore": "cli/test_cli.py: show, search and the other reading commands",
    "cli.export_dossier": "export/test_dossier.py: `hilos export dossier` end to end",
    "cli.export_html": "export/test_html.py: `hilos export html` end to end",
    "cli.exporting": "export/test_export_network.py: the export group's files and targets",
    "cli.import_tabular": "importers/test_tabular.py: `hilos import csv|xlsx` end to end",
    "cli.importing": "importers/test_import_ftm.py: the import group, through FtM and tables",
    "cli.serve": "server/test_http.py: `hilos serve` help and a port in use",
    "cli.words": "product/test_terminal_output.py: the CLI's words in English and Spanish",
    "export.layout": "export/test_html_pages.py: positions of the page's network",
    "export.words": "export/test_dossier.py: the words of dossiers and pages",
    "importers": "store/test_store_package.py: statements from the importers, loaded whole",
    "importers.columns": "importers/test_tabular.py: column mapping in English and Spanish",
    "importers.values": "importers/test_tabular.py: values, dates and confidences of cells",
    "network.brokers": "network/test_network_analysis.py: against networkx's definitions",
    "network.communities": "network/test_network_analysis.py: against networkx's definitions",
    "network.disrupt": "network/test_network_analysis.py: against networkx's definitions",
    "network.projection": "network/test_context.py: the projection of graphs and their context",
    "network.projecting": "network/test_context.py: the projection (network.projection's names)",
    "network.ranking": "network/test_arrays.py: the ranking on arrays against networkx",
    "network.region": "server/test_explorer.py: the ego network the explorer draws (no direct "
    "test yet: issue 19)",
    "network.saved": "store/test_cache.py: what is read back equals what is computed",
    "server.explorer.api": "server/test_explorer.py: the explorer's JSON API over HTTP",
    "sparql.lexer": "core/test_executor.py: queries classified before they reach the engine",
    "store.backend": "store/test_store_package.py: no module asks which kind of store it holds",
    "store.database": "store/test_store_package.py: the bottom of the store's modules, no loop",
    "store.remote_view": "store/test_remote.py: the view answers alike on both backends",
    "store.values": "store/test_remote.py: bound values written into the query's text",
    "store.view": "store/test_remote.py: the view answers alike on both backends",
    "store.indexes": "store/test_embedded.py: the indexes beside the embedded store",
    "store.loading": "store/test_embedded.py: loading all or nothing",
    "store.registry": "store/test_embedded.py: named graphs and their registry",
    "store.updates": "store/test_store_package.py: one way in for statements",
}


def all_test_files() -> list[Path]:
    return sorted(
        path
        for path in TESTS.rglob("test_*.py")
        if "node_modules" not in path.relative_to(TESTS).parts
    )


def module_names() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts) or "hilos")
    return names


def named_by_a_test_file(module: str, stems: set[str]) -> bool:
    """`hilos.network.paths` is named by `test_paths`, `test_network_paths`, `test_paths_x`."""
    last = module.rsplit(".", 1)[-1]
    return any(re.search(rf"(^|_){last}(_|$)", stem.removeprefix("test_")) for stem in stems)


def test_every_test_file_sits_in_an_area_folder() -> None:
    misplaced = [
        str(path.relative_to(TESTS))
        for path in all_test_files()
        if len(path.relative_to(TESTS).parts) != 2
        or path.relative_to(TESTS).parts[0] not in AREAS | OTHER_FOLDERS
    ]
    assert misplaced == []


def test_no_two_test_files_share_a_name() -> None:
    # The area folders are not packages: pytest imports each test file by its bare name.
    names = [path.name for path in all_test_files() if path.parent.name != "hardening"]
    assert sorted(name for name in set(names) if names.count(name) > 1) == []


def test_every_module_is_named_by_a_test_file_or_mapped() -> None:
    stems = {path.stem for path in all_test_files()}
    unnamed = [
        module
        for module in module_names()
        if module not in TESTED_ELSEWHERE and not named_by_a_test_file(module, stems)
    ]
    assert unnamed == []


def test_the_map_names_real_modules_and_files() -> None:
    modules = set(module_names())
    assert sorted(set(TESTED_ELSEWHERE) - modules) == []
    for module, reason in TESTED_ELSEWHERE.items():
        for named in re.findall(r"[a-z_]+/test_[a-z_]+\.py", reason):
            assert (TESTS / named).is_file(), f"{module}: {named} is not a test file"


def imported_test_modules(path: Path) -> list[str]:
    """The test modules a file imports by absolute name (hardening's relative imports of its own
    helpers within its package are not counted)."""
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module)
    return sorted(name for name in imported if name.rsplit(".", 1)[-1].startswith("test_"))


def test_no_test_file_imports_another() -> None:
    found = {
        str(path.relative_to(TESTS)): names
        for path in all_test_files()
        if (names := imported_test_modules(path))
    }
    assert found == {}
