"""Coverage-guided fuzzing of hilos's parsers with atheris (libFuzzer for Python).

    python tests/hardening/fuzz_atheris.py TARGET [libFuzzer options, e.g. -runs=2000]

TARGET is one of `turtle`, `rdfxml`, `jsonld`, `csv`, `ftm`, `sparql`, `param`. Each runs one
entry point of the library on the fuzzer's bytes, in a store in memory; the only exceptions
allowed out are hilos's own (`HilosError`, each with its exit code): anything else is a crash
that libFuzzer reports, with the input that caused it saved beside it. `test_atheris.py` runs
each target for a few seconds when atheris is installed (it is not part of the test extra).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["hilos"]):
    from hilos.errors import HilosError
    from hilos.importers.ftm import FtmReport, ftm_triples
    from hilos.importers.tabular import ImportOptions, import_csv
    from hilos.sparql.library import QueryDef, query_from_text, run
    from hilos.store import Store

SCRATCH = Path(tempfile.mkdtemp(prefix="hilos-atheris-"))
STORE = Store.in_memory()
PARAMETERISED = query_from_text(
    "# param: place (entity) — a place\n# param: since (date, optional) — a date\n"
    "SELECT ?place ?since WHERE { BIND(?place AS ?p) }\n",
    "fuzz",
)


def _file(data: bytes, suffix: str) -> Path:
    path = SCRATCH / f"case{suffix}"
    path.write_bytes(data)
    return path


def _rdf(suffix: str) -> Callable[[bytes], None]:
    def target(data: bytes) -> None:
        STORE.load(_file(data, suffix), name="fuzz")
        STORE.drop("fuzz")

    return target


def _csv(data: bytes) -> None:
    import_csv(STORE, str(_file(data, ".csv")), ImportOptions(), graph="fuzz")
    STORE.drop("fuzz")


def _ftm(data: bytes) -> None:
    ftm_triples(_file(data, ".json"), "fuzz", "0" * 64, FtmReport(path="case", graph="fuzz"))


def _sparql(data: bytes) -> None:
    try:
        text = data.decode("utf-8")  # as `hilos query -` reads standard input
    except UnicodeDecodeError:
        return
    run(STORE, QueryDef("fuzz", text))


def _param(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    place = provider.ConsumeUnicodeNoSurrogates(40)
    since = provider.ConsumeUnicode(20)
    run(STORE, PARAMETERISED, {"place": place, "since": since})


TARGETS: dict[str, Callable[[bytes], None]] = {
    "turtle": _rdf(".ttl"),
    "rdfxml": _rdf(".rdf"),
    "jsonld": _rdf(".jsonld"),
    "csv": _csv,
    "ftm": _ftm,
    "sparql": _sparql,
    "param": _param,
}


def main() -> None:
    name = sys.argv.pop(1)
    target = TARGETS[name]

    def one_input(data: bytes) -> None:
        try:
            target(data)
        except HilosError:
            pass
        finally:
            for leftover in ("fuzz",):
                if leftover in {info.name for info in STORE.graphs()}:
                    STORE.drop(leftover)

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    os.environ.setdefault("HILOS_LOCK_TIMEOUT", "0")
    main()
