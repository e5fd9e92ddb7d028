"""Coverage-guided fuzzing with atheris, a few seconds per target, when atheris is installed
(`pip install atheris`; it is not part of the test extra, and hypothesis covers the same entry
points without it). The harness is `fuzz_atheris.py`, runnable on its own for longer sessions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .support import DEEP
from .test_fuzz_import import SEED_CSV, SEED_FTM
from .test_fuzz_rdf import seed

pytestmark = pytest.mark.slow

HARNESS = Path(__file__).with_name("fuzz_atheris.py")
SECONDS = 120 if DEEP else 1
SEEDS = {
    "turtle": lambda: seed("turtle"),
    "rdfxml": lambda: seed("rdfxml"),
    "jsonld": lambda: seed("jsonld"),
    "csv": lambda: SEED_CSV,
    "ftm": lambda: SEED_FTM,
    "sparql": lambda: b"SELECT ?s WHERE { ?s a hilos:Mayor ; rdfs:label ?l } LIMIT 3",
    "param": lambda: b"Zetas\x002014",
}


EVERY_RUN = {"rdfxml", "csv", "ftm", "sparql"}
"""The targets `make test` fuzzes; HILOS_FUZZ=deep fuzzes them all, for minutes each."""


@pytest.mark.parametrize("target", sorted(SEEDS))
def test_atheris_finds_no_crash(target: str, tmp_path: Path) -> None:
    pytest.importorskip("atheris", reason="atheris is not installed; hypothesis covers this")
    if not DEEP and target not in EVERY_RUN:
        pytest.skip(f"{target}: fuzzed with HILOS_FUZZ=deep (hypothesis covers it meanwhile)")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "seed").write_bytes(SEEDS[target]())
    fuzzed = subprocess.run(
        [sys.executable, str(HARNESS), target, f"-max_total_time={SECONDS}", str(corpus)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=SECONDS + 120,
    )
    assert fuzzed.returncode == 0, fuzzed.stderr[-3000:]
    assert "Done" in fuzzed.stderr
