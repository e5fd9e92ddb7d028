"""CI runs every test: fail on any test that skipped, unless for one of the reasons below.

    python .ci/skips.py JUNIT_XML

reads the JUnit XML report of a pytest run (`--junitxml`) and exits 1, listing them, when a
test skipped for any reason other than those of `ALLOWED`: a missing browser, Virtuoso, Java,
Node, graphology, the `ftm` command or the `../shared` data is a failure here, because `.ci/run`
installs all of them. Expected failures (`xfail`) are not skips.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ALLOWED: dict[str, str] = {
    # tests/hardening/test_atheris.py: atheris (libFuzzer) is not in the test extra; the same
    # inputs are fuzzed by hypothesis in every run.
    r"^atheris is not installed": "atheris is optional; hypothesis covers the same parsers",
    r"fuzzed with HILOS_FUZZ=deep": "the deep fuzzing targets run only when asked",
    # tests/export/test_export_network.py: a read-only folder is writable for root, as CI runs.
    r"^running as a user who can write anywhere": "CI runs as root",
    # tests/hardening/test_crash.py: filling a disk needs a tmpfs mount (CAP_SYS_ADMIN).
    r"^cannot mount a small tmpfs": "the CI container may not mount",
}
"""A skip whose reason matches one of these patterns is allowed, for the reason given."""


def disallowed_skips(report: Path) -> list[str]:
    """`test id: reason` of every test of the report that skipped for a reason not allowed."""
    found = []
    for case in ET.parse(report).getroot().iter("testcase"):
        for skipped in case.findall("skipped"):
            if skipped.get("type") == "pytest.xfail":
                continue
            reason = skipped.get("message", "")
            if any(re.search(pattern, reason) for pattern in ALLOWED):
                continue
            name = f"{case.get('classname', '')}::{case.get('name', '')}"
            found.append(f"{name}: {reason}")
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    report = Path(argv[1])
    if not report.is_file():
        print(f"no test report at {report}: did pytest run?", file=sys.stderr)
        return 2
    found = disallowed_skips(report)
    for line in found:
        print(f"skipped in CI: {line}", file=sys.stderr)
    if found:
        print(f"{len(found)} test(s) skipped; CI must run every test.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
