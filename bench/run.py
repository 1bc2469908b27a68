"""The benchmark harness: every figure as a ratio to a baseline measured in the same run.

    python bench/run.py                   # N = 1,000 and 10,000
    python bench/run.py --large           # ... and 50,000
    python bench/run.py --sizes 1000      # just these sizes

Corpora are generated once (bench/generate.py, deterministic from --seed) under bench/out/,
and every measurement is a fresh process started from here, timed from its start to the
moment it is done (for the app: the first frame with the meeting list filled). Each figure
is the median of a few runs; baselines run interleaved with the runs they are compared to,
so a busy machine slows both. It prints a table of ratios against the targets and writes
the whole run as JSON to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PROBE = HERE / "probe.py"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

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


def run(cmd: list[str], ready: bool = False, env: dict | None = None) -> dict:
    """Run ``cmd``; seconds to its end (or to 'ready' on $BENCH_READY_FD), peak RSS, output."""
    env = {**os.environ, **(env or {})}
    read_fd = write_fd = None
    pass_fds: tuple[int, ...] = ()
    if ready:
        read_fd, write_fd = os.pipe()
        pass_fds = (write_fd,)
        env["BENCH_READY_FD"] = str(write_fd)
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        pass_fds=pass_fds,
        env=env,
    )
    seconds = None
    if ready:
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as fh:
            line = fh.readline()
        if line.strip() == b"ready":
            seconds = time.perf_counter() - started
    out, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 or (ready and seconds is None):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode()[-3000:]}")
    if seconds is None:
        seconds = time.perf_counter() - started
    return {"s": seconds, "rss": usage.ru_maxrss * 1024, "out": out.decode(), "err": err.decode()}


def median(results: list[dict]) -> dict:
    s = statistics.median(r["s"] for r in results)
    return {
        "s": s,
        "runs": [round(r["s"], 4) for r in results],
        "rss": max(r["rss"] for r in results),
    }


def py(*args: str) -> list[str]:
    return [sys.executable, *args]


def corpus(n: int, seed: int) -> Path:
    path = OUT / f"corpus-{n}-s{seed}"
    if not (path / ".complete").exists():
        shutil.rmtree(path, ignore_errors=True)
        print(f"generating {n} meetings…", file=sys.stderr)
        generate.generate(n, path, seed)
        (path / ".complete").write_text("")
    return path


def clear_cache(cache: Path) -> None:
    for p in cache.parent.glob(cache.name + "*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def cache_size(cache: Path) -> int:
    return sum(
        size_of(p) for p in cache.parent.glob(cache.name + "*") if not p.name.endswith(".lock")
    )


def rg_search(rg: str, directory: Path, query: str) -> None:
    """What a user would do with ripgrep: files holding every word (at a word start, any case)."""
    from tuibrowser.search import parse_query

    files: list[str] | None = None
    for term in parse_query(query):
        pattern = r"\b" + r"\s+".join(re.escape(w) for w in term.split())
        cmd = [rg, "--ignore-case", "--files-with-matches", "--no-messages", "-e", pattern]
        cmd += files if files is not None else [str(directory)]
        out = subprocess.run(cmd, capture_output=True, text=True).stdout
        files = out.split()
        if not files:
            return


def timed(cmd: list[str], ready: bool = False) -> dict:
    """``run``, with the seconds the process says the work took (when it prints them)."""
    result = run(cmd, ready)
    if not ready and result["out"].startswith("{"):
        result["s"] = json.loads(result["out"])["s"]
    return result


def measure(n: int, seed: int, repeat: int) -> dict:
    root = corpus(n, seed)
    files = sorted(root.rglob("*.md"))
    cache_dir = OUT / f"cache-{n}"
    cache_dir.mkdir(parents=True, exist_ok=True)
    cache = cache_dir / "meetings.json"
    fig: dict = {
        "meetings": n,
        "files": len(files),
        "corpus_bytes": sum(p.stat().st_size for p in files),
    }
    say = lambda msg: print(f"  [{n}] {msg}", file=sys.stderr)  # noqa: E731

    say("cold index and the parse-only baseline")
    cold, parse = [], []
    for _ in range(repeat):
        parse.append(timed(py(str(PROBE), "parse", str(root))))
        clear_cache(cache)
        cold.append(timed(py(str(PROBE), "index", str(root), str(cache))))
    fig["parse_only"] = median(parse)
    fig["cold_index"] = median(cold)
    fig["cache_bytes"] = cache_size(cache)

    say("first frame: bare Textual app and tuibrowser with a warm cache")
    bare, first, loaded = [], [], []
    for _ in range(repeat):
        bare.append(run(py(str(PROBE), "bare"), ready=True))
        first.append(run(py(str(PROBE), "app", str(root), str(cache)), ready=True))
    for _ in range(max(1, repeat // 2)):
        loaded.append(run(py(str(PROBE), "loaded", str(root), str(cache)), ready=True))
    fig["bare_first_frame"] = median(bare)
    fig["warm_first_frame"] = median(first)
    fig["warm_fully_loaded"] = median(loaded)

    say("refresh after one file changed")
    target = next(p for p in files if p.name.endswith("-minutes.md"))
    original = target.read_bytes()
    refresh = []
    try:
        for k in range(repeat):
            target.write_bytes(original + f"\nEdited {k}.\n".encode())
            refresh.append(timed(py(str(PROBE), "index", str(root), str(cache))))
            assert json.loads(refresh[-1]["out"])["read"] == 1
    finally:
        target.write_bytes(original)
        run(py(str(PROBE), "index", str(root), str(cache)))
    fig["refresh_one"] = median(refresh)

    say("search: in the app (index built) and ripgrep over the files")
    qs = queries(seed)
    result = run(py(str(PROBE), "search", str(root), str(cache), *qs))
    probe = json.loads(result["out"])
    fig["search_index_build_s"] = probe["build_s"]
    fig["search_library_load_s"] = probe["load_s"]
    fig["search_rss"] = result["rss"]
    lat = {q: v["s"] for q, v in probe["queries"].items()}
    fig["search"] = {q: {**v} for q, v in probe["queries"].items()}
    rg = shutil.which("rg")
    if rg:
        for q in qs:
            times = []
            for _ in range(3):
                t = time.perf_counter()
                rg_search(rg, root, q)
                times.append(time.perf_counter() - t)
            fig["search"][q]["rg_s"] = sorted(times)[1]
    if rg:
        cli_search(fig, root, cache, qs, rg)
    ordered = sorted(lat.values())
    fig["search_p50"] = _pct(ordered, 50)
    fig["search_p95"] = _pct(ordered, 95)
    if rg:
        rgs = sorted(v["rg_s"] for v in fig["search"].values())
        fig["rg_p50"] = _pct(rgs, 50)
        fig["rg_p95"] = _pct(rgs, 95)
    return fig


def cli_search(fig: dict, root: Path, cache: Path, qs: list[str], rg: str) -> None:
    """``tuibrowser search QUERY DIR`` as a user runs it (a whole process, warm cache: its
    refresh, its imports, its answer), each query beside ripgrep's process over the files."""
    tool = py("-m", "tuibrowser.cli", "search")
    cli, base, rss = [], [], 0
    # the first query after an index merges the people of every shard once, and keeps them
    subprocess.run([*tool, qs[0], str(root), "--cache", str(cache)], capture_output=True)
    for q in qs:
        runs, rg_runs = [], []
        for _ in range(3):
            cmd = [*tool, q, str(root), "--cache", str(cache)]
            started = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            err = proc.stderr.read().decode() if proc.stderr else ""
            _, status, usage = os.wait4(proc.pid, 0)
            runs.append(time.perf_counter() - started)
            # it ends saying how many matched (exit status 1: none did)
            if os.waitstatus_to_exitcode(status) not in (0, 1) or " match" not in err:
                raise RuntimeError(f"{' '.join(cmd)} failed:\n{err[-3000:]}")
            rss = max(rss, usage.ru_maxrss * 1024)
            started = time.perf_counter()
            rg_search(rg, root, q)
            rg_runs.append(time.perf_counter() - started)
        cli.append(sorted(runs)[1])
        base.append(sorted(rg_runs)[1])
        fig["search"][q]["cli_s"] = cli[-1]
    fig["cli_search_p50"] = _pct(sorted(cli), 50)
    fig["cli_search_p95"] = _pct(sorted(cli), 95)
    fig["cli_rg_p95"] = _pct(sorted(base), 95)
    fig["cli_search_rss"] = rss


def _pct(values: list[float], p: int) -> float:
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def targets(f: dict) -> list[tuple[str, float, float, str, float, str]]:
    """(figure, value, baseline, baseline name, ratio limit, unit) rows."""
    rows = [
        (
            "first frame, warm cache",
            f["warm_first_frame"]["s"],
            f["bare_first_frame"]["s"],
            "bare Textual app",
            1.3,
            "s",
        ),
        (
            "first frame, warm cache",
            f["warm_first_frame"]["s"],
            f["parse_only"]["s"],
            "re-parsing every file",
            1 / 20,
            "s",
        ),
        (
            "cold index (2 cores)",
            f["cold_index"]["s"],
            f["parse_only"]["s"],
            "re-parsing every file",
            1.1,
            "s",
        ),
        (
            "refresh, one file changed",
            f["refresh_one"]["s"],
            f["cold_index"]["s"],
            "cold index",
            1 / 50,
            "s",
        ),
    ]
    if "rg_p95" in f:
        rows.append(
            ("search p95 (in the app)", f["search_p95"], f["rg_p95"], "ripgrep p95", 0.5, "s")
        )
    if "cli_search_p95" in f:
        rows.append(
            (
                "search p95, CLI process",
                f["cli_search_p95"],
                f["cli_rg_p95"],
                "ripgrep process p95",
                2.0,
                "s",
            )
        )
        rows.append(("search RSS, CLI process", f["cli_search_rss"], 100e6, "100 MB", 1.0, "B"))
    peak = max(f["cold_index"]["rss"], f["warm_fully_loaded"]["rss"], f["search_rss"])
    rows.append(("peak memory (RSS)", peak, f["corpus_bytes"], "corpus on disk", 2.0, "B"))
    rows.append(("cache on disk", f["cache_bytes"], f["corpus_bytes"], "corpus on disk", 1.2, "B"))
    return rows


def show(value: float, unit: str) -> str:
    if unit == "B":
        return f"{value / 1e6:,.0f} MB"
    return f"{value * 1000:,.0f} ms" if value < 10 else f"{value:,.1f} s"


def table(all_figures: list[dict]) -> str:
    lines = [
        f"{'N':>7}  {'figure':<27} {'value':>10}  {'baseline':>10}  {'of':<22} {'ratio':>7}  {'target':>7}  met"
    ]
    for f in all_figures:
        for name, value, base, of, limit, unit in targets(f):
            ratio = value / base
            limit_text = f"≤ 1/{round(1 / limit)}" if limit < 1 / 2.5 else f"≤ {limit:g}"
            lines.append(
                f"{f['meetings']:>7,}  {name:<27} {show(value, unit):>10}  {show(base, unit):>10}  {of:<22} {ratio:>7.3f}  {limit_text:>7}  {'yes' if ratio <= limit else 'NO'}"
            )
        lines.append(
            f"{f['meetings']:>7,}  {'':<27} {f['files']:,} files, {f['corpus_bytes'] / 1e6:,.0f} MB; cache {f['cache_bytes'] / 1e6:,.0f} MB; "
            f"fully loaded {show(f['warm_fully_loaded']['s'], 's')}; search p50 {show(f['search_p50'], 's')}"
            + (f" (ripgrep {show(f['rg_p50'], 's')})" if "rg_p50" in f else "")
            + f"; search index built in {show(f['search_index_build_s'], 's')}"
        )
    return "\n".join(lines)


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 10000])
    ap.add_argument("--large", action="store_true", help="also N = 50,000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    args = ap.parse_args(argv)
    sizes = args.sizes + ([50000] if args.large else [])
    OUT.mkdir(exist_ok=True)
    # Byte-compile the package as an install does, so every start-up measured is a user's
    # (an editable install, or PYTHONDONTWRITEBYTECODE, would compile it again at each start).
    import tuibrowser

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(tuibrowser.__file__).parent)],
        check=True,
    )
    started = time.time()
    figures = []
    for n in sizes:
        figures.append(measure(n, args.seed, args.repeat))
    text = table(figures)
    print(text)
    record = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "seconds": time.time() - started,
        "figures": figures,
    }
    (OUT / "results.json").write_text(json.dumps(record, indent=2))
    print(
        f"\n{record['machine']['cores']} cores, {record['machine']['cpu']}; Python {record['machine']['python']}; written to bench/out/results.json"
    )
    return 0 if all(v / b <= lim for f in figures for _, v, b, _, lim, _ in targets(f)) else 1


if __name__ == "__main__":
    sys.exit(main())
