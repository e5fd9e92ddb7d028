"""Vendored front-end files are the copies their READMEs name: every file of a `vendor/<name>/`
folder is in its README's table with its SHA-256, the README says where it came from and what
was changed (only the `sourceMappingURL` line, whose removal the npm sum checks), the licence
is beside it, and the network page carries vis-network from there, not from pyvis.

Expected sums are read from the READMEs; the files are hashed here.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import pytest

from hilos.export.html import export_html, vis_network_js
from hilos.network.projection import Filters
from hilos.store import Store

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "src" / "hilos"
VENDORED = sorted(p.parent for p in PACKAGE.glob("**/vendor/*/README.md"))
VIS = PACKAGE / "export" / "vendor" / "vis-network"
ROW = re.compile(
    r"^\| `(?P<file>[^`]+)` \| `(?P<sha>[0-9a-f]{64})`"
    r"(?: \(npm's file: `(?P<npm>[0-9a-f]{64})`\))? \|$"
)


def sums(folder: Path) -> dict[str, tuple[str, str | None]]:
    """file -> (its SHA-256, the SHA-256 of the file npm ships, if it differs), from the README."""
    text = (folder / "README.md").read_text(encoding="utf-8")
    rows = [m for line in text.splitlines() if (m := ROW.match(line))]
    return {m["file"]: (m["sha"], m["npm"]) for m in rows}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_both_vendored_libraries_are_found() -> None:
    assert {folder.name for folder in VENDORED} >= {"vis-network", "yasgui"}


@pytest.mark.parametrize("folder", VENDORED, ids=lambda p: p.name)
def test_every_vendored_file_has_the_sum_its_readme_gives(folder: Path) -> None:
    listed = sums(folder)
    present = {p.name for p in folder.iterdir() if p.name != "README.md"}
    code = {name for name in present if not name.startswith("LICENSE")}
    assert code <= set(listed) <= present, "every file but the licence is in the README"
    for name, (expected, _) in listed.items():
        assert sha256((folder / name).read_bytes()) == expected, name


@pytest.mark.parametrize("folder", VENDORED, ids=lambda p: p.name)
def test_only_the_source_map_line_differs_from_npm(folder: Path) -> None:
    """Where the README gives npm's sum too, putting back the one line it says was removed
    gives npm's file again."""
    changed = [(name, npm) for name, (_, npm) in sums(folder).items() if npm]
    assert changed, "the README says what npm ships"
    for name, npm in changed:
        line = f"//# sourceMappingURL={name}.map".encode()
        data = (folder / name).read_bytes()
        assert line not in data
        assert npm in {sha256(data + line), sha256(data + line + b"\n")}, name


@pytest.mark.parametrize("folder", VENDORED, ids=lambda p: p.name)
def test_the_licence_is_beside_the_files(folder: Path) -> None:
    licences = [p for p in folder.iterdir() if p.name.startswith("LICENSE")]
    assert licences
    for licence in licences:
        text = licence.read_text(encoding="utf-8")
        assert "MIT License" in text or "Apache License" in text, licence.name


def test_vis_network_is_the_version_its_readme_names_under_both_licences() -> None:
    readme = (VIS / "README.md").read_text(encoding="utf-8")
    version = re.search(r"`vis-network` \*\*([0-9.]+)\*\*", readme)
    assert version
    header = (VIS / "vis-network.min.js").read_text(encoding="utf-8")[:1000]
    assert f"@version {version.group(1)}" in header
    assert "1. The Apache 2.0 License" in header and "2. The MIT License" in header
    mit = (VIS / "LICENSE-MIT").read_text(encoding="utf-8")
    apache = (VIS / "LICENSE-APACHE-2.0").read_text(encoding="utf-8")
    assert mit.startswith("The MIT License (MIT)") and "Almende B.V." in mit
    assert "Apache License" in apache and "Version 2.0, January 2004" in apache


def test_the_page_carries_the_vendored_file_and_needs_no_pyvis(
    memory_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `import pyvis` now fails, as in an environment without it (pyvis is not a dependency).
    monkeypatch.setitem(sys.modules, "pyvis", None)
    vendored = (VIS / "vis-network.min.js").read_text(encoding="utf-8")
    assert vis_network_js() == vendored
    out = tmp_path / "page.html"
    export_html(memory_store, out, Filters(directed=False))
    page = out.read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert scripts[0] == vendored
    assert "sourceMappingURL" not in page
