"""The benchmark's report (bench/report.py): ratios, limits and goal verdicts as a reader
would work them out from the times."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def report() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_report", BENCH / "report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def measured(*times: float) -> dict[str, object]:
    ordered = sorted(times)
    return {
        "median": ordered[len(ordered) // 2],
        "min": ordered[0],
        "max": ordered[-1],
        "runs": len(ordered),
        "status": "ok",
    }


def test_a_ratio_is_the_baselines_median_over_hilos(report: ModuleType) -> None:
    text, value = report.ratio(measured(0.5, 0.4, 0.6), measured(12.0, 10.0, 11.0))
    assert value == pytest.approx(11.0 / 0.5)
    assert text == "22.0×"
    assert report.ratio_mark(text, value, 20.0) == "met"
    assert report.ratio_mark(*report.ratio(measured(1.0), measured(10.0)), 20.0) == "**missed**"


def test_a_baseline_stopped_at_its_limit_gives_a_lower_bound(report: ModuleType) -> None:
    stopped = {"status": "timeout", "limit": 60.0}
    text, value = report.ratio(measured(4.0), stopped)
    assert (text, value) == (">15×", 15.0)
    # a lower bound under the goal proves nothing either way; over it, the goal is met
    assert report.ratio_mark(text, value, 20.0).startswith("not shown")
    assert report.ratio_mark(*report.ratio(measured(2.0), stopped), 20.0) == "met"
    assert report.cell(stopped) == ">60 s (time limit)"


def test_the_report_names_the_machine_and_each_size(report: ModuleType) -> None:
    results = {
        "machine": {"cores": 2, "cpu": "a CPU", "memory_gib": 23.4, "python": "3.11"},
        "run": {
            "started": "2026-11-26 08:00:00",
            "finished": "2026-11-26 09:00:00",
            "repeats": 3,
            "seed": 1,
            "load_average_start": [0.1],
            "load_average_end": [1.0],
            "limits": {
                "rdflib query (s)": 60,
                "rdflib memory (GiB)": 10,
                "hilos query (s)": 600,
                "analysis (s)": 3600,
            },
        },
        "sizes": {
            "10k": {
                "data": {"entities": 10_000, "ties": 10_434, "triples": 106_195, "file_bytes": 1e7},
                "measured": {
                    "load hilos": measured(3.0, 2.9, 3.1),
                    "load rdflib": measured(2.0, 2.1, 1.9),
                    "parse oxigraph": measured(0.1),
                },
            }
        },
    }
    text = report.write_report(results)
    assert "2 cores (a CPU), 23.4 GiB of memory" in text
    assert "### 10k: 10,000 entities" in text
    # 106,195 triples in 3.0 s, against 2.0 s: rdflib is faster, a missed goal
    assert "35,398/s (3 s)" in text
    assert "0.7×" in text and "**missed**" in text
