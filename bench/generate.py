"""A synthetic archive of board and committee records in the documented meeting-file format.

Deterministic from a seed: the same ``--meetings`` and ``--seed`` always give the same files,
byte for byte. Shaped like a council's democratic-services archive: many boards meeting
every few weeks over fifteen years, each meeting a minutes file (and every fifth an agenda
pack with reports), items with prose of realistic length, decisions and actions, attendance
from each board's membership (titles and honours that come and go, substitutes, apologies,
officers in attendance), quarterly KPI reports with RAG ratings and a stated summary, and
topics that recur from meeting to meeting. Words follow a Zipf-like law, so searches of every
rarity exist: words in nearly every file, words in a handful, and words that are nowhere.

    python bench/generate.py --meetings 10000 --out bench/out/corpus-10000
    python bench/generate.py --kind real --meetings 10000 --out bench/out/corpus-real-10000

``--kind real`` copies the bundled meetings (``meetings/`` in the repository: real records,
larger and shaped differently from the synthetic ones) under new boards and dates instead:
each meeting is one of the bundled meetings (its minutes, agenda, KPI report or attendance
files), its ``board`` and ``date`` rewritten, spread over the boards and fifteen years.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

COUNCILS = [
    "Ashford Borough Council", "Barnsley Metropolitan Borough Council", "Bedford Borough Council",
    "Bracknell Forest Council", "Cheshire East Council", "Cornwall Council", "Devon County Council",
    "Durham County Council", "Epsom and Ewell Borough Council", "Hampshire County Council",
    "High Peak Borough Council", "Kent County Council", "Leeds City Council",
    "Medway Council", "Newcastle City Council", "North Hertfordshire District Council",
    "North Somerset Council", "Pembrokeshire County Council", "Rotherham Metropolitan Borough Council",
    "Southend-on-Sea City Council", "Stoke-on-Trent City Council", "Test Valley Borough Council",
    "Watford Borough Council", "Wiltshire Council", "Worthing Borough Council",
]  # fmt: skip
BOARDS = [
    "Cabinet", "Planning Committee", "Licensing Committee", "Audit and Governance Committee",
    "Health and Wellbeing Board", "Children's Services Scrutiny Panel", "Adult Social Care Board",
    "Environment and Climate Committee", "Housing Board", "Pensions Committee",
    "Overview and Scrutiny Committee", "Transport Committee", "Economic Development Board",
    "Corporate Parenting Panel", "Standards Committee", "Community Safety Partnership",
    "Finance and Resources Committee", "Schools Forum", "Culture and Leisure Board",
    "Improvement and Innovation Board", "Fire Authority", "Police and Crime Panel",
    "Waste Partnership Board", "Local Plan Working Group", "Employment Committee",
    "Digital Transformation Board", "Equalities Panel", "Flood Risk Committee",
    "Council", "Harbour Board", "Skills Board", "Public Health Board", "Regeneration Board",
    "Rural Affairs Committee", "Appeals Panel", "Treasury Management Board",
    "Youth Council", "Partnership Board", "Parish Liaison Forum", "Heritage Committee",
]  # fmt: skip
VENUES = [
    "Council Chamber, Civic Centre", "Committee Room 1, Town Hall", "Committee Room 2, Town Hall",
    "Westminster Suite, Local Government House", "Zoom video call",
    "Hybrid Meeting - Council Chamber and Online", "Members' Room, County Hall",
]  # fmt: skip
FIRST = (
    "Abi Alan Alex Alison Amanda Andrew Angela Anthony Barbara Ben Beccy Bernard Carol Catherine "
    "Chris Claire Colin Daniel David Deborah Derek Diane Edward Elizabeth Emma Fiona Gareth Gillian "
    "Graham Hannah Helen Ian Jane Janet Jason Jean Jennifer John Joanna Judi Julie Karen Kate "
    "Keith Kevin Laura Linda Liz Louise Margaret Mark Martin Mary Michael Mike Neil Nicola Nigel "
    "Patricia Paul Peter Phil Philip Rachel Richard Robert Ron Ruth Sally Sarah Shirley Simon "
    "Stephen Steve Susan Thomas Tim Tony Vince Victoria William Yvonne Zoe"
).split()
LAST = (
    "Ashton Bastiman Bettison Billing Blake Broadhead Brown Clarke Coley Cooper Cusworth Davies "
    "Evans Fleming Foster Green Haines Harris Hodgson Houghton Hughes Jamieson Jenkins Johnson "
    "Jones Khan Lewis Maple McKeown Morgan Mudd North Owen Pannell Patel Phillips Price Prior "
    "Roberts Robinson Sellwood Shah Simmonds Smith Taylor Thomas Turner Twiss Walker Ward Watson "
    "White Williams Wilson Woodley Wright Young"
).split()
HONOURS = ["OBE", "MBE", "CBE", "JP", "DL"]
GROUPS = ["Conservative", "Labour", "Liberal Democrat", "Independent", "Green"]
TOPICS = [
    "Budget monitoring", "Performance report", "Local Plan update", "Corporate risk register",
    "Capital programme", "Treasury management strategy", "Annual governance statement",
    "Highlighting Leadership offer", "Productivity programme", "Peer challenge programme",
    "Workforce strategy", "Climate emergency action plan", "Housing delivery test",
    "Safeguarding annual report", "Internal audit progress report", "Fees and charges",
    "Customer services review", "Digital strategy", "Community grants", "Asset disposals",
]  # fmt: skip
STANDING = ["Welcome, apologies and declarations of interest", "Minutes of the previous meeting"]
COMMON = (
    "the council board members report officers meeting update members noted agreed proposed "
    "programme support services local authority review plan year budget performance work "
    "strategy councils delivery funding community residents government national partners "
    "consultation risk progress team management position report's information commitment "
    "approach areas priorities framework outcomes improvement development further current "
    "financial public health housing social care children schools transport planning "
    "policy project projects contract costs savings spending revenue capital reserves income "
    "quarter target targets achieved delivered ongoing issues concerns questions response "
    "recommendations option options decision decisions actions officer chair vice cabinet "
    "scrutiny committee panel partnership sector regional county district borough city "
    "workforce staff training capacity leadership governance audit assurance compliance "
    "statutory guidance legislation regulations new existing additional significant key "
    "important positive challenging good better best including following since within across "
    "between before after during more less each all some other such these those many several"
).split()
FILLER = "a an and as at be by for from has have in is it its of on or that this to was were which will with".split()


def _vocabulary(rng: random.Random) -> list[str]:
    """Common council words, then made-up words of falling frequency (the long tail)."""
    syll = "ba be bi bo bu ca ce ci co da de di do fa fe fi ga ge go ka ke ki la le li lo ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi wa we".split()
    tail: list[str] = []
    seen = set(COMMON) | set(FILLER)
    while len(tail) < 40_000:
        word = "".join(rng.choice(syll) for _ in range(rng.randint(2, 4))) + rng.choice(
            ["", "n", "r", "s", "t", "l", "tion", "ment", "ing"]
        )
        if word not in seen:
            seen.add(word)
            tail.append(word)
    return COMMON + tail


class Writer:
    """Makes the text of the files; all randomness from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocab = _vocabulary(self.rng)
        weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(self.vocab))]
        self.cum = list(itertools.accumulate(weights))

    def words(self, n: int) -> list[str]:
        rng = self.rng
        total = self.cum[-1]
        out = []
        for _ in range(n):
            if rng.random() < 0.45:
                out.append(rng.choice(FILLER))
            else:
                out.append(self.vocab[bisect.bisect(self.cum, rng.random() * total)])
        return out

    def sentence(self, lo: int = 8, hi: int = 26) -> str:
        w = self.words(self.rng.randint(lo, hi))
        return " ".join(w).capitalize() + "."

    def paragraph(self, lo: int = 2, hi: int = 6) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def name(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _members(w: Writer, n: int) -> list[dict]:
    rng = w.rng
    out = []
    for i in range(n):
        out.append(
            {
                "name": w.name(),
                "honour": rng.choice(HONOURS) if rng.random() < 0.12 else None,
                "title": "Cllr" if rng.random() < 0.9 else rng.choice(["Mayor", "Dr", "Mr", "Ms"]),
                "authority": rng.choice(COUNCILS),
                "group": rng.choice(GROUPS),
                "role": ["Chair", "Vice-Chair", "Deputy-Chair"][i] if i < 3 else "Member",
            }
        )
    return out


def _attendance(w: Writer, members: list[dict]) -> list[str]:
    rng = w.rng
    lines = ["attendance:"]
    for m in members:
        roll = rng.random()
        status = "present" if roll < 0.78 else "apologies" if roll < 0.95 else "absent"
        # Names come with and without titles and honours, as real records print them.
        parts = [m["title"]] if rng.random() < 0.8 else []
        parts.append(m["name"])
        if m["honour"] and rng.random() < 0.7:
            parts.append(m["honour"])
        lines += [
            f"  - name: {_q(' '.join(parts))}",
            f"    role: {m['role']}",
            f"    authority: {_q(m['authority'])}",
            f"    status: {status}",
        ]
        if status == "apologies" and rng.random() < 0.4:
            lines += [
                f"  - name: {_q('Cllr ' + w.name())}",
                "    role: Substitute",
                f"    authority: {_q(m['authority'])}",
                "    status: present",
            ]
    for _ in range(rng.randint(1, 4)):
        lines += [
            f"  - name: {_q(w.name())}",
            f"    role: {rng.choice(['Director', 'Head of Service', 'Democratic Services Officer', 'Adviser'])}",
            "    status: in_attendance",
        ]
    return lines


def _kpis(w: Writer, board: str, period: str, item: str) -> list[str]:
    rng = w.rng
    n = rng.randint(12, 40)
    counts = {"green": 0, "amber": 0, "red": 0, "blue": 0}
    lines = ["kpis:"]
    for i in range(1, n + 1):
        target = rng.randint(5, 400)
        actual = max(0, int(target * rng.uniform(0.55, 1.3)))
        ratio = actual / target
        rating = "green" if ratio >= 1 else "amber" if ratio >= 0.8 else "red"
        if rng.random() < 0.05:
            rating = "blue"
        if rng.random() < 0.03:
            rating = "not_stated"
        else:
            counts[rating] += 1
        lines += [
            f"  - code: {_q(f'{board[:2].upper()}{i}')}",
            f"    theme: {_q(rng.choice(TOPICS))}",
            f"    period: {_q(period)}",
            f"    target: {_q(f'Deliver at least {target} ' + ' '.join(w.words(8)))}",
            f"    target_value: {target}",
            f"    delivered: {_q(f'{actual} delivered. ' + w.sentence())}",
            f"    actual_value: {actual}",
            f"    rating: {rating}",
            f"    item: {_q(item)}",
        ]
    stated = dict(counts)
    if rng.random() < 0.2:  # reports do not always add up
        stated["green"] += 1
    lines += [
        "summaries:",
        f"  - period: {_q(period)}",
        "    label: Performance indicators",
        f"    total: {sum(stated.values())}",
        *[f"    {k}: {v}" for k, v in stated.items()],
        f"    item: {_q(item)}",
    ]
    return lines


def _item_titles(w: Writer, board_topics: list[str], when: date) -> list[str]:
    rng = w.rng
    titles = list(STANDING)
    year = f"{when.year}/{(when.year + 1) % 100:02d}"
    for topic in rng.sample(board_topics, rng.randint(2, min(5, len(board_topics)))):
        titles.append(
            rng.choice(
                [
                    topic,
                    f"{topic}: update",
                    f"{topic} {year}",
                    f"{topic}: Q{rng.randint(1, 4)} {year}",
                ]
            )
        )
    for _ in range(rng.randint(2, 7)):
        titles.append(" ".join(w.words(rng.randint(2, 6))).capitalize())
    titles.append("Any other business")
    return titles


def _body(w: Writer, titles: list[str], kind: str, confidential: set[int]) -> list[str]:
    rng = w.rng
    lines = []
    for n, title in enumerate(titles, start=1):
        flag = " {confidential}" if n in confidential else ""
        lines += [f"## {n}. {title}{flag}", ""]
        if kind == "agenda":
            lines += [
                "### Purpose",
                "",
                w.paragraph(1, 2),
                "",
                "### Summary",
                "",
                w.paragraph(3, 8),
                "",
            ]
            lines += [
                "### Recommendation",
                "",
                w.sentence(),
                "",
                "### Contact officer",
                "",
                f"{w.name()}, {rng.choice(['Director', 'Programme Manager', 'Senior Adviser'])}",
                "",
            ]
            for _ in range(rng.randint(0, 2)):
                lines += ["### Background", "", w.paragraph(3, 8), ""]
            continue
        if n <= 2:
            lines += [w.sentence(), ""]
            continue
        for _ in range(rng.randint(1, 3)):
            lines += [w.paragraph(), ""]
        if rng.random() < 0.75:
            lines += ["### Decisions", ""]
            lines += [
                f"- Members **{rng.choice(['agreed', 'noted', 'approved'])}** {w.sentence().lower()}"
                for _ in range(rng.randint(1, 3))
            ]
            lines.append("")
        if rng.random() < 0.4:
            lines += ["### Actions", ""]
            lines += [f"- Officers to {w.sentence().lower()}" for _ in range(rng.randint(1, 3))]
            lines.append("")
    return lines


def generate(meetings: int, out: Path, seed: int = 1) -> list[Path]:
    """Write ``meetings`` meetings (minutes, and an agenda pack for every fifth) under ``out``."""
    w = Writer(seed)
    rng = w.rng
    out.mkdir(parents=True, exist_ok=True)
    boards = {
        b: {"members": _members(w, rng.randint(10, 22)), "topics": rng.sample(TOPICS, 8)}
        for b in BOARDS
    }
    per_board = -(-meetings // len(BOARDS))
    start = date(2010, 1, 1)
    step = max(1, (15 * 365) // per_board)
    written: list[Path] = []
    made = 0
    for k in range(per_board):
        for b, name in enumerate(BOARDS):
            board = boards[name]
            if made == meetings:
                return written
            made += 1
            when = start + timedelta(days=k * step + b % step)
            if rng.random() < 0.1:  # the membership turns over now and then
                board["members"][rng.randrange(len(board["members"]))] = _members(w, 4)[3]
            slug = b_slug(name)
            folder = out / slug / str(when.year)
            folder.mkdir(parents=True, exist_ok=True)
            titles = _item_titles(w, board["topics"], when)
            confidential = {len(titles) - 1} if rng.random() < 0.08 else set()
            head = [
                "---",
                f"board: {_q(name)}",
                f"date: {_q(when.isoformat())}",
                f"time: {_q(rng.choice(['10:00', '10:30', '14:00', '18:30', '19:00']))}",
            ]
            venue = f"venue: {_q(rng.choice(VENUES))}"
            minutes = [
                *head,
                "kind: minutes",
                f"title: {_q('Minutes of the ' + name)}",
                "status: agreed",
                venue,
            ]
            minutes += _attendance(w, board["members"])
            if k % 3 == 0 and len(titles) > 4:
                period = f"{when.year}/{(when.year + 1) % 100:02d} Q{k % 4 + 1}"
                minutes += _kpis(w, name, period, "4")
            nxt = when + timedelta(days=step)
            minutes += [
                "next_meeting:",
                f"  date: {_q(nxt.isoformat())}",
                "---",
                "",
                f"# Minutes of the {name}",
                "",
            ]
            minutes += _body(w, titles, "minutes", confidential)
            path = folder / f"{when.isoformat()}-{slug}-minutes.md"
            path.write_text("\n".join(minutes), encoding="utf-8")
            written.append(path)
            if k % 5 == 0:
                agenda = [
                    *head,
                    "kind: agenda",
                    f"title: {_q('Agenda')}",
                    venue,
                    "---",
                    "",
                    "# Agenda",
                    "",
                ]
                agenda += _body(w, titles, "agenda", confidential)
                path = folder / f"{when.isoformat()}-{slug}-agenda.md"
                path.write_text("\n".join(agenda), encoding="utf-8")
                written.append(path)
    return written


BUNDLED = Path(__file__).resolve().parent.parent / "meetings"


def bundled_meetings(source: Path = BUNDLED) -> list[list[tuple[str, str]]]:
    """The bundled meetings, each a list of (kind suffix, text) of its files, by date."""
    by_date: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(source.glob("*.md")):
        suffix = path.name.rsplit("-", 1)[1]  # "minutes.md", "agenda.md", "kpis.md" …
        by_date.setdefault(path.name[:10], []).append((suffix, path.read_text(encoding="utf-8")))
    return [by_date[d] for d in sorted(by_date)]


def _retag(text: str, board: str, when: date) -> str:
    """The file's front matter with its board and date (the first of each) replaced."""
    text = re.sub(r"^board: .*$", lambda _: f"board: {_q(board)}", text, count=1, flags=re.M)
    return re.sub(
        r"^date: .*$", lambda _: f"date: {_q(when.isoformat())}", text, count=1, flags=re.M
    )


def copy_real(meetings: int, out: Path, seed: int = 1, source: Path = BUNDLED) -> list[Path]:
    """Write ``meetings`` copies of the bundled meetings under ``out``, each under a board and
    date of its own (the same seed, the same files)."""
    rng = random.Random(seed)
    templates = bundled_meetings(source)
    if not templates:
        raise SystemExit(f"no meeting files in {source}")
    out.mkdir(parents=True, exist_ok=True)
    per_board = -(-meetings // len(BOARDS))
    step = max(1, (15 * 365) // per_board)
    start = date(2010, 1, 1)
    written: list[Path] = []
    for made in range(meetings):
        k, b = divmod(made, len(BOARDS))
        name = BOARDS[b]
        when = start + timedelta(days=k * step + b % step)
        slug = b_slug(name)
        folder = out / slug / str(when.year)
        folder.mkdir(parents=True, exist_ok=True)
        for suffix, text in rng.choice(templates):
            path = folder / f"{when.isoformat()}-{slug}-{suffix}"
            path.write_text(_retag(text, name, when), encoding="utf-8")
            written.append(path)
    return written


def b_slug(board: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in board.lower()).strip("-").replace("--", "-")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--meetings", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--kind", choices=["generated", "real"], default="generated")
    args = ap.parse_args(argv)
    make = copy_real if args.kind == "real" else generate
    files = make(args.meetings, args.out, args.seed)
    size = sum(p.stat().st_size for p in files)
    print(f"{args.meetings} meetings, {len(files)} files, {size / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
