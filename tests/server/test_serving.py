"""Working while `hilos serve` holds the store: real processes, a real server.

Read-only commands run in another process read through the server's endpoint and give the same
answers as on the store itself; commands that write say in one line which server holds it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hilos.server.serving import note_path

pytestmark = pytest.mark.slow

SHEET = Path(__file__).resolve().parents[1] / "data" / "sheet-hallazgos-excel.csv"
LAUNCH = "import sys; from hilos.cli import main; sys.argv[0] = 'hilos'; main()"

# Commands that only read, and what each is asked (any file they write is named FILE).
READERS = {
    "search": ["search", "abarca"],
    "show": ["show", "José Luis Abarca"],
    "paths": ["paths", "José Luis Abarca", "Guerreros Unidos"],
    "chains": ["chains", "--limit", "5"],
    "query": ["query", "officials-criminal-ties", "--format", "csv"],
    "graphs": ["graphs"],
    "export": ["export", "graphml", "FILE"],
    "claims": ["claim", "list", "--format", "csv"],
    "own entity": ["show", "Diputada Fulana"],
    "own graph": ["paths", "Diputada Fulana", "Los Zetas"],
    "one graph": ["chains", "--graph", "report/iguala"],
    "own chains": ["chains", "--graph", "mine", "--format", "json"],
}


def hilos(
    store: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LAUNCH, "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


@dataclass
class Served:
    store: Path
    process: subprocess.Popen[str]
    base: str
    said: list[str]
    """What the server wrote on stderr after it started (read as it comes: a server whose log
    nobody reads stops answering once the pipe is full, as any process would)."""
    reader: threading.Thread

    def stop(self, how: int = signal.SIGINT) -> str:
        if self.process.poll() is None:
            self.process.send_signal(how)
        self.process.wait(timeout=60)
        self.reader.join(timeout=60)
        if self.process.stderr is not None:
            self.process.stderr.close()
        return "".join(self.said)


def serve(store: Path, *extra: str) -> Served:
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "--store", str(store), "serve", "--port", "0", *extra],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    lines: list[str] = []
    while True:
        line = process.stderr.readline()
        if not line:
            process.wait(timeout=30)
            raise AssertionError(f"hilos serve stopped: {lines}")
        lines.append(line)
        if found := re.search(r"Explorer at (http://127\.0\.0\.1:\d+)/", line):
            base = found.group(1)
            break
    said: list[str] = []
    reader = threading.Thread(target=lambda: said.extend(process.stderr or ()), daemon=True)
    reader.start()
    # the note is left just before the server starts answering
    for _ in range(200):
        if note_path(store).exists():
            break
        time.sleep(0.05)
    return Served(store, process, base, said, reader)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, _template_store: Path) -> Path:
    path = tmp_path_factory.mktemp("served") / "store"
    shutil.copytree(_template_store, path)
    # a graph of the user's own, which readers must see through the server too
    for args in (
        ["entity", "add", "Diputada Fulana", "--type", "legislator"],
        ["claim", "add", "Diputada Fulana", "colusión", "Los Zetas", "--status", "presunto",
         "--source", "Entrevista 3 (2024)"],
        # a sheet's ties too, under the file's own prefix in the same graph
        ["import", "csv", str(SHEET), "--graph", "mine", "--append"],
    ):  # fmt: skip
        done = hilos(path, *args)
        assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def answers(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """Every reader's answer while the server runs, then on the store once it has stopped."""
    folder = tmp_path_factory.mktemp("answers")
    served = serve(store)
    try:
        assert json.loads(note_path(store).read_text())["url"] == served.base
        during = {
            name: run(store, args, folder / f"{name}-during") for name, args in READERS.items()
        }
        refused = hilos(
            store, "claim", "add", "José Luis Abarca", "ally", "Guerreros Unidos",
            "--source", "Interview 1 (2024)",
        )  # fmt: skip
    finally:
        stopped = served.stop()
    after = {name: run(store, args, folder / f"{name}-after") for name, args in READERS.items()}
    yield {
        "during": during, "after": after, "refused": refused, "base": served.base,
        "pid": served.process.pid, "stopped": stopped,
    }  # fmt: skip


def run(store: Path, args: list[str], file: Path) -> tuple[int, str, str, str]:
    done = hilos(store, *[str(file) if arg == "FILE" else arg for arg in args])
    written = file.read_text(encoding="utf-8") if file.exists() else ""
    return done.returncode, done.stdout, done.stderr, written


@pytest.mark.parametrize("name", list(READERS))
def test_a_reader_gets_the_same_answer_through_the_server(
    answers: dict[str, dict[str, tuple[int, str, str, str]]], name: str
) -> None:
    code, stdout, stderr, written = answers["during"][name]
    code_after, stdout_after, _, written_after = answers["after"][name]
    assert code == 0 == code_after, stderr
    assert stdout == stdout_after
    assert written == written_after
    if name == "export":
        assert "<graphml" in written
    else:
        assert stdout.strip()


def test_a_reader_is_told_it_reads_through_the_server(
    answers: dict[str, dict[str, tuple[int, str, str, str]]],
) -> None:
    base = answers["base"]
    _, _, stderr, _ = answers["during"]["search"]
    assert f"held by hilos serve at {base}" in stderr
    assert f"--endpoint {base}/sparql" in stderr
    _, _, stderr_after, _ = answers["after"]["search"]
    assert "hilos serve" not in stderr_after


def test_a_writer_is_told_in_one_line_which_server_holds_the_store(
    answers: dict[str, object], store: Path
) -> None:
    refused = answers["refused"]
    assert isinstance(refused, subprocess.CompletedProcess)
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1, refused.stderr
    assert f"process {answers['pid']}" in lines[0]
    assert str(answers["base"]) in lines[0]
    assert f"--endpoint {answers['base']}/sparql" in lines[0]
    assert "Ctrl-C" in lines[0]
    # and nothing was written: the claim is not in the store once the server has gone
    listed = hilos(store, "claim", "list", "--format", "json")
    assert "Interview 1 (2024)" not in listed.stdout


def test_the_server_takes_its_note_away_when_it_stops(
    answers: dict[str, object], store: Path
) -> None:
    assert "Stopped." in str(answers["stopped"])
    assert not note_path(store).exists()


def test_a_server_stopped_by_sigterm_takes_its_note_away(store_path: Path) -> None:
    served = serve(store_path)
    assert note_path(store_path).exists()
    assert "Stopped." in served.stop(signal.SIGTERM)
    assert not note_path(store_path).exists()


def test_the_note_of_a_killed_server_is_ignored(store_path: Path) -> None:
    served = serve(store_path)
    served.stop(signal.SIGKILL)
    assert note_path(store_path).exists()  # a killed server cleans up nothing
    done = hilos(store_path, "search", "abarca")
    assert done.returncode == 0, done.stderr
    assert "hilos serve" not in done.stderr
    # and a command that writes opens the store itself
    added = hilos(store_path, "entity", "add", "Jueza Fulana", "--type", "judge")
    assert added.returncode == 0, added.stderr


def test_without_a_server_a_store_in_use_is_still_reported(store_path: Path) -> None:
    # another process holding the store, not a server: no note, so the one-line "in use" error
    with subprocess.Popen(
        [
            sys.executable, "-c",
            "import sys, time; from hilos.store import Store; "
            f"s = Store.open({str(store_path)!r}); print('open', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE, text=True,
    ) as holder:  # fmt: skip
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
            env = {**os.environ, "HILOS_LOCK_TIMEOUT": "0"}
            done = hilos(store_path, "search", "abarca", env=env)
        finally:
            holder.kill()
    assert done.returncode == 2
    assert "hilos serve" not in done.stderr and done.stderr.count("\n") == 1
