"""The PostgreSQL store's benchmark: every figure as a ratio to a baseline measured in the same
run (or, for the re-ingest, to its budget).

    python bench/pg.py                      # N = 10,000
    python bench/pg.py --sizes 10000,100000

For each size: the corpus (bench/generate.py, as bench/run.py makes it) is ingested into a
throwaway cluster (initdb in a temporary folder, a Unix socket; tests/support/pgcluster.py)
with ``tuibrowser index DIR --store URL``, then, each a whole process:

- the first frame of ``tuibrowser DIR --store URL`` (the meeting list filled) against a bare
  Textual app's, run interleaved (target ≤ 1.3×);
- ``tuibrowser search Q DIR --store URL`` over bench/run.py's queries against ripgrep over
  the files (bench/run.py's ``rg_search``), each the median of three, interleaved; p95 against
  p95 (target ≤ 0.5×);
- re-ingesting after one file changed (target ≤ 1 s);
- 8 searches at once: 8 processes, each connected and ready, given the word at the same
  moment; each one's search time against its time alone (target: none over 2×). The
  processes' start-up and first search are left out (a browser is already running when its
  user searches, and has searched before). Beside it, the machine's floor: the same protocol
  with eight CPU-bound tasks, each as long alone as one of the searches, and no database.

It prints a table like bench/run.py's and writes the run to bench/out/pg-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests" / "support"))

import run as harness  # noqa: E402
from report import show  # noqa: E402

PROBE = HERE / "probe.py"
CONCURRENT = 8


def tool(*args: str) -> list[str]:
    """``tuibrowser ARGS`` as a user runs it (the installed command: :func:`run.tool`)."""
    return harness.tool(*args)


def ingest(root: Path, url: str) -> dict:
    """``tuibrowser index DIR --store URL`` as a whole process: seconds, and what it says."""
    started = time.perf_counter()
    done = subprocess.run(tool("index", str(root), "--store", url), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"ingest failed:\n{done.stderr[-3000:]}")
    return {"s": seconds, "said": done.stdout.splitlines()[0]}


def first_frames(root: Path, url: str, repeat: int) -> tuple[dict, dict]:
    state = tempfile.mkdtemp(prefix="bench-state-")
    bare, store = [], []
    for _ in range(repeat):
        bare.append(harness.run(harness.py(str(PROBE), "bare"), ready=True))
        store.append(
            harness.run(harness.py(str(PROBE), "store-app", str(root), url, state), ready=True)
        )
    shutil.rmtree(state, ignore_errors=True)
    return median(bare), median(store)


def median(runs: list[dict]) -> dict:
    """The run of the median time."""
    return sorted(runs, key=lambda r: r["s"])[len(runs) // 2]


def searches(root: Path, url: str, queries: list[str]) -> dict:
    """Each query as ``tuibrowser search`` on the store beside ripgrep over the files."""
    rg = shutil.which("rg")
    if rg is None:
        raise SystemExit("ripgrep (rg) is needed for the search baseline")
    out: dict = {}
    for q in queries:
        runs, rg_runs, said = [], [], ""
        for _ in range(3):
            started = time.perf_counter()
            done = subprocess.run(
                tool("search", q, str(root), "--store", url, "--limit", "50"),
                capture_output=True,
                text=True,
            )
            runs.append(time.perf_counter() - started)
            if done.returncode not in (0, 1) or " match" not in done.stderr:
                raise RuntimeError(f"search {q!r} failed:\n{done.stderr[-3000:]}")
            said = done.stderr.strip().splitlines()[-1]
            started = time.perf_counter()
            harness.rg_search(rg, root, q)
            rg_runs.append(time.perf_counter() - started)
        out[q] = {"s": sorted(runs)[1], "rg_s": sorted(rg_runs)[1], "said": said}
    return out


def reingest_one(root: Path, url: str, repeat: int) -> dict:
    files = sorted(root.rglob("*-minutes.md"))
    target = files[len(files) // 2]
    original = target.read_bytes()
    runs = []
    try:
        for k in range(repeat):
            target.write_bytes(original + f"\nEdited {k}.\n".encode())
            result = ingest(root, url)
            if " 1 read" not in result["said"]:
                raise RuntimeError(f"one file changed, but: {result['said']}")
            runs.append(result)
    finally:
        target.write_bytes(original)
        ingest(root, url)
    seconds = [r["s"] for r in runs]
    return {"s": statistics.median(seconds), "runs": seconds, "file": target.name}


# --- 8 searches at once ---------------------------------------------------------------------

WORKER = """
import json, sys, time
from pathlib import Path
from tuibrowser.store.pg.store import PgStore
store = PgStore(sys.argv[1], Path(sys.argv[2]))
store.folder()  # connected, as a running browser is
store.search_store("warmup", 200)  # and has searched before (its modules imported)
print("ready", flush=True)
query = sys.stdin.readline().rstrip("\\n")
started = time.perf_counter()
found = store.search_store(query, 200)
print(json.dumps({"s": time.perf_counter() - started, "total": found.total}), flush=True)
"""


# The machine's floor for the same protocol: a process that keeps the CPU busy for as many
# seconds of CPU time as it is given, with no database. Eight such tasks at once on two cores
# each get a quarter of a core, so none can stay within 2x of its time alone; measured in the
# same run, beside the searches, this says how much of the searches' ratio is the machine's.
SPINNER = """
import json, sys, time
print("ready", flush=True)
cpu = float(sys.stdin.readline())
started, cpu_started = time.perf_counter(), time.process_time()
while time.process_time() - cpu_started < cpu:
    pass
print(json.dumps({"s": time.perf_counter() - started}), flush=True)
"""


def at_once(root: Path, url: str, queries: list[str], spin: bool = False) -> list[dict]:
    """Each query's search time in a running process: alone, then with all the others (with
    ``spin``, each "query" is the seconds of CPU time :data:`SPINNER` is to use)."""
    argv = ["-c", SPINNER] if spin else ["-c", WORKER, url, str(root)]
    procs = [
        subprocess.Popen(
            [sys.executable, *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in queries
    ]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p, q in zip(procs, queries, strict=True):  # all given their query at once
        assert p.stdin is not None
        p.stdin.write(q + "\n")
        p.stdin.flush()
    results = []
    for p in procs:
        assert p.stdout is not None
        select.select([p.stdout], [], [])
        results.append(json.loads(p.stdout.readline()))
        p.wait()
    return results


def concurrency(root: Path, url: str, queries: list[str], repeat: int) -> dict:
    qs = (queries * CONCURRENT)[:CONCURRENT]
    solo = {q: [] for q in qs}
    together: dict[str, list[float]] = {q: [] for q in qs}
    for _ in range(repeat):
        for q in qs:
            solo[q].append(at_once(root, url, [q])[0]["s"])
        for q, r in zip(qs, at_once(root, url, qs), strict=True):
            together[q].append(r["s"])
    rows = {
        q: {"solo_s": statistics.median(solo[q]), "together_s": statistics.median(together[q])}
        for q in qs
    }
    worst = max(rows.values(), key=lambda r: r["together_s"] / r["solo_s"])
    return {"queries": rows, "worst": worst, "floor": floor(rows, repeat)}


def floor(rows: dict, repeat: int) -> dict:
    """The same protocol with CPU-bound tasks each as long alone as one of the searches: the
    least worst ratio this machine gives eight tasks at once, whatever they do."""
    work = [repr(r["solo_s"]) for r in rows.values()]
    solo: dict[str, list[float]] = {w: [] for w in work}
    together: dict[str, list[float]] = {w: [] for w in work}
    for _ in range(repeat):
        for w in work:
            solo[w].append(at_once(Path(), "", [w], spin=True)[0]["s"])
        for w, r in zip(work, at_once(Path(), "", work, spin=True), strict=True):
            together[w].append(r["s"])
    spun = {
        w: {"solo_s": statistics.median(solo[w]), "together_s": statistics.median(together[w])}
        for w in work
    }
    return max(spun.values(), key=lambda r: r["together_s"] / r["solo_s"])


# --- the run ----------------------------------------------------------------------------------


def measure(n: int, seed: int, repeat: int) -> dict:
    from pgcluster import Cluster, find_bindir

    say = lambda msg: print(f"  [{n}] {msg}", file=sys.stderr, flush=True)  # noqa: E731
    root = harness.corpus(n, seed)
    files = sorted(root.rglob("*.md"))
    fig: dict = {
        "meetings": n,
        "files": len(files),
        "corpus_bytes": sum(p.stat().st_size for p in files),
    }
    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL's server binaries are needed (initdb, pg_ctl, postgres)")
    cluster = Cluster(bindir)
    cluster.start()
    try:
        url = cluster.create_database("bench")
        say("ingest")
        fig["ingest"] = ingest(root, url)
        import psycopg

        say(f"ingested in {fig['ingest']['s']:.1f}s: {fig['ingest']['said']}")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
            fig["store_bytes"] = int(row[0]) if row else 0
            fig["tables"] = table_sizes(conn)
        say("store: " + ", ".join(f"{t} {b / 1e6:,.0f} MB" for t, b in fig["tables"].items()))
        say("first frame: bare Textual app and tuibrowser --store")
        fig["bare_first_frame"], fig["store_first_frame"] = first_frames(root, url, repeat)
        say(
            f"first frame {fig['store_first_frame']['s']:.3f}s, bare {fig['bare_first_frame']['s']:.3f}s"
        )
        say("search: tuibrowser search --store and ripgrep")
        fig["search"] = searches(root, url, harness.queries(seed))
        cli = sorted(v["s"] for v in fig["search"].values())
        rg = sorted(v["rg_s"] for v in fig["search"].values())
        fig["search_p50"], fig["search_p95"] = harness._pct(cli, 50), harness._pct(cli, 95)
        fig["rg_p50"], fig["rg_p95"] = harness._pct(rg, 50), harness._pct(rg, 95)
        say(f"search p95 {fig['search_p95']:.3f}s, ripgrep p95 {fig['rg_p95']:.3f}s")
        partial(fig)
        say("re-ingest after one file changed")
        fig["reingest_one"] = reingest_one(root, url, repeat)
        say(f"re-ingest {fig['reingest_one']['s']:.3f}s")
        partial(fig)
        say(f"{CONCURRENT} searches at once")
        fig["concurrent"] = concurrency(root, url, harness.queries(seed), max(1, repeat // 2))
    finally:
        cluster.stop()
    return fig


def table_sizes(conn) -> dict[str, int]:
    """Where the store's bytes are: each table with its indexes and TOAST, biggest first."""
    found = conn.execute(
        "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c"
        " WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace"
        " ORDER BY 2 DESC"
    ).fetchall()
    return {name: int(size) for name, size in found}


def partial(fig: dict) -> None:
    """What is measured so far (a later step may fail on a busy machine)."""
    (harness.OUT / f"pg-partial-{fig['meetings']}.json").write_text(json.dumps(fig, indent=2))


def targets(f: dict) -> list[tuple[str, float, float, str, float, str]]:
    worst = f["concurrent"]["worst"]
    return [
        (
            "first frame, --store",
            f["store_first_frame"]["s"],
            f["bare_first_frame"]["s"],
            "bare Textual app",
            1.3,
            "s",
        ),
        ("search p95, CLI --store", f["search_p95"], f["rg_p95"], "ripgrep process p95", 0.5, "s"),
        ("re-ingest, one file", f["reingest_one"]["s"], 1.0, "1 s", 1.0, "s"),
        (
            f"worst of {CONCURRENT} at once",
            worst["together_s"],
            worst["solo_s"],
            "its search alone",
            2.0,
            "s",
        ),
    ]


def table(all_figures: list[dict]) -> str:
    lines = [
        f"{'N':>7}  {'figure':<27} {'value':>10}  {'baseline':>10}  {'of':<22} {'ratio':>7}  {'target':>7}  met"
    ]
    for f in all_figures:
        for name, value, base, of, limit, unit in targets(f):
            ratio = value / base
            lines.append(
                f"{f['meetings']:>7,}  {name:<27} {show(value, unit):>10}  "
                f"{show(base, unit):>10}  {of:<22} {ratio:>7.3f}  {'≤ ' + format(limit, 'g'):>7}  "
                f"{'yes' if ratio <= limit else 'NO'}"
            )
        lines.append(
            f"{f['meetings']:>7,}  {'':<27} {f['files']:,} files, {f['corpus_bytes'] / 1e6:,.0f} MB; "
            f"ingest {show(f['ingest']['s'], 's')}; store {f['store_bytes'] / 1e6:,.0f} MB; "
            f"search p50 {show(f['search_p50'], 's')} (ripgrep {show(f['rg_p50'], 's')})"
        )
        spun = f["concurrent"].get("floor")
        if spun:
            lines.append(
                f"{f['meetings']:>7,}  {'':<27} the machine's floor, {CONCURRENT} CPU-bound tasks "
                f"at once: worst {spun['together_s'] / spun['solo_s']:.2f}x its time alone "
                f"({show(spun['together_s'], 's')} against {show(spun['solo_s'], 's')})"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[10000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    args = ap.parse_args(argv)
    # stopped (SIGTERM), the run still stops its cluster and removes its folder
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    harness.OUT.mkdir(exist_ok=True)
    import tuibrowser

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(tuibrowser.__file__).parent)],
        check=True,
    )
    started = time.time()
    figures = [measure(n, args.seed, args.repeat) for n in args.sizes]
    record = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": harness.machine(),
        "load": os.getloadavg(),
        "seconds": time.time() - started,
        "figures": figures,
    }
    (harness.OUT / "pg-results.json").write_text(json.dumps(record, indent=2))
    print(table(figures))
    print(f"\nwritten to bench/out/pg-results.json (load average {os.getloadavg()[0]:.1f})")
    return 0 if all(v / b <= lim for f in figures for _, v, b, _, lim, _ in targets(f)) else 1


if __name__ == "__main__":
    sys.exit(main())
