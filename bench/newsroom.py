"""hilos at newsroom scale, side by side with the stack a user would otherwise assemble.

For each size (10k, 100k, 1M entities; about ten triples each) a seeded network is generated
(`generate.py`) and every measurement runs in a fresh process, hilos and its baseline on the
same data in the same run, each repeated (median, min, max):

- load into the store vs rdflib parsing into its in-memory graph, and vs Oxigraph's parser alone;
- every library query on the store vs rdflib's SPARQL engine on the same data (loaded and
  derived statements), the baseline stopped at a stated limit;
- search (cold and warm), show and paths vs plain networkx on the same projection;
- the projection itself, chains, betweenness (exact at 10k, sampled above), brokers,
  communities and disruption vs plain networkx;
- the HTML page of a 20,000-entity network vs pyvis's own API, and its time to interactive in
  headless Chromium;
- peak memory per triple and the store's size on disk per triple, vs a store Oxigraph's
  `bulk_load` made of the same file;
- the analysis commands (degree, PageRank, communities, paths, disruption by degree) as a user
  types them, each run in a fresh process on the same store, then again (the second analysis);
  the first search of a fresh process.

The report opens with the goals of issue 17 ("Newsroom scale"), each with its verdict: met,
missed, not shown (a baseline stopped at its limit, a bound that settles nothing) or not
measured, with why. `--only load,disk` measures only what those goals need, to take the rows
one at a time at a million entities.

Every process has a time limit and a memory limit (the process and its children together); a
measurement that reaches one is reported as ">limit". Results go to `bench/results/latest.md`
(the table) and `bench/results/latest.json` (every time measured).

    python bench/newsroom.py --sizes 10k,100k [--repeats 3]     # or: make bench SIZES=10k,100k
    python bench/newsroom.py --sizes 1M --repeats 1 --no-baselines --only load,disk --update
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import TIES_PER_ACTOR, Summary, generate, parse_size  # noqa: E402

TASKS = HERE / "newsroom_tasks.py"
GiB = 1024**3

QUERIES = [
    "actors-by-sphere-in-place",
    "counts-by-class",
    "entity-sources",
    "group-markets",
    "groups-in-place",
    "officials-criminal-ties",
    "self-defence-criminal-ties",
    "state-criminal-chains",
    "tie-counts-by-status",
    "ties-by-status",
    "weak-ties",
]
ANALYSES = ["chains", "centrality", "brokers", "communities", "disrupt", "disrupt betweenness"]
CHAINS_QUERY = "state-criminal-chains"

# What each part of the bench runs (`--parts`), and what each row of the goals needs
# (`--only`, to measure a few rows quickly: at a million entities one row can take many minutes).
PART_JOBS = {
    "load": {"load hilos", "parse", "bulk", "load rdflib", "projection rdflib"},
    "queries": {"queries hilos", "queries rdflib"},
    "interactive": {"interactive", "search first", "networkx"},
    "analyses": {"analyses", "second analysis", "networkx"},
    "html": {"html", "chromium"},
}
GOAL_JOBS = {
    "load": {"load hilos", "bulk"},
    "rdflib": {"load hilos", "load rdflib"},
    "disk": {"load hilos", "bulk"},
    "analysis": {"second analysis"},
    "search": {"search first"},
    "queries": {"queries hilos"},
    "html": {"html"},
    "memory": {"load hilos", "second analysis"},
}
# the jobs that work on the store a load leaves, and the loads whose time is a goal
STORE_JOBS = {"queries hilos", "interactive", "search first", "second analysis", "analyses"}
TIMED_LOADS = {"parse", "bulk", "load rdflib"}


def plan(parts: list[str], only: list[str]) -> set[str]:
    """The jobs a run does: those of the goals named by `--only`, else those of `--parts`."""
    table, names = (GOAL_JOBS, only) if only else (PART_JOBS, parts)
    unknown = [name for name in names if name not in table]
    if unknown:
        flag = "--only" if only else "--parts"
        raise SystemExit(f"{flag}: unknown {', '.join(unknown)} (one of {', '.join(table)})")
    return set().union(*(table[name] for name in names))


def analysis_commands(params: dict[str, Any]) -> dict[str, list[str]]:
    """The analyses of the goal "a second analysis on an unchanged store", as a user types
    them (after `hilos --store STORE`): degree, PageRank, communities, paths (a local and a
    wider question), disruption by degree."""
    (a0, b0), (a1, b1) = params["paths"][0], params["paths"][1]
    return {
        "degree": ["centrality", "--measure", "degree", "--top", "20", "--format", "json"],
        "pagerank": ["centrality", "--measure", "pagerank", "--top", "20", "--format", "json"],
        "communities": ["communities", "--format", "json"],
        "paths local": ["paths", a0, b0, "--format", "json"],
        "paths wide": ["paths", a1, b1, "--format", "json"],
        "disrupt degree": ["disrupt", "--strategy", "degree", "--steps", "5", "--format", "json"],
    }


# --------------------------------------------------------------------------- running a task


@dataclass
class Outcome:
    """What a task reported, and how it ended: ok, timeout, memory or error."""

    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    status: str = "ok"
    peak_rss: int = 0
    seconds: float = 0.0
    error: str = ""


def _session_rss(session: int) -> int:
    """The resident memory of every process in a session (a task and its children)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:
            total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    return total


class Runner:
    """Runs tasks in fresh processes with a time limit per step and a memory limit."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def run(self, task: str, args: dict[str, Any], *, limit: float, memory: int) -> Outcome:
        """Run a task; `limit` seconds at most between two steps it reports."""
        outcome = Outcome()
        started = time.monotonic()
        with self.log.open("a", encoding="utf-8") as log:
            log.write(f"\n=== {time.strftime('%H:%M:%S')} {task} {json.dumps(args)[:300]}\n")
            log.flush()
            process = subprocess.Popen(
                [sys.executable, str(TASKS), task, json.dumps(args)],
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                start_new_session=True,
            )
            lines: queue.Queue[str | None] = queue.Queue()

            def read() -> None:
                assert process.stdout is not None
                for line in process.stdout:
                    lines.put(line)
                lines.put(None)

            threading.Thread(target=read, daemon=True).start()
            deadline = time.monotonic() + limit
            finished = False
            while not finished:
                try:
                    line = lines.get(timeout=0.5)
                except queue.Empty:
                    line = ""
                if line is None:
                    finished = True
                    break
                if line.strip().startswith("{"):
                    record = json.loads(line)
                    log.write(line)
                    log.flush()
                    if "step" in record and record["step"] not in outcome.records:
                        outcome.records[record["step"]] = record
                    if record.get("rss"):
                        outcome.peak_rss = max(outcome.peak_rss, int(record["rss"]))
                    deadline = time.monotonic() + limit
                rss = _session_rss(process.pid)
                outcome.peak_rss = max(outcome.peak_rss, rss)
                if rss > memory:
                    outcome.status = "memory"
                elif time.monotonic() > deadline:
                    outcome.status = "timeout"
                if outcome.status != "ok":
                    log.write(f"--- stopped: {outcome.status} (rss {rss / GiB:.1f} GiB)\n")
                    os.killpg(process.pid, signal.SIGKILL)
                    break
            process.wait()
            if outcome.status == "ok" and process.returncode != 0:
                outcome.status = "error"
                outcome.error = f"exit status {process.returncode} (see {self.log})"
        outcome.seconds = time.monotonic() - started
        return outcome

    def steps(
        self, task: str, args: dict[str, Any], steps: list[str], *, limit: float, memory: int
    ) -> Outcome:
        """Run a task over `steps`; a step that runs out of time or memory is recorded as such
        and the task goes on with the next ones in a fresh process."""
        total = Outcome()
        remaining = list(steps)
        while remaining:
            outcome = self.run(task, {**args, "steps": remaining}, limit=limit, memory=memory)
            total.peak_rss = max(total.peak_rss, outcome.peak_rss)
            for name, record in outcome.records.items():
                total.records.setdefault(name, record)
            remaining = [s for s in remaining if s not in outcome.records]
            if outcome.status == "ok" or not remaining:
                if outcome.status != "ok":
                    total.status = outcome.status
                break
            failed = remaining.pop(0)
            total.records[failed] = {"step": failed, "status": outcome.status, "limit": limit}
            if failed == "projection":  # nothing can be measured without it
                for name in remaining:
                    total.records[name] = {"step": name, "status": outcome.status}
                break
        return total


# ---------------------------------------------------------------------------- measurements


def stats(times: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "runs": len(times),
    }


def collect(outcomes: list[Outcome], step: str) -> dict[str, Any]:
    """A step's times over repeated runs of a task (or its status if one did not finish)."""
    times: list[float] = []
    extra: dict[str, Any] = {}
    for outcome in outcomes:
        record = outcome.records.get(step)
        if record is None:
            return {"status": outcome.status, "limit": None}
        if "times" not in record:
            return {"status": record.get("status", outcome.status), "limit": record.get("limit")}
        times += record["times"]
        extra = {k: v for k, v in record.items() if k not in ("times", "step")}
    return {**stats(times), **extra, "status": "ok"}


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work: Path = args.work
        self.work.mkdir(parents=True, exist_ok=True)
        self.runner = Runner(self.work / "tasks.log")
        self.results: dict[str, Any] = {"sizes": {}}

    def limit(self, which: str) -> float:
        return float(getattr(self.args, f"{which}_limit"))

    def dataset(self, size: str, ties_per_actor: float = TIES_PER_ACTOR) -> tuple[Path, Summary]:
        entities = parse_size(size)
        density = "" if ties_per_actor == TIES_PER_ACTOR else f"-x{ties_per_actor:g}"
        path = self.work / f"newsroom-{size}{density}-seed{self.args.seed}.nt"
        meta = Path(f"{path}.json")
        if not (path.exists() and meta.exists()):
            print(f"  generating {size} ({entities:,} entities)…", flush=True)
            summary = generate(entities, path, self.args.seed, ties_per_actor)
        else:
            summary = Summary(**json.loads(meta.read_text(encoding="utf-8")))
        return path, summary

    def template(self) -> Path:
        template = self.work / "template-store"
        if not template.exists():
            outcome = self.runner.run(
                "template", {"store": str(template)}, limit=600, memory=8 * GiB
            )
            if outcome.status != "ok":
                raise SystemExit(f"could not create the template store: {outcome.error}")
        return template

    def size(self, size: str) -> None:
        args = self.args
        jobs: set[str] = args.jobs
        repeats = args.repeats
        hilos_memory = int(args.memory_gb * GiB)
        rdflib_memory = int(args.rdflib_memory_gb * GiB)
        path, summary = self.dataset(size)
        entities = summary.entities
        result: dict[str, Any] = {
            "data": {
                "entities": entities,
                "triples": summary.triples,
                "ties": summary.ties,
                "spheres": summary.spheres,
                "file_bytes": path.stat().st_size,
                "params": summary.params,
            }
        }
        earlier = self.results["sizes"].get(size, {})
        self.results["sizes"][size] = result
        store = self.work / f"store-{size}"
        parts = set(args.parts)
        # with --update, what this run does not measure again is kept from the earlier one
        measured: dict[str, Any] = dict(earlier.get("measured", {})) if args.update else {}
        result["measured"] = measured
        if args.update and "samples" in earlier:
            result["samples"] = earlier["samples"]
        store_needed = jobs & STORE_JOBS
        if store_needed and "load hilos" not in jobs and not store.exists():
            print(f"  no store for {size} yet: one load first", flush=True)
            jobs = {*jobs, "load hilos"}
        # loads are repeated where their time is a goal; once where only their store is needed
        loads_repeated = 1 if entities >= 1_000_000 or not jobs & TIMED_LOADS else repeats

        if "load hilos" in jobs:
            print(f"  load ({loads_repeated}×): hilos", flush=True)
            template = self.template()
            loads = [
                self.runner.run(
                    "load-hilos",
                    {"template": str(template), "store": str(store), "file": str(path)},
                    limit=self.limit("hilos"),
                    memory=hilos_memory,
                )
                for _ in range(loads_repeated)
            ]
            measured["load hilos"] = collect(loads, "load")
            measured["load hilos"]["peak_rss"] = max(o.peak_rss for o in loads)
            measured.pop("disk after analyses hilos", None)  # of the store just replaced
        if "parse" in jobs:
            print(f"  load ({loads_repeated}×): Oxigraph's parser", flush=True)
            parses = [
                self.runner.run(
                    "parse-oxigraph",
                    {"file": str(path)},
                    limit=self.limit("hilos"),
                    memory=hilos_memory,
                )
                for _ in range(loads_repeated)
            ]
            measured["parse oxigraph"] = collect(parses, "parse")
        if "bulk" in jobs:
            print(f"  load ({loads_repeated}×): Oxigraph's bulk_load", flush=True)
            bulks = [
                self.runner.run(
                    "bulk-oxigraph",
                    {"file": str(path), "store": str(self.work / f"bulk-{size}")},
                    limit=self.limit("hilos"),
                    memory=hilos_memory,
                )
                for _ in range(loads_repeated)
            ]
            measured["bulk oxigraph"] = collect(bulks, "bulk")
        if "load rdflib" in jobs:
            rdflib_runs = []
            for _ in range(0 if args.no_baselines else loads_repeated):
                print("  load: rdflib", flush=True)
                outcome = self.runner.run(
                    "load-rdflib",
                    {"file": str(path), "project": "projection rdflib" in jobs},
                    limit=self.limit("rdflib"),
                    memory=rdflib_memory,
                )
                rdflib_runs.append(outcome)
                if outcome.status != "ok":
                    break
            if not rdflib_runs:
                measured["load rdflib"] = {"status": "not run (--no-baselines)", "limit": None}
            else:
                measured["load rdflib"] = collect(rdflib_runs, "load")
                measured["load rdflib"]["peak_rss"] = max(o.peak_rss for o in rdflib_runs)
                if "projection rdflib" in jobs:
                    measured["projection rdflib"] = collect(rdflib_runs, "projection")
            if rdflib_runs and rdflib_runs[-1].status != "ok":
                measured["load rdflib"]["limit"] = (
                    self.limit("rdflib")
                    if rdflib_runs[-1].status == "timeout"
                    else args.rdflib_memory_gb
                )
        if not store.exists():
            if store_needed:
                print(f"  no store for {size}: nothing more to measure at this size", flush=True)
            return
        result["store"] = {
            "path": str(store),
            "loaded": time.strftime(
                "%Y-%m-%d %H:%M:%S", time.localtime((store / "CURRENT").stat().st_mtime)
            )
            if (store / "CURRENT").exists()
            else None,
        }

        params: dict[str, Any] = dict(summary.params)
        if "queries hilos" in jobs:
            # once each at a million entities: the slowest take minutes there; with --only,
            # the one query whose time is a goal at that size
            repeats = 1 if entities >= 1_000_000 else args.repeats
            names = QUERIES
            if args.only and entities >= 1_000_000:
                names = [CHAINS_QUERY]
            print(f"  queries: hilos ({len(names)})", flush=True)
            outcome = self.runner.steps(
                "queries-hilos",
                {"store": str(store), "params": params["query"], "repeats": repeats},
                names,
                limit=self.limit("hilos_query") * repeats,
                memory=hilos_memory,
            )
            for name in names:
                measured[f"query {name} hilos"] = collect([outcome], name)
        if "queries rdflib" in jobs:
            # rdflib's engine needs the data in memory: skip it where rdflib could not load it
            rdflib_loaded = measured.get("load rdflib", {"status": "ok"}).get("status") == "ok"
            if rdflib_loaded and not (args.no_rdflib_queries or args.no_baselines):
                print("  queries: rdflib's engine", flush=True)
                union = self.work / f"union-{size}.nt"
                self.runner.run(
                    "union",
                    {"store": str(store), "out": str(union)},
                    limit=self.limit("hilos"),
                    memory=hilos_memory,
                )
                outcome = self.runner.steps(
                    "queries-rdflib",
                    {
                        "file": str(union),
                        "params": params["query"],
                        "repeats": repeats,
                        "limit": self.limit("query"),
                    },
                    QUERIES,
                    limit=self.limit("rdflib") + self.limit("query") * repeats,
                    memory=rdflib_memory,
                )
                parse = outcome.records.get("parse", {})
                measured["union rdflib"] = {
                    "triples": parse.get("triples"),
                    "status": parse.get("status", outcome.status if not parse else "ok"),
                }
                for name in QUERIES:
                    record = outcome.records.get(name)
                    if record is None or "times" not in record:
                        status = (record or {}).get("status", outcome.status)
                        measured[f"query {name} rdflib"] = {
                            "status": status if status != "ok" else "error",
                            "limit": self.limit("query"),
                        }
                    else:
                        measured[f"query {name} rdflib"] = {
                            **stats(record["times"]),
                            "rows": record.get("rows"),
                            "status": "ok",
                        }
                union.unlink(missing_ok=True)
            else:
                skipped = "not run (--no-baselines)" if args.no_baselines else "not loaded"
                for name in QUERIES:
                    measured[f"query {name} rdflib"] = {"status": skipped, "limit": None}

        repeats = args.repeats
        if "search first" in jobs:
            # the first search of a fresh process, `repeats` + 1 times: the first after the
            # load apart (it may build what the store keeps), the median of the others
            print(f"  first search in a fresh process ({repeats + 1}×): hilos", flush=True)
            text = params["search"][0]
            firsts = [
                self.runner.run(
                    "search-first",
                    {"store": str(store), "text": text},
                    limit=self.limit("hilos"),
                    memory=hilos_memory,
                )
                for _ in range(repeats + 1)
            ]
            measured["search first hilos"] = {
                **collect(firsts[1:], "search first"),
                "first": (firsts[0].records.get("search first") or {}).get("times", [None])[0],
                "peak_rss": max(o.peak_rss for o in firsts),
            }
            command = self.runner.steps(
                "commands-hilos",
                {
                    "store": str(store),
                    "commands": {"search": ["search", text, "--format", "json"]},
                    "repeats": repeats,
                },
                ["search"],
                limit=self.limit("hilos"),
                memory=hilos_memory,
            )
            measured["search command hilos"] = {
                **collect([command], "search"),
                "peak_rss": command.peak_rss,
            }
        interactive = ["search cold", "search", "show", "paths0", "paths1"]
        if "interactive" in jobs:
            print("  search, show, paths: hilos", flush=True)
            outcome = self.runner.steps(
                "interactive-hilos",
                {"store": str(store), "params": params, "repeats": repeats},
                interactive,
                limit=self.limit("hilos"),
                memory=hilos_memory,
            )
            for name in interactive:
                measured[f"{name} hilos"] = collect([outcome], name)
        if "second analysis" in jobs:
            # each analysis command twice or more in fresh processes on the same store: the
            # first may build what the store keeps; the next ones are the second analysis
            commands = analysis_commands(params)
            again = 1 if entities >= 1_000_000 else repeats
            print(f"  analysis commands, first then {again}× again: hilos", flush=True)
            outcome = self.runner.steps(
                "commands-hilos",
                {"store": str(store), "commands": commands, "repeats": again},
                [*commands, "disk"],
                limit=self.limit("analysis"),
                memory=hilos_memory,
            )
            for name in commands:
                measured[f"second {name} hilos"] = collect([outcome], name)
            measured["second analysis hilos"] = {"peak_rss": outcome.peak_rss}
            disk = outcome.records.get("disk", {}).get("disk")
            if disk:
                measured["disk after analyses hilos"] = {"disk": disk, "status": "ok"}
        samples = 0 if entities <= 10_000 else 500
        repeats_of = {
            step: (
                1
                if entities >= 1_000_000 or (step in ("centrality",) and samples == 0)
                else repeats
            )
            for step in ANALYSES
        }
        if "analyses" in jobs:
            print("  projection and analyses: hilos", flush=True)
            outcome = self.runner.steps(
                "analyses-hilos",
                {
                    "store": str(store),
                    "params": {**params, "repeats": repeats_of},
                    "repeats": repeats,
                    "samples": samples,
                },
                ["projection", *ANALYSES],
                limit=self.limit("analysis"),
                memory=hilos_memory,
            )
            for name in ["projection", *ANALYSES]:
                measured[f"{name} hilos"] = collect([outcome], name)
            measured["analyses hilos"] = {"peak_rss": outcome.peak_rss}
        if "networkx" in jobs and not args.no_baselines:
            print("  the same with plain networkx", flush=True)
            steps = ["projection"]
            if "interactive" in parts:
                steps += ["search", "show", "paths0", "paths1"]
            if "analyses" in parts:
                steps += ANALYSES
            outcome = self.runner.steps(
                "baselines-networkx",
                {
                    "store": str(store),
                    "params": {**params, "repeats": repeats_of},
                    "repeats": repeats,
                    "samples": samples,
                },
                steps,
                limit=self.limit("analysis"),
                memory=hilos_memory,
            )
            for name in steps[1:]:
                measured[f"{name} networkx"] = collect([outcome], name)
        result["samples"] = samples

    def html(self) -> None:
        args = self.args
        size = args.html_size
        path, summary = self.dataset(size, args.html_ties_per_actor)
        store = self.work / f"store-html-{size}"
        template = self.template()
        print(f"html: {size} entities, hilos export vs pyvis", flush=True)
        load = self.runner.run(
            "load-hilos",
            {"template": str(template), "store": str(store), "file": str(path)},
            limit=self.limit("hilos"),
            memory=int(args.memory_gb * GiB),
        )
        if load.status != "ok":
            raise SystemExit(f"could not load the html data set: {load.status}")
        page = self.work / f"page-{size}.html"
        browser = "chromium" in args.jobs
        hilos = self.runner.run(
            "html-hilos",
            {"store": str(store), "out": str(page), "repeats": args.repeats, "browser": browser},
            limit=self.limit("analysis"),
            memory=int(args.memory_gb * GiB),
        )
        pyvis = [
            self.runner.run(
                "html-pyvis",
                {"store": str(store), "out": str(self.work / f"pyvis-{size}.html")},
                limit=self.limit("pyvis"),
                memory=int(args.memory_gb * GiB),
            )
            for _ in range(args.repeats)
        ]
        self.results["html"] = {
            "size": size,
            "entities": summary.entities,
            "ties_per_actor": summary.ties_per_actor,
            "export hilos": collect([hilos], "export"),
            "chromium": collect([hilos], "chromium") if browser else {"status": "not run"},
            "pyvis": {**collect(pyvis, "pyvis"), "limit": self.limit("pyvis")},
        }


# -------------------------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    facts: dict[str, Any] = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                facts["memory_gib"] = round(int(line.split()[1]) / 1024**2, 1)
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                facts["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    facts["packages"] = {}
    for name in ("pyoxigraph", "rdflib", "networkx", "rustworkx", "pyvis", "playwright"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            facts["packages"][name] = metadata.version(name)
    return facts


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k", help="comma-separated: 10k,100k,1M")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/hilos-bench"))
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--name", default="latest", help="results file name (without suffix)")
    parser.add_argument(
        "--parts",
        default="load,queries,interactive,analyses,html",
        help="which measurements (comma-separated)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="only what these goals of the report need (comma-separated, instead of --parts): "
        + ", ".join(GOAL_JOBS),
    )
    parser.add_argument("--html-size", default="20k", help="entities of the HTML data set")
    parser.add_argument(
        "--html-ties-per-actor",
        type=float,
        default=2.0,
        help="ties each actor starts in the HTML data set (2: about 20,000 nodes, 38,000 ties)",
    )
    parser.add_argument("--query-limit", type=float, default=60, help="rdflib, per query (s)")
    parser.add_argument("--hilos-query-limit", type=float, default=600, help="hilos, per query")
    parser.add_argument("--hilos-limit", type=float, default=3600, help="hilos loads and calls")
    parser.add_argument("--rdflib-limit", type=float, default=3600, help="rdflib parse (s)")
    parser.add_argument("--analysis-limit", type=float, default=3600, help="per analysis (s)")
    parser.add_argument("--pyvis-limit", type=float, default=1200, help="pyvis page (s)")
    parser.add_argument("--memory-gb", type=float, default=16, help="hilos processes")
    parser.add_argument("--rdflib-memory-gb", type=float, default=10, help="rdflib processes")
    parser.add_argument("--no-rdflib-queries", action="store_true")
    parser.add_argument(
        "--no-baselines",
        action="store_true",
        help="hilos alone (where its goals are absolute, as at 1M: rdflib cannot hold the data)",
    )
    parser.add_argument("--note", default="", help="a note on the run (e.g. a shared machine)")
    parser.add_argument(
        "--update",
        action="store_true",
        help="measure the parts given again into the existing results file, keeping the rest",
    )
    args = parser.parse_args(argv)
    args.parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    args.only = [p.strip() for p in args.only.split(",") if p.strip()]
    args.jobs = plan(args.parts, args.only)
    if args.repeats < 1:
        raise SystemExit("--repeats: at least 1")
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]

    from report import goal_rows, goals_table, write_report

    bench = Bench(args)
    previous = args.out / f"{args.name}.json"
    if args.update and previous.exists():
        bench.results = json.loads(previous.read_text(encoding="utf-8"))
        bench.results.setdefault("updates", []).append(
            {
                "at": time.strftime("%Y-%m-%d %H:%M:%S"),
                "sizes": sizes,
                "parts": args.parts,
                "only": args.only,
                "load_average_start": load_average(),
                "note": args.note,
            }
        )
        bench.results["run"]["machine_at_update"] = machine()
    else:
        bench.results["machine"] = machine()
        bench.results["run"] = {
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "sizes": sizes,
            "parts": args.parts,
            "only": args.only,
            "repeats": args.repeats,
            "seed": args.seed,
            "limits": {
                "rdflib query (s)": args.query_limit,
                "hilos query (s)": args.hilos_query_limit,
                "rdflib parse (s)": args.rdflib_limit,
                "analysis (s)": args.analysis_limit,
                "pyvis (s)": args.pyvis_limit,
                "hilos memory (GiB)": args.memory_gb,
                "rdflib memory (GiB)": args.rdflib_memory_gb,
            },
            "load_average_start": load_average(),
            "note": args.note,
        }
    args.out.mkdir(parents=True, exist_ok=True)

    def save() -> None:
        bench.results["goals"] = goal_rows(bench.results)
        bench.results["run"]["load_average_end"] = load_average()
        bench.results["run"]["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
        (args.out / f"{args.name}.json").write_text(
            json.dumps(bench.results, indent=1, sort_keys=False) + "\n", encoding="utf-8"
        )
        (args.out / f"{args.name}.md").write_text(write_report(bench.results), encoding="utf-8")

    for size in sizes if args.jobs - {"html", "chromium"} else []:
        print(f"{size}:", flush=True)
        bench.size(size)
        save()
    if "html" in args.jobs:
        bench.html()
    save()
    print("\n".join(["", *goals_table(bench.results), ""]), flush=True)
    print(f"wrote {args.out / (args.name + '.md')} and .json", flush=True)
    if not os.environ.get("HILOS_BENCH_KEEP"):
        for leftover in bench.work.glob("bulk-*"):
            shutil.rmtree(leftover, ignore_errors=True)


if __name__ == "__main__":
    main()
