"""The check in conftest.py that no test leaves a process behind, run on tests made to leave one.

Each case runs pytest in a subprocess on a folder holding a copy of tests/conftest.py and a few
tiny test files whose processes carry a marker of this run; afterwards none of them may be
running anywhere (the check stops what it finds), and the outcome of each tiny test is read from
pytest's JUnit XML report.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc"),
]

SLEEPER = '''
import subprocess, sys

MARK = {mark!r}


def sleeper():
    """A process that runs for a minute unless stopped, its command line naming this run."""
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", MARK])
'''

TESTS = {
    "test_tests.py": """
import pytest
from sleeper import sleeper


def test_leaves():
    sleeper()


def test_stops_its_own():
    process = sleeper()
    process.terminate()
    process.wait()


def test_terminates_without_waiting():
    sleeper().terminate()


def test_leaves_a_grandchild():
    import subprocess, sys
    from sleeper import MARK
    python = f"{sys.executable} -c 'import time; time.sleep(60)' {MARK}-sh"
    subprocess.Popen(["sh", "-c", f"{python} & wait"])


@pytest.fixture
def stopped_by_its_fixture():
    process = sleeper()
    yield process
    process.kill()
    process.wait()


def test_with_a_fixture_that_stops_it(stopped_by_its_fixture):
    assert stopped_by_its_fixture.poll() is None
""",
    "test_kept.py": """
import pytest
from sleeper import sleeper


@pytest.fixture(scope="module")
def kept():
    process = sleeper()
    yield process
    process.terminate()
    process.wait()


def test_kept_first(kept):
    assert kept.poll() is None


def test_kept_second(kept):
    assert kept.poll() is None
""",
    "test_leaky_fixture.py": """
import pytest
from sleeper import sleeper


@pytest.fixture(scope="module")
def forgotten():
    yield sleeper()


def test_forgotten_first(forgotten):
    assert forgotten.poll() is None


def test_forgotten_last(forgotten):
    assert forgotten.poll() is None


def test_after_it():
    pass
""",
}

AT_IMPORT = """
from sleeper import sleeper

STARTED_AT_COLLECTION = sleeper()


def test_nothing():
    pass
"""

BACKEND = """
import conftest


def test_backend():
    assert (conftest._psutil_children() is None) is {hidden}
"""


def marked(mark: str) -> list[int]:
    """The pids of live processes, anywhere on the machine, whose command line holds `mark`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and mark.encode() in (entry / "cmdline").read_bytes():
                state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
                if state not in ("Z", "X"):
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def run_pytest(folder: Path, files: dict[str, str], without_psutil: bool) -> tuple[Result, str]:
    mark = f"hilos-leak-check-{uuid.uuid4().hex}"
    files = {**files, "test_backend.py": BACKEND.format(hidden=without_psutil)}
    (folder / "conftest.py").write_text(CONFTEST.read_text(encoding="utf-8"))
    (folder / "sleeper.py").write_text(SLEEPER.format(mark=mark))
    for name, text in files.items():
        (folder / name).write_text(text)
    path = [str(folder)]
    if without_psutil:  # the fallback that reads /proc
        hidden = folder / "hidden"
        hidden.mkdir()
        (hidden / "psutil.py").write_text("raise ImportError('hidden by the test')\n")
        path.insert(0, str(hidden))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*path, os.environ.get("PYTHONPATH", "")])}
    report = folder / "report.xml"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
             str(folder), f"--junitxml={report}", *files],
            cwd=folder, env=env, capture_output=True, text=True, timeout=240, check=False,
        )  # fmt: skip
    finally:
        survivors = marked(mark)
        for pid in survivors:
            os.kill(pid, signal.SIGKILL)
    assert survivors == [], "the check left processes of the run behind"
    result = Result(done, report)
    assert result.cases.pop("test_backend") == ("passed", ""), result.output
    return result, mark


class Result:
    """Each test's outcome and message, read from pytest's JUnit XML report."""

    def __init__(self, done: subprocess.CompletedProcess[str], report: Path) -> None:
        self.returncode = done.returncode
        self.output = done.stdout + done.stderr
        self.cases: dict[str, tuple[str, str]] = {}
        for case in ET.parse(report).getroot().iter("testcase"):
            outcome, text = "passed", ""
            for problem in case:
                if problem.tag in ("error", "failure", "skipped"):
                    outcome = problem.tag
                    text = (problem.get("message") or "") + "\n" + (problem.text or "")
            self.cases[case.get("name", "")] = (outcome, text)


# The check reads the processes with psutil where it is installed (it is no dependency of hilos,
# so this case is left out, not skipped, without it), and from /proc otherwise.
BACKENDS = [True] + ([False] if importlib.util.find_spec("psutil") else [])


@pytest.fixture(params=BACKENDS, ids=lambda hidden: "proc" if hidden else "psutil")
def without_psutil(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def test_a_test_that_leaves_a_process_errors_naming_it(
    tmp_path: Path, without_psutil: bool
) -> None:
    result, mark = run_pytest(tmp_path, TESTS, without_psutil)
    outcome, text = result.cases["test_leaves"]
    assert outcome == "error", result.output
    assert "This test left 1 process(es) running (now stopped)" in text
    assert f"time.sleep(60) {mark}" in text  # its command line
    # A shell that started another: both are named, the one it started too.
    outcome, text = result.cases["test_leaves_a_grandchild"]
    assert outcome == "error", result.output
    assert "left 2 process(es)" in text and f"{mark}-sh" in text
    # A process the test or its own fixture stopped, or only signalled, is no leftover.
    for name in (
        "test_stops_its_own",
        "test_terminates_without_waiting",
        "test_with_a_fixture_that_stops_it",
    ):
        assert result.cases[name] == ("passed", ""), (name, result.output)
    # A module-scoped fixture may keep a process for its tests, and then stop it.
    assert result.cases["test_kept_first"] == ("passed", "")
    assert result.cases["test_kept_second"] == ("passed", "")
    # One that does not stop it is named when it is torn down: at the teardown of its module's
    # last test (which need not use it), not before.
    assert result.cases["test_forgotten_first"] == ("passed", "")
    assert result.cases["test_forgotten_last"] == ("passed", "")
    outcome, text = result.cases["test_after_it"]
    assert outcome == "error", result.output
    assert "The module-scoped fixture 'forgotten' left 1 process(es)" in text
    assert mark in text
    assert result.returncode == pytest.ExitCode.TESTS_FAILED


def test_a_process_no_test_started_fails_the_session(tmp_path: Path, without_psutil: bool) -> None:
    result, mark = run_pytest(tmp_path, {"test_at_import.py": AT_IMPORT}, without_psutil)
    assert result.cases["test_nothing"] == ("passed", "")
    assert "The test session left 1 process(es) running (now stopped)" in result.output
    assert mark in result.output
    assert result.returncode == pytest.ExitCode.TESTS_FAILED


def test_tests_that_stop_what_they_start_pass(tmp_path: Path) -> None:
    files = {"test_kept.py": TESTS["test_kept.py"]}
    result, _ = run_pytest(tmp_path, files, without_psutil=False)
    assert result.cases == {"test_kept_first": ("passed", ""), "test_kept_second": ("passed", "")}
    assert "left" not in result.output
    assert result.returncode == pytest.ExitCode.OK
