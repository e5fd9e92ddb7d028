"""CI runs every test: `.ci/skips.py` fails a run where a test skipped for want of a tool or of
data CI installs, and lets through only the skips it lists; `.ci/run` calls it after
`make test`, which checks the formatting too.

The JUnit reports here come from real pytest runs of a small test module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SKIPS = REPO / ".ci" / "skips.py"

MODULE = """
import pytest

def test_runs():
    pass

def test_no_browser():
    pytest.skip("/usr/bin/chromium is missing: install Debian's chromium package")

@pytest.mark.skipif(True, reason="needs java on PATH to run HermiT")
def test_no_java():
    pass

def test_as_root():
    pytest.skip("running as a user who can write anywhere")

@pytest.mark.xfail(strict=True, reason="a known bug of the server")
def test_known_bug():
    assert False
"""


def junit(folder: Path, module: str) -> Path:
    """Run pytest on `module` alone (no configuration of this repository), as CI runs it."""
    folder.mkdir()
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (folder / "test_sample.py").write_text(module, encoding="utf-8")
    report = folder / "junit.xml"
    environment = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}"],
        cwd=folder,
        env=environment,
        capture_output=True,
        check=False,
    )
    return report


def skips(report: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SKIPS), str(report)], capture_output=True, text=True, check=False
    )


def test_a_skip_for_a_missing_tool_fails_the_run(tmp_path: Path) -> None:
    result = skips(junit(tmp_path / "run", MODULE))
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert any("test_no_browser" in line and "chromium is missing" in line for line in lines)
    assert any("test_no_java" in line and "needs java" in line for line in lines)
    assert not any("test_as_root" in line or "test_known_bug" in line for line in lines)
    assert lines[-1] == "2 test(s) skipped; CI must run every test."


def test_allowed_skips_and_expected_failures_pass(tmp_path: Path) -> None:
    allowed = MODULE.split("def test_no_browser")[0] + (
        "def test_as_root():\n"
        '    pytest.skip("running as a user who can write anywhere")\n\n'
        '@pytest.mark.xfail(strict=True, reason="a known bug")\n'
        "def test_known_bug():\n"
        "    assert False\n"
    )
    result = skips(junit(tmp_path / "run", allowed))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_no_report_is_an_error(tmp_path: Path) -> None:
    result = skips(tmp_path / "absent.xml")
    assert result.returncode == 2
    assert "no test report" in result.stderr


def test_ci_checks_the_report_of_make_test() -> None:
    lines = [
        line.strip()
        for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    (make,) = [i for i, line in enumerate(lines) if line.endswith("make test")]
    assert "--junitxml=" in lines[make]
    assert lines[make + 1].startswith(".venv/bin/python .ci/skips.py ")
    assert "export HILOS_REQUIRE_SHARED=1" in lines[:make]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_test_checks_the_formatting() -> None:
    dry = subprocess.run(
        ["make", "-n", "test"], cwd=REPO, capture_output=True, text=True, check=True
    )
    lines = dry.stdout.splitlines()
    pytest_line = next(i for i, line in enumerate(lines) if "pytest" in line)
    assert any("ruff format --check src tests" in line for line in lines[:pytest_line])
