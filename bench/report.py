"""What a run means: the targets (written once), the ratio table, how figures grow, the README.

Pure functions over the figures ``run.py`` measures (no timing here), so the tests can hold
them. A figure set (one size of one corpus) is ``{"meetings", "corpus", "files",
"corpus_bytes", "rounds": [...]}``; each round is one pass over every measurement, its
values in seconds or bytes under the keys the targets below read. A target's ratio is taken
in each round (a value and the baseline measured beside it), so ``--repeat N`` gives N ratios:
the table shows their median and their spread (min–max).
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass

Round = dict[str, float]


@dataclass(frozen=True)
class Target:
    """A figure (what a user does), the baseline it is divided by, and the ratio it must keep."""

    figure: str
    baseline: str
    limit: float
    unit: str  # "s" or "B"
    value: Callable[[Round], float | None]
    base: Callable[[Round], float | None]


def key(name: str) -> Callable[[Round], float | None]:
    return lambda r: r.get(name)


class const:  # noqa: N801 (reads as the function it stands for)
    """A baseline that is a fixed figure (1 s, 100 MB), not one measured."""

    def __init__(self, value: float) -> None:
        self.value = value

    def __call__(self, r: Round) -> float | None:
        return self.value


def peak_rss(r: Round) -> float | None:
    # the browser's, fully loaded, in its three looks at what changed (see Bench.browser_memory),
    # the search probe's, and the cold index's
    keys = ("cold_index_rss", "loaded_rss", "search_rss", "browser_rss_first_look",
            "browser_rss_nothing_changed", "browser_rss_one_changed")  # fmt: skip
    found = [r[k] for k in keys if k in r]
    return max(found) if found else None


# Every target, once: the table, the README and the exit status read this dict. One entry a
# row (add a row by adding an entry); figures a round has not measured are left out.
TARGETS: dict[str, Target] = {
    "first_frame": Target(
        "first frame, list filled, warm cache", "a bare Textual app's first frame", 1.2, "s",
        key("first_frame_s"), key("bare_s"),
    ),
    "cold_first_frame": Target(
        "first frame on a never-indexed folder", "a bare Textual app's first frame", 1.3, "s",
        # (the bare app's measured beside it; a run before there was one: the round's other)
        key("cold_frame_s"), lambda r: r.get("bare_cold_s", r.get("bare_s")),
    ),
    "cold_full_list": Target(
        "full list on a never-indexed folder", "`tuibrowser index` alone", 1.1, "s",
        key("cold_full_s"), key("cold_index_s"),
    ),
    "cold_index": Target(
        "cold index (`tuibrowser index`)", "python-frontmatter re-parsing, one process", 0.8,
        "s", key("cold_index_s"), key("parse_s"),
    ),
    "refresh": Target(
        "refresh after one file changed", "the cold index", 1 / 60, "s",
        key("refresh_s"), key("cold_index_s"),
    ),
    "first_search": Target(
        "first search typed at the first frame", "the same search, warm", 1.5, "s",
        key("first_search_s"), key("warm_search_s"),
    ),
    "people": Target(
        "People usable, after the first frame", "1 s", 1.0, "s", key("people_s"), const(1.0),
    ),
    "topics": Target(
        "Topics usable, after the first frame", "1 s", 1.0, "s", key("topics_s"), const(1.0),
    ),
    "dashboard": Target(
        "Dashboard usable, after the first frame", "1 s", 1.0, "s",
        key("dashboard_s"), const(1.0),
    ),
    "app_search": Target(
        "search p95 in the browser", "ripgrep over the files, p95", 0.5, "s",
        key("search_p95"), key("rg_p95"),
    ),
    "cli_search": Target(
        "`tuibrowser search` p95, whole process", "ripgrep's whole process, p95", 2.0, "s",
        key("cli_search_p95"), key("cli_rg_p95"),
    ),
    "cli_memory": Target(
        "`tuibrowser search` peak memory", "100 MB", 1.0, "B",
        key("cli_search_rss"), const(100e6),
    ),
    "cache_size": Target(
        "cache on disk", "the corpus on disk", 1.2, "B", key("cache_bytes"), key("corpus_bytes"),
    ),
    "peak_rss": Target(
        "peak memory (RSS)", "the corpus on disk", 1.5, "B", peak_rss, key("corpus_bytes"),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One target at one size: medians over the rounds, and the spread of the ratio."""

    name: str
    meetings: int
    corpus: str
    value: float
    base: float
    ratio: float
    low: float
    high: float
    target: Target

    @property
    def met(self) -> bool:
        """Met when the median ratio keeps the limit (the spread says how surely)."""
        return self.ratio <= self.target.limit


def rows_for(fig: dict, targets: dict[str, Target] = TARGETS) -> list[Row]:
    """The targets one figure set measured, in the order of ``targets``."""
    out = []
    rounds = [{**r, "corpus_bytes": fig["corpus_bytes"]} for r in fig["rounds"]]
    for name, t in targets.items():
        pairs = [(t.value(r), t.base(r)) for r in rounds]
        pairs2 = [(v, b) for v, b in pairs if v is not None and b]
        if not pairs2:
            continue
        ratios = [v / b for v, b in pairs2]
        out.append(
            Row(
                name,
                fig["meetings"],
                fig.get("corpus", "generated"),
                statistics.median(v for v, _ in pairs2),
                statistics.median(b for _, b in pairs2),
                statistics.median(ratios),
                min(ratios),
                max(ratios),
                t,
            )
        )
    return out


def missed(figures: list[dict]) -> list[Row]:
    return [row for fig in figures for row in rows_for(fig) if not row.met]


def show(value: float, unit: str) -> str:
    if unit == "B":
        return f"{value / 1e6:,.0f} MB"
    return f"{value * 1000:,.0f} ms" if value < 10 else f"{value:,.1f} s"


def show_ratio(ratio: float) -> str:
    """0.017 as "1/60" (small ratios read better as fractions), 1.234 as "1.23"."""
    if 0 < ratio < 0.1:
        return f"1/{1 / ratio:.0f}"
    return f"{ratio:.2f}"


def show_limit(limit: float) -> str:
    return f"≤ {show_ratio(limit)}" if limit < 0.1 else f"≤ {limit:g}"


def show_spread(row: Row) -> str:
    if row.low == row.high:
        return show_ratio(row.ratio)
    return f"{show_ratio(row.ratio)} ({show_ratio(row.low)}–{show_ratio(row.high)})"


def label(fig_or_row: dict | Row) -> str:
    if isinstance(fig_or_row, Row):
        n, corpus = fig_or_row.meetings, fig_or_row.corpus
    else:
        n, corpus = fig_or_row["meetings"], fig_or_row.get("corpus", "generated")
    return f"{n:,} {'real' if corpus == 'real' else 'gen'}"


def notes(fig: dict) -> str:
    """What the rows do not say: the corpus, whether the first open showed its progress, and
    figures without a target (medians over the rounds)."""

    def med(k: str) -> float | None:
        found = [r[k] for r in fig["rounds"] if k in r]
        return statistics.median(found) if found else None

    parts = [f"{fig['files']:,} files, {fig['corpus_bytes'] / 1e6:,.0f} MB"]
    progress = [r["cold_progress"] for r in fig["rounds"] if "cold_progress" in r]
    if progress:
        shown = sum(1 for p in progress if p)
        parts.append(f"first open showed its progress in {shown} of {len(progress)} round(s)")
    for k, what in (
        ("loaded_s", "library loaded"),
        ("search_p50", "search p50 in the browser"),
        ("rg_p50", "ripgrep p50"),
        ("cli_search_p50", "`tuibrowser search` p50"),
    ):
        v = med(k)
        if v is not None:
            parts.append(f"{what} {show(v, 's')}")
    for k, what in (
        ("browser_rss_first_look", "browser peak RSS, first look"),
        ("browser_rss_nothing_changed", "nothing changed"),
        ("browser_rss_one_changed", "one meeting changed"),
        ("cold_index_rss", "cold index peak RSS"),
    ):
        v = med(k)
        if v is not None:
            parts.append(f"{what} {show(v, 'B')}")
    late = sorted({p for r in fig["rounds"] for p in r.get("timed_out", ())})
    if late:
        parts.append("timed out (their figures are at least the time given): " + ", ".join(late))
    parts.append(f"{len(fig['rounds'])} round(s)")
    return "; ".join(parts)


def table(figures: list[dict]) -> str:
    """The terminal table: every target at every size, its ratio's median and spread."""
    head = f"{'N':>11}  {'figure':<40} {'value':>9}  {'baseline':>9}  {'ratio (min–max)':<22} {'target':>7}  met"
    lines = [head]
    for fig in figures:
        for row in rows_for(fig):
            t = row.target
            lines.append(
                f"{label(row):>11}  {t.figure:<40} {show(row.value, t.unit):>9}  "
                f"{show(row.base, t.unit):>9}  {show_spread(row):<22} {show_limit(t.limit):>7}  "
                f"{'yes' if row.met else 'NO'}"
            )
        lines.append(f"{label(fig):>11}  {notes(fig)}")
    return "\n".join(lines)


def summary(figures: list[dict]) -> str:
    """One line: every target met, or which missed where."""
    miss = missed(figures)
    if not miss:
        return "every target met"
    return "missed: " + "; ".join(
        f"{r.name} at {label(r)} ({show_ratio(r.ratio)}, {show_limit(r.target.limit)})"
        for r in miss
    )


# -- growth: how each figure grows with the number of meetings --------------------------------

# the exponent k of value ~ N^k between two sizes, and the class it falls in
GROWTH_CLASSES = [(0.2, "constant"), (0.85, "sublinear"), (1.15, "linear"), (math.inf, "worse")]


def exponent(v1: float, v2: float, n1: int, n2: int) -> float:
    """k in v2/v1 = (n2/n1)^k: 0 when the figure stays put, 1 when it grows as N does."""
    if v1 <= 0 or v2 <= 0 or n1 == n2:
        return 0.0
    return math.log(v2 / v1) / math.log(n2 / n1)


def classify(k: float) -> str:
    return next(name for bound, name in GROWTH_CLASSES if k <= bound)


def growth(figures: list[dict]) -> list[dict]:
    """Per corpus and target: the value at each size, the exponent of each step between sizes
    and the class of the steepest step (a figure is as bad as its worst step)."""
    out = []
    for corpus in sorted({f.get("corpus", "generated") for f in figures}):
        figs = sorted(
            (f for f in figures if f.get("corpus", "generated") == corpus),
            key=lambda f: f["meetings"],
        )
        if len(figs) < 2:
            continue
        by_size = {f["meetings"]: {r.name: r for r in rows_for(f)} for f in figs}
        for name in TARGETS:
            points = [(n, rows[name].value) for n, rows in by_size.items() if name in rows]
            if len(points) < 2:
                continue
            steps = [
                exponent(v1, v2, n1, n2)
                for (n1, v1), (n2, v2) in zip(points, points[1:], strict=False)
            ]
            out.append(
                {
                    "corpus": corpus,
                    "target": name,
                    "figure": TARGETS[name].figure,
                    "sizes": [n for n, _ in points],
                    "values": [v for _, v in points],
                    "exponents": [round(k, 3) for k in steps],
                    "growth": classify(max(steps)),
                }
            )
    return out


def growth_table(lines_: list[dict]) -> str:
    if not lines_:
        return "growth: needs two sizes or more"
    out = ["growth (value ~ N^k between sizes)"]
    for g in lines_:
        unit = TARGETS[g["target"]].unit
        values = " → ".join(show(v, unit) for v in g["values"])
        sizes = " → ".join(f"{n:,}" for n in g["sizes"])
        ks = ", ".join(f"{k:.2f}" for k in g["exponents"])
        out.append(
            f"  {g['corpus']:<9} {g['figure']:<40} {g['growth']:<9} k {ks:<12} {values} ({sizes})"
        )
    return "\n".join(out)


# -- the README's table ---------------------------------------------------------------------

START = "<!-- bench table: written by bench/run.py --readme -->"
END = "<!-- end of bench table -->"


def baseline_cell(row: Row) -> str:
    t = row.target
    return t.baseline if isinstance(t.base, const) else f"{show(row.base, t.unit)}, {t.baseline}"


def machine_text(m: dict) -> str:
    """The machine a run was made on: its cores, its processor, and how fast each of two busy
    processes ran at once against one alone, at the run's start and end (bench/cores.py)."""
    text = f"{m.get('cores', '?')} cores ({m.get('cpu', '?')})"
    both = m.get("two_at_once")
    if both:
        speeds = " and ".join(f"{x:.2f}×" for x in both)
        text += f", two busy processes at once each ran at {speeds} the speed of one alone"
    return text


def readme_table(record: dict) -> str:
    """The Markdown table of a results.json record: every target at every size, with the ratio's
    median and spread over the rounds, and a line saying which run it is."""
    figures = record["figures"]
    m = record.get("machine", {})
    rounds = sorted({len(f["rounds"]) for f in figures})
    lines = [
        f"Run of {record.get('when', '?')} UTC, {machine_text(m)},"
        f" Python {m.get('python', '?')}; ratios are the median over"
        f" {'/'.join(map(str, rounds))} round(s), the spread (min–max) in brackets.",
        "",
        "| meetings | what a user does | tuibrowser | baseline | ratio (min–max) | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for fig in figures:
        for row in rows_for(fig):
            t = row.target
            lines.append(
                f"| {label(row)} | {t.figure} | {show(row.value, t.unit)} | "
                f"{baseline_cell(row)} | {show_spread(row)} | "
                f"{show_limit(t.limit)} | {'yes' if row.met else '**missed**'} |"
            )
    lines.append("")
    lines += [f"- {label(fig)}: {notes(fig)}." for fig in figures]
    g = record.get("growth") or []
    if g:
        lines += [
            "",
            "| corpus | figure | growth from the smallest to the largest size | k per step |",
        ]
        lines.append("|---|---|---|---|")
        for item in g:
            ks = ", ".join(f"{k:.2f}" for k in item["exponents"])
            lines.append(f"| {item['corpus']} | {item['figure']} | {item['growth']} | {ks} |")
    return "\n".join(lines)


def with_table(readme: str, table_md: str) -> str:
    """``readme`` with the text between the bench table's markers replaced by ``table_md``
    (the markers are added at the end of the Figures section's first paragraph if missing)."""
    block = f"{START}\n{table_md}\n{END}"
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if pattern.search(readme):
        return pattern.sub(lambda _: block, readme, count=1)
    heading = re.search(r"^## Figures\n", readme, re.M)
    if heading is None:
        return readme.rstrip("\n") + "\n\n## Figures\n\n" + block + "\n"
    end = heading.end()
    return readme[:end] + "\n" + block + "\n" + readme[end:]
