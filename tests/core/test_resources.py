"""One helper computes a file's SHA-256 (`hilos.resources.file_sha256`, issue 19): it agrees with
hashlib over the whole file at once, and an FtM import reads the file for it once and records it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import hilos.cli.import_ftm as import_ftm_command
from conftest import Hilos
from hilos.resources import file_sha256
from hilos.store import Store


def test_file_sha256_is_the_digest_of_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    data = bytes(range(256)) * (5 * 4096 + 17)  # over a MiB: read in several blocks
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    assert file_sha256(empty) == hashlib.sha256(b"").hexdigest()


def test_an_ftm_import_reads_the_digest_once_and_records_it(
    hilos: Hilos, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entity = {"id": "p1", "schema": "Person", "properties": {"name": ["Ana"]}}
    path = tmp_path / "one.ftm.jsonl"
    path.write_text(json.dumps(entity) + "\n", encoding="utf-8")
    calls: list[Path] = []

    def counted(file: Path) -> str:
        calls.append(file)
        return file_sha256(file)

    monkeypatch.setattr(import_ftm_command, "file_sha256", counted)
    result = hilos("import", "ftm", str(path), "--graph", "one")
    assert result.exit_code == 0, result.stderr
    assert calls == [path]
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    with Store.open(hilos.store) as store:
        assert store.graph("one").sha256 == expected
