"""Crashes and full disks: a load or import killed with SIGKILL at any moment leaves its graph
whole or absent, the next command works and clears what the killed one left; a disk that fills
up gives one clear line and a store that still works.

The files are large enough (past `BULK_THRESHOLD` statements) to go through Oxigraph's bulk
loader, the path that is not transactional. Each test first runs the command
to its end to learn how long it takes, then kills it at fractions of that time.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from hilos.store import BULK_THRESHOLD, Store

from .support import assert_clean, graph_counts, hilos, hilos_command

pytestmark = pytest.mark.slow

STATEMENTS = 210_000
"""A big file: past `BULK_THRESHOLD`, and more than the small disk below can hold."""
assert STATEMENTS > BULK_THRESHOLD
HILOS = "https://w3id.org/hilos/ontology#"


def big_ntriples(path: Path, statements: int, salt: str = "") -> Path:
    """`statements` distinct statements about people, 5 to a person (so the reasoner derives
    types and search keys from them too)."""
    people = statements // 5
    with path.open("w", encoding="utf-8") as out:
        for i in range(people):
            s = f"<https://example.org/big{salt}/p{i}>"
            out.write(f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{HILOS}Person> .\n")
            out.write(f'{s} <http://www.w3.org/2000/01/rdf-schema#label> "Person {i}"@en .\n')
            out.write(f'{s} <http://www.w3.org/2004/02/skos/core#altLabel> "alias {i}" .\n')
            out.write(f'{s} <https://example.org/big/note> "note {i}{salt}" .\n')
            other = f"<https://example.org/big{salt}/p{(i * 7) % people}>"
            out.write(f"{s} <http://xmlns.com/foaf/0.1/knows> {other} .\n")
    return path


def big_csv(path: Path, rows: int) -> Path:
    """`rows` ties among 3,000 names, each row its own tie (so statements ≈ 7 × rows)."""
    with path.open("w", encoding="utf-8") as out:
        out.write("from,to,relation,quote\n")
        for i in range(rows):
            out.write(f"Person {i % 3000},Group {i // 3000},rel {i % 97},row {i}\n")
    return path


def command(threshold: int | None) -> list[str]:
    """hilos in a new process; with `threshold`, files above that many statements take the bulk
    path (as files above `BULK_THRESHOLD` do), so that small files can be killed in it."""
    if threshold is None:
        return hilos_command()
    code = (
        "import sys, hilos.store; hilos.store.BULK_THRESHOLD = int(sys.argv.pop(1)); "
        "from hilos.cli import main; main()"
    )
    return [sys.executable, "-c", code, str(threshold)]


def run(
    store: Path, *args: str, env: dict[str, str], threshold: int | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command(threshold), "--store", str(store), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def killed_after(
    store: Path, seconds: float, *args: str, env: dict[str, str], threshold: int | None = None
) -> int | None:
    """Start `hilos ARGS`, SIGKILL it after `seconds`; its exit code if it ended before."""
    process = subprocess.Popen(
        [*command(threshold), "--store", str(store), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return None


def size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.iterdir() if f.is_file())


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of the spawned commands: a scratch folder of their own (so what a
    killed import leaves there can be seen) and a patient lock."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    return os.environ | {"TMPDIR": str(scratch), "HILOS_LOCK_TIMEOUT": "20"}


def whole_or_absent(store: Path, name: str, expected: tuple[int, int] | None) -> bool:
    """Whether graph `name` is there, checking that if it is, it is registered with the counts
    of a complete load and holds what it says."""
    counts = graph_counts(store).get(name)
    if counts is None:
        return False
    registered, held, derived_registered, derived = counts
    assert (registered, derived_registered) == (held, derived), (name, counts)
    if expected is not None:
        assert (registered, derived_registered) == expected, (name, counts, expected)
    return True


def assert_usable(store: Path) -> None:
    """The next commands work, and the first of them clears what a killed one left behind."""
    assert_clean(hilos(store, "graphs", "--format", "json"), (0,))
    assert_clean(hilos(store, "search", "zetas", "--format", "json"), (0,))
    database = ox.Store.read_only(str(store))
    try:
        keep = {"https://w3id.org/hilos/store#registry"}
        for info in Store(database, store).graphs():
            keep |= {info.iri, info.inferred_iri}
        left = {
            g.value
            for g in database.named_graphs()
            if isinstance(g, ox.NamedNode) and not g.value.startswith(REGISTRY_ENTRY)
        } - keep
        assert left == set(), f"graphs left behind: {sorted(left)[:3]}"
    finally:
        del database


REGISTRY_ENTRY = "https://w3id.org/hilos/store#registry/"
"""Registry entries are empty graphs named under this IRI (see `hilos.store`)."""

SMALL = 20_000
"""Statements of the files killed at several moments, loaded by the bulk path (threshold
lowered to `SMALL_THRESHOLD` in the killed process) so each run takes a second or two."""
SMALL_THRESHOLD = 5_000
FRACTIONS = (0.3, 0.7, 1.0)


def test_a_load_killed_at_any_moment_leaves_all_or_nothing(
    store_path: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    first = big_ntriples(tmp_path / "first.nt", SMALL)
    second = big_ntriples(tmp_path / "second.nt", SMALL + 5_000, salt="b")
    bulk = {"env": env, "threshold": SMALL_THRESHOLD}
    started = time.monotonic()
    complete = run(store_path, "load", str(first), "--graph", "whole", **bulk)
    duration = time.monotonic() - started
    assert complete.returncode == 0, complete.stderr
    whole = graph_counts(store_path)["whole"]
    assert whole[0] == SMALL
    expected = (whole[0], whole[2])
    present = []
    for number, fraction in enumerate(FRACTIONS):
        name = f"killed-{number}"
        killed_after(store_path, duration * fraction, "load", str(first), "--graph", name, **bulk)
        present.append(whole_or_absent(store_path, name, expected))
        if fraction < 1:  # Replacing, killed midway: the old graph or the new one, never a mix.
            args = ("load", str(second if number else first), "--graph", "whole", "--replace")
            killed_after(store_path, duration * fraction, *args, **bulk)
            counts = graph_counts(store_path)["whole"]
            assert counts[0] in (SMALL, SMALL + 5_000) and counts[0] == counts[1], counts
        assert_usable(store_path)
    # Loading again after the crashes works.
    again = run(store_path, "load", str(first), "--graph", "killed-0", "--replace", **bulk)
    assert again.returncode == 0, again.stderr
    assert whole_or_absent(store_path, "killed-0", expected)
    assert not all(present), "no kill came before the end of a load"


def test_a_big_load_killed_in_the_bulk_loader(
    store_path: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    """A file over `BULK_THRESHOLD`, killed once the bulk loader has written 5 MB."""
    big = big_ntriples(tmp_path / "big.nt", STATEMENTS)
    start = size(store_path)
    process = subprocess.Popen(
        [*hilos_command(), "--store", str(store_path), "load", str(big)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if size(store_path) - start > 5_000_000:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the load ended before it could be killed"
    assert not whole_or_absent(store_path, "big", None)
    assert_usable(store_path)


def test_an_import_killed_at_any_moment_leaves_all_or_nothing(
    store_path: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    sheet = big_csv(tmp_path / "ties.csv", SMALL // 7)
    bulk = {"env": env, "threshold": SMALL_THRESHOLD}
    started = time.monotonic()
    complete = run(store_path, "import", "csv", str(sheet), "--graph", "whole", **bulk)
    duration = time.monotonic() - started
    assert complete.returncode == 0, complete.stderr
    assert graph_counts(store_path)["whole"][0] > SMALL_THRESHOLD
    # The names of later imports meet the entities of the first: they make no new entities.
    reference = run(store_path, "import", "csv", str(sheet), "--graph", "reference", **bulk)
    assert reference.returncode == 0, reference.stderr
    counts = graph_counts(store_path)["reference"]
    expected = (counts[0], counts[2])
    for number, fraction in enumerate(FRACTIONS):
        name = f"killed-{number}"
        args = ("import", "csv", str(sheet), "--graph", name)
        killed_after(store_path, duration * fraction, *args, **bulk)
        whole_or_absent(store_path, name, expected)
        assert_usable(store_path)
    # A killed import cannot remove its scratch file; it is at least private to the user.
    for left in Path(env["TMPDIR"]).iterdir():
        assert left.stat().st_mode & 0o077 == 0, (left, oct(left.stat().st_mode))


# ---------------------------------------------------------------------------------- full disk


@pytest.fixture
def small_disk(tmp_path: Path, _template_store: Path) -> Iterator[Path]:
    """A 24 MB tmpfs holding a copy of the store (13 MB): room for small loads, not big ones."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(
            "cannot mount a small tmpfs to fill up (needs root with CAP_SYS_ADMIN): "
            + (mounted.stderr.strip() or f"exit {mounted.returncode}")
        )
    try:
        shutil.copytree(_template_store, disk / "store")
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def error_line(stderr: str) -> str:
    """The error of a failed command: its last line; any other is the progress bar's label,
    which click prints once when stderr is not a terminal."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("Error: "), stderr
    assert all(line.strip() in ("Loading", "Importing") for line in lines[:-1]), stderr
    assert "Traceback" not in stderr
    return lines[-1]


def test_a_full_disk_gives_one_clear_line_and_a_usable_store(
    small_disk: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    store = small_disk / "store"
    before = graph_counts(store)
    big = big_ntriples(tmp_path / "big.nt", STATEMENTS)
    failed = run(store, "load", str(big), env=env)
    assert failed.returncode == 2, failed.stderr
    assert "No space left on device" in error_line(failed.stderr)
    assert graph_counts(store) == before
    assert_usable(store)
    # The space is back: a small file loads, and an export that does not fit leaves no file.
    small = tmp_path / "small.nt"
    small.write_text('<https://example.org/a> <https://example.org/p> "x" .\n', encoding="utf-8")
    assert run(store, "load", str(small), env=env).returncode == 0
    ballast = small_disk / "ballast"
    free = shutil.disk_usage(small_disk).free
    with ballast.open("ab") as handle:  # fill what is left, so the page cannot be written
        handle.write(b"\0" * max(free - 64 * 1024, 0))
    page = small_disk / "page.html"
    exported = run(store, "export", "html", str(page), env=env)
    assert exported.returncode == 2, exported.stderr
    assert "No space left" in error_line(exported.stderr) or "cannot write" in exported.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["ballast", "store"]
    ballast.unlink()
    assert_usable(store)
