"""The benchmark harness: every figure as a ratio to a baseline measured in the same run.

    python bench/run.py                   # N = 1,000 and 10,000
    python bench/run.py --large           # ... and 50,000
    python bench/run.py --sizes 1000      # just these sizes

    python bench/run.py --corpus both     # generated corpora and copies of the bundled meetings
    python bench/run.py --readme          # README's table from bench/out/results.json

Corpora are made once (bench/generate.py, deterministic from --seed) under bench/out/: made up
by the generator, or the bundled meetings copied under new boards and dates (``real``).
Every measurement is a fresh process, started by a small process of its own (bench/launch.py:
so its peak memory is its own, not this harness's), timed as a user feels it, from its
start to the moment it is done (for the browser: the first frame with the meeting list
filled; for the probes that act as a user, each mark they write). A round measures every
figure once beside its baseline (interleaved, so a busy machine slows both); ``--repeat N``
makes N rounds, and each ratio is reported as its median and spread (min–max). The targets
are bench/report.py's TARGETS. It prints the table, how each figure grows with the number of
meetings (two sizes or more), a line saying which targets missed (exit status 1 if any), and
writes the whole run as JSON to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PROBE = HERE / "probe.py"
sys.path.insert(0, str(HERE))

import cores  # noqa: E402
import generate  # noqa: E402
import launch  # noqa: E402
import report  # noqa: E402

# Queries of every rarity: words in nearly every file, topics, names, rarer and rarer words
# of the synthetic vocabulary, several words, phrases, prefixes, and words that are nowhere.
QUERIES = [
    "council", "budget", "members agreed", '"budget monitoring"', "performance report",
    "billing", "judi billing", "safeguarding", "climate emergency", "highlighting leadership",
    "treasury", "govern", "substitute", "peer challenge", "digital strategy q3",
    "RANK200", "RANK2000", "RANK10000", "RANK30000", "RANK2000 RANK200", '"RANK200 RANK300"',
    "zyzzyva", "oflog", "parish",
]  # fmt: skip


def queries(seed: int) -> list[str]:
    """The queries, with RANKn replaced by the synthetic vocabulary's n-th most common word."""
    vocab = generate.Writer(seed).vocab
    return [re.sub(r"RANK(\d+)", lambda m: vocab[int(m.group(1))], q) for q in QUERIES]


def run(
    cmd: list[str],
    ready: bool = False,
    env: dict | None = None,
    until: str = "ready",
    timeout: float | None = None,
    ok: tuple[int, ...] = (0,),
) -> dict:
    """Run ``cmd``; seconds to its end (or to 'ready' on $BENCH_READY_FD), peak RSS, output,
    and the seconds from its start to each mark it wrote on $BENCH_READY_FD (read up to the
    mark ``until``, its last). After ``timeout`` seconds the process is killed and what it
    marked by then is returned, with ``timed_out`` (a figure it never reached is missed, and
    the rest of the run goes on). ``ok``: the exit statuses that are no failure. Started by
    the launcher (:mod:`launch`): its peak RSS is
    its own, not this process's."""
    env = {**os.environ, **(env or {})}
    read_fd = write_fd = None
    fds: dict[int, int] = {}
    if ready:
        read_fd, write_fd = os.pipe()
        fds[write_fd] = write_fd
        env["BENCH_READY_FD"] = str(write_fd)
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    devnull = os.open(os.devnull, os.O_RDONLY)
    fds.update({0: devnull, 1: out_w, 2: err_w})
    started = time.perf_counter()
    proc = launcher().start(cmd, env, fds)
    for fd in (devnull, out_w, err_w, *([write_fd] if write_fd is not None else [])):
        os.close(fd)
    killer = threading.Timer(timeout, proc.kill) if timeout else None
    if killer:
        killer.start()
    marks: dict[str, float] = {}
    try:
        if ready:
            with os.fdopen(read_fd, "rb") as fh:
                for line in fh:
                    marks.setdefault(line.strip().decode(), time.perf_counter() - started)
                    if line.strip().decode() == until:
                        break
        out, err = drain(out_r, err_r)
        status = proc.wait()
    except BaseException:  # the run stopped (Ctrl-C, a signal): leave no probe running
        proc.kill()
        proc.wait()
        raise
    finally:
        if killer:
            killer.cancel()
    returncode = os.waitstatus_to_exitcode(status)
    seconds = marks.get("ready") if ready else time.perf_counter() - started
    timed_out = bool(timeout) and returncode == -signal.SIGKILL
    if timed_out:
        return {"s": seconds, "marks": marks, "rss": proc.rss, "timed_out": True}
    if returncode not in ok or (ready and until not in marks):
        raise RuntimeError(f"{' '.join(cmd)} failed ({returncode}):\n{err.decode()[-3000:]}")
    return {
        "s": seconds,
        "marks": marks,
        "rss": proc.rss,
        "out": out.decode(),
        "err": err.decode(),
    }


_launcher: launch.Launcher | None = None


def launcher() -> launch.Launcher:
    """The process every measured one is started from (started when first wanted)."""
    global _launcher
    if _launcher is None:
        _launcher = launch.Launcher()
    return _launcher


def drain(*fds: int) -> list[bytes]:
    """All that is written to each of ``fds`` until each is closed (read side by side: a
    process that fills one pipe while the other is read would wait for ever); each is closed."""
    got: dict[int, bytearray] = {fd: bytearray() for fd in fds}
    open_fds = list(fds)
    while open_fds:
        ready, _, _ = select.select(open_fds, [], [])
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if chunk:
                got[fd] += chunk
            else:
                open_fds.remove(fd)
                os.close(fd)
    return [bytes(got[fd]) for fd in fds]


def py(*args: str) -> list[str]:
    return [sys.executable, *args]


# the command as the install made it, beside this interpreter: what a user runs (its script's
# own start counted), not ``python -m`` (whose runpy imports what the command does not)
COMMAND = Path(sys.executable).parent / "tuibrowser"


def tool(*args: str) -> list[str]:
    """``tuibrowser ARGS`` as a user runs it (a whole process): the installed command, or the
    package run as a module where none is installed."""
    if COMMAND.is_file():
        return [str(COMMAND), *args]
    return py("-m", "tuibrowser.cli", *args)


def corpus(n: int, seed: int, kind: str = "generated") -> Path:
    """The corpus of ``n`` meetings: generated, or the bundled meetings copied (``real``)."""
    path = OUT / (f"corpus-{n}-s{seed}" if kind == "generated" else f"corpus-{kind}-{n}-s{seed}")
    if not (path / ".complete").exists():
        shutil.rmtree(path, ignore_errors=True)
        print(f"making {n} meetings ({kind})…", file=sys.stderr)
        make = generate.copy_real if kind == "real" else generate.generate
        make(n, path, seed)
        (path / ".complete").write_text("")
    return path


# Caches cleared during a run are moved here and deleted when it ends (empty_trash). On a file
# system without a journal (ext4 here), a file made within a minute or so of thousands deleted
# near it waits while the kernel passes over each recently deleted inode (find_inode_bit,
# recently_deleted): a cache's file took 220-380 us to make, against 30 us, right after the
# last cache's 3,800 files were deleted, 5-7% of a cold index at 10,000 meetings and of a
# refresh after it. A user's first index follows no such deletion.
TRASH = OUT / "trash"


def clear_cache(cache: Path) -> None:
    """Take the cache (and the browser's state) out of the way of the next cold start: moved
    into :data:`TRASH`, not deleted (see there)."""
    TRASH.mkdir(parents=True, exist_ok=True)
    gone = [*cache.parent.glob(cache.name + "*"), cache.parent / "state"]
    for p in gone:
        if p.exists() or p.is_symlink():
            os.replace(p, TRASH / f"{time.time_ns()}-{p.name}")


def empty_trash() -> None:
    """Delete the caches cleared during the run (and any an interrupted run left)."""
    shutil.rmtree(TRASH, ignore_errors=True)


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def cache_size(cache: Path) -> int:
    return sum(
        size_of(p) for p in cache.parent.glob(cache.name + "*") if not p.name.endswith(".lock")
    )


RG_BATCH = 4096


def _batches(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def rg_search(rg: str, directory: Path, query: str) -> None:
    """What a user would do with ripgrep: files holding every word (at a word start, any case)."""
    from tuibrowser.search import parse_query

    files: list[str] | None = None
    for term in parse_query(query):
        pattern = r"\b" + r"\s+".join(re.escape(w) for w in term.split())
        cmd = [rg, "--ignore-case", "--files-with-matches", "--no-messages", "-e", pattern]
        # the files of the words before, a few thousand a process (100,000 paths are more
        # than one command line holds)
        batches = [[str(directory)]] if files is None else _batches(files, RG_BATCH)
        found: list[str] = []
        for batch in batches:
            found += subprocess.run(cmd + batch, capture_output=True, text=True).stdout.split()
        files = found
        if not files:
            return


def rg_time(rg: str, directory: Path, query: str, tries: int = 3) -> float:
    times = []
    for _ in range(tries):
        t = time.perf_counter()
        rg_search(rg, directory, query)
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]


# the screens whose time to be usable after the first frame is measured: key, screen class
SCREENS = {"people": ("P", "PeopleScreen"), "topics": ("T", "TopicsScreen"),
           "dashboard": ("D", "DashboardScreen")}  # fmt: skip
REFRESHES = 5  # one-file refreshes a round times (its figure is their median)
FIRST_QUERY = "performance report"  # typed at the first frame (a topic: many hits)


class Bench:
    """One size of one corpus: its files, its cache, and a round of every measurement."""

    def __init__(self, n: int, seed: int, kind: str, timeout: float = 900) -> None:
        self.n, self.seed, self.kind, self.timeout = n, seed, kind, timeout
        self.root = corpus(n, seed, kind)
        self.files = sorted(self.root.rglob("*.md"))
        folder = OUT / (f"cache-{n}" if kind == "generated" else f"cache-{kind}-{n}")
        folder.mkdir(parents=True, exist_ok=True)
        self.cache = folder / "meetings.json"
        self.rg = shutil.which("rg")
        self.queries = queries(seed)

    def say(self, msg: str) -> None:
        print(f"  [{self.n} {self.kind}] {msg}", file=sys.stderr)

    def index(self) -> dict:
        return run(tool("index", str(self.root), "--cache", str(self.cache)))

    def browser(self, probe: str, *args: str, until: str = "ready") -> dict:
        cmd = py(str(PROBE), probe, str(self.root), str(self.cache), *args)
        return run(cmd, ready=True, until=until)

    def round(self) -> dict:
        """Every figure once, each beside its baseline (interleaved)."""
        r: dict = {}
        self.say("parse-only baseline and cold index (whole processes)")
        r["parse_s"] = run(py(str(PROBE), "parse", str(self.root)))["s"]
        clear_cache(self.cache)
        cold = self.index()
        r["cold_index_s"], r["cold_index_rss"] = cold["s"], cold["rss"]
        r["cache_bytes"] = cache_size(self.cache)
        # beside its baseline, the cold index just made (minutes later, a machine whose speed
        # drifts moved the ratio by a quarter between rounds)
        self.say("refresh after one file changed (whole process)")
        r["refresh_s"] = self.refresh()

        self.say("first open of a never-indexed folder, beside a bare Textual app's")
        clear_cache(self.cache)
        # (its baseline measured beside it: it follows a cold index whose cache the machine
        # may still be writing out; at 50,000 meetings this first frame took 0.1-0.2 s longer
        # than the warm one measured a minute later, beside which the bare app was measured)
        r["bare_cold_s"] = run(py(str(PROBE), "bare"), ready=True)["s"]
        opened = self.act(r, "cold", str(self.n), until="full")
        r["cold_frame_s"] = self.took(r, opened, "frame")
        r["cold_full_s"] = self.took(r, opened, "full")
        r["cold_progress"] = 1.0 if "progress" in opened else 0.0
        self.index()  # whatever the browser left undone

        self.say("first frame: a bare Textual app and tuibrowser with a warm cache")
        r["bare_s"] = run(py(str(PROBE), "bare"), ready=True)["s"]
        r["first_frame_s"] = self.browser("app")["s"]
        loaded = self.browser("loaded")
        r["loaded_s"], r["loaded_rss"] = loaded["s"], loaded["rss"]
        self.say("peak memory of the browser, fully loaded: three looks at what changed")
        for case, rss in self.browser_memory().items():
            r[f"browser_rss_{case}"] = rss

        self.say("screens and search at the first frame")
        for name, (key, cls) in SCREENS.items():
            m = self.act(r, "screen", key, cls, until="usable")
            r[f"{name}_s"] = self.took(r, m, "usable", "ready")
        m = self.act(r, "first-search", FIRST_QUERY, until="warm-answered")
        r["first_search_s"] = self.took(r, m, "answered", "ready")
        r["warm_search_s"] = self.took(r, m, "warm-answered", "warm")

        self.say("search: in the browser, from the shell, and ripgrep over the files")
        r.update(self.app_search())
        if self.rg:
            r.update(self.cli_search())
        return r

    def act(self, r: dict, probe: str, *args: str, until: str) -> dict[str, float]:
        """A probe acting as a user, given ``timeout`` seconds: its marks, and the end of its
        time as ``"end"`` (a mark it never wrote is taken as reached then, and the round says
        which probe timed out)."""
        cmd = py(str(PROBE), probe, str(self.root), str(self.cache), *args)
        started = time.perf_counter()
        result = run(cmd, ready=True, until=until, timeout=self.timeout)
        marks = {**result["marks"], "end": time.perf_counter() - started}
        if result.get("timed_out"):
            self.say(f"{probe} {' '.join(args)}: no {until!r} within {self.timeout:.0f} s")
            r.setdefault("timed_out", []).append(f"{probe} {' '.join(args)}".strip())
        return marks

    @staticmethod
    def took(r: dict, marks: dict[str, float], end: str, start: str | None = None) -> float:
        """Seconds from the mark ``start`` (the process's start) to ``end`` (at least the
        probe's whole time, when it never got there)."""
        return marks.get(end, marks["end"]) - (marks.get(start, 0.0) if start else 0.0)

    def browser_memory(self) -> dict[str, int]:
        """The browser's peak RSS until the library and what changed are loaded, in the three
        cases of its look at the changes: a fresh state folder (the first look summarizes every
        meeting), opened again with nothing changed, and opened again with one meeting
        changed."""
        state = self.cache.parent / "state"
        shutil.rmtree(state, ignore_errors=True)
        app = py(str(PROBE), "loaded", str(self.root), str(self.cache))
        out = {"first_look": run(app, ready=True)["rss"]}
        out["nothing_changed"] = run(app, ready=True)["rss"]
        target = next(p for p in self.files if p.name.endswith("-minutes.md"))
        original = target.read_bytes()
        try:
            target.write_bytes(original + b"\nEdited for the memory figure.\n")
            out["one_changed"] = run(app, ready=True)["rss"]
        finally:
            target.write_bytes(original)
            run(app, ready=True)  # seen as it is again
        return out

    def refresh(self) -> float:
        """The median of :data:`REFRESHES` one-file refreshes, each a whole process after a
        line was added to a minutes file (one run of a quarter of a second swung by half
        between rounds as the machine's speed changed)."""
        target = next(p for p in self.files if p.name.endswith("-minutes.md"))
        original = target.read_bytes()
        runs = []
        try:
            for n in range(REFRESHES):
                target.write_bytes(original + f"\nEdited {n}.\n".encode())
                runs.append(self.index()["s"])
        finally:
            target.write_bytes(original)
            self.index()
        return sorted(runs)[len(runs) // 2]

    def app_search(self) -> dict:
        result = run(py(str(PROBE), "search", str(self.root), str(self.cache), *self.queries))
        probe = json.loads(result["out"])
        r = {
            "search_index_build_s": probe["build_s"],
            "search_library_load_s": probe["load_s"],
            "search_rss": result["rss"],
            "search_p50": _pct(sorted(v["s"] for v in probe["queries"].values()), 50),
            "search_p95": _pct(sorted(v["s"] for v in probe["queries"].values()), 95),
        }
        if self.rg:
            rgs = sorted(rg_time(self.rg, self.root, q) for q in self.queries)
            r["rg_p50"], r["rg_p95"] = _pct(rgs, 50), _pct(rgs, 95)
        return r

    def cli_search(self) -> dict:
        """``tuibrowser search QUERY DIR`` as a user runs it (a whole process, warm cache: its
        refresh, its imports, its answer), each query beside ripgrep's process over the files."""
        assert self.rg
        cmd = tool("search")
        cache = ["--cache", str(self.cache)]
        # the first query after an index merges the people of every shard once, and keeps them
        subprocess.run([*cmd, self.queries[0], str(self.root), *cache], capture_output=True)
        cli, base, rss = [], [], 0
        for q in self.queries:
            runs, rg_runs = [], []
            for _ in range(3):
                full = [*cmd, q, str(self.root), *cache]
                done = run(full, ok=(0, 1))  # (exit status 1: nothing matched)
                runs.append(done["s"])
                # it ends saying how many matched
                if " match" not in done["err"]:
                    raise RuntimeError(f"{' '.join(full)} failed:\n{done['err'][-3000:]}")
                rss = max(rss, done["rss"])  # (its own peak: see launch)
                rg_runs.append(rg_time(self.rg, self.root, q, tries=1))
            cli.append(sorted(runs)[1])
            base.append(sorted(rg_runs)[1])
        return {
            "cli_search_p50": _pct(sorted(cli), 50),
            "cli_search_p95": _pct(sorted(cli), 95),
            "cli_rg_p95": _pct(sorted(base), 95),
            "cli_search_rss": rss,
        }


def measure(n: int, seed: int, repeat: int, kind: str = "generated", timeout: float = 900) -> dict:
    """``repeat`` rounds of every figure at ``n`` meetings of the corpus ``kind``."""
    bench = Bench(n, seed, kind, timeout)
    fig: dict = {
        "meetings": n,
        "corpus": kind,
        "files": len(bench.files),
        "corpus_bytes": sum(p.stat().st_size for p in bench.files),
        "rounds": [],
    }
    for k in range(repeat):
        bench.say(f"round {k + 1} of {repeat}")
        fig["rounds"].append(bench.round())
    return fig


def _pct(values: list[float], p: int) -> float:
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "python": platform.python_version(),
        "system": platform.platform(),
        "ripgrep": shutil.which("rg") is not None,
    }


def sizes_arg(text: str) -> list[int]:
    return [int(x) for x in text.split(",")]


def write_readme(results: Path, readme: Path) -> int:
    try:
        record = json.loads(results.read_text())
    except (OSError, ValueError) as exc:
        print(f"{results}: no results to write ({exc}); run the bench first", file=sys.stderr)
        return 2
    readme.write_text(report.with_table(readme.read_text(), report.readme_table(record)))
    print(f"README table written from {results.name} ({record.get('when', '?')})")
    return 0


def _stop(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=sizes_arg, default=[1000, 10000])
    ap.add_argument("--large", action="store_true", help="also N = 50,000")
    ap.add_argument("--large-size", type=int, default=50000, help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="rounds (median and spread)")
    ap.add_argument("--corpus", choices=["generated", "real", "both"], default="generated")
    ap.add_argument(
        "--timeout",
        type=float,
        default=900,
        help="seconds a probe acting as a user may take (then its figure is missed)",
    )
    ap.add_argument(
        "--readme", action="store_true", help="write README's table from the latest results"
    )
    args = ap.parse_args(argv)
    # A run stopped by kill or a closed terminal ends as Ctrl-C does: each measured process is
    # killed rather than left indexing or browsing 50,000 meetings on its own.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _stop)
    if args.readme:
        return write_readme(OUT / "results.json", HERE.parent / "README.md")
    sizes = args.sizes + ([args.large_size] if args.large else [])
    kinds = ["generated", "real"] if args.corpus == "both" else [args.corpus]
    OUT.mkdir(exist_ok=True)
    # Byte-compile the package as an install does, so every start-up measured is a user's
    # (an editable install, or PYTHONDONTWRITEBYTECODE, would compile it again at each start).
    import tuibrowser

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(tuibrowser.__file__).parent)],
        check=True,
    )
    started = time.time()
    at_start = cores.two_at_once()
    try:
        figures = [
            measure(n, args.seed, args.repeat, kind, args.timeout) for kind in kinds for n in sizes
        ]
    finally:
        empty_trash()
    growth = report.growth(figures)
    print(report.table(figures))
    print()
    print(report.growth_table(growth))
    record = {
        "when": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "machine": {**machine(), "two_at_once": [at_start, cores.two_at_once()]},
        "args": {"sizes": sizes, "repeat": args.repeat, "corpus": args.corpus, "seed": args.seed},
        "seconds": time.time() - started,
        "targets": {
            k: {"figure": t.figure, "baseline": t.baseline, "limit": t.limit}
            for k, t in report.TARGETS.items()
        },
        "figures": figures,
        "rows": [
            {**{k: v for k, v in vars(row).items() if k != "target"}, "met": row.met}
            for f in figures
            for row in report.rows_for(f)
        ],
        "growth": growth,
        "missed": [f"{r.name} at {report.label(r)}" for r in report.missed(figures)],
    }
    (OUT / "results.json").write_text(json.dumps(record, indent=2))
    m = record["machine"]
    print(f"\n{report.machine_text(m)}; Python {m['python']}; written to bench/out/results.json")
    print(report.summary(figures))
    return 1 if record["missed"] else 0


if __name__ == "__main__":
    sys.exit(main())
