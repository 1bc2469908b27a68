"""The problems screen (``!``) lists what ``check`` lists: errors, warnings (also those of the
merge, like two minutes files for one meeting) and, in a group of their own, the files the user
may not read."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

from privileges import HIDDEN, SECRET, as_user, forbid
from tuihelp import option_rows, ready, screen_text

from tuibrowser.library import build
from tuibrowser.records import read_folder
from tuibrowser.tui.screens.problems import RESTRICTED_GROUP, ProblemsScreen

SIZE = (100, 30)
DUPLICATE = "2023-07-21-improvement-innovation-board-minutes-copy.md"


def check_problems(root: Path) -> list[tuple[str, str, str]]:
    """What ``tuibrowser check`` prints: the folder's problems and those of the merge."""
    parsed, scan = read_folder(root)
    problems = list(scan) + [p for x in parsed for p in x.problems]
    lib = build([p.document for p in parsed if p.document is not None], problems)
    return sorted((p.severity, p.path, p.message) for p in lib.problems)


async def test_the_problems_screen_has_the_warnings_check_has(make_app, corpus, tmp_path):
    root = tmp_path / "meetings"
    shutil.copytree(corpus, root)
    src = root / "2023-07-21-improvement-innovation-board-minutes.md"
    shutil.copy(src, root / DUPLICATE)  # two minutes files for one meeting: a merge warning
    (root / "2019-01-01-broken-minutes.md").write_text("---\nboard: [unclosed\n---\n")
    want = check_problems(root)
    assert any(DUPLICATE in m and s == "warning" for s, _, m in want)
    for cached in (False, True):  # a fresh refresh, then opening on the cache
        app = make_app(root)
        async with app.run_test(size=SIZE) as pilot:
            await ready(app, pilot)
            await pilot.press("exclamation_mark")
            await pilot.pause()
            assert isinstance(app.screen, ProblemsScreen)
            got = sorted(
                (p.severity, p.path, p.message) for p in [*app.screen.skipped, *app.screen.warnings]
            )
            assert got == want, cached
            rows = option_rows(app.screen.query_one("#problems"))
            warned = sum(r[0].startswith("WARNING") for r in rows)
            assert warned == sum(s == "warning" for s, _, _ in want)
            assert not app.screen.query("#restricted")


def _open_app_as_user(root: str, home: str) -> dict:
    """In the unprivileged child: open the app, read the status note and the problems screen."""
    from tuibrowser.state import SeenState
    from tuibrowser.tui.app import TuiBrowserApp

    async def run() -> dict:
        app = TuiBrowserApp(
            Path(root), cache_path=Path(home) / "c.json", state=SeenState(Path(home) / "s.json")
        )
        async with app.run_test(size=SIZE) as pilot:
            await ready(app, pilot)
            out = {
                "note": app.loaded.status_note,
                "said": [n.message for n in app._notifications],
                "meetings": [m.id for m in app.library.meetings],
                "list": screen_text(app),
            }
            await pilot.press("exclamation_mark")
            await pilot.pause()
            screen = app.screen
            out["problems"] = option_rows(screen.query_one("#problems"))
            out["restricted"] = (
                option_rows(screen.query_one("#restricted")) if screen.query("#restricted") else []
            )
            out["text"] = screen_text(app)
        return out

    return asyncio.run(run())


def test_a_file_the_user_cannot_read_is_shown_as_restricted_not_as_an_error(shared):  # noqa: F811
    root = shared / "meetings"
    (root / "secret.md").write_text(HIDDEN, encoding="utf-8")
    forbid(root / "secret.md")
    (root / "broken.md").write_text("---\nboard: [unclosed\n---\n", encoding="utf-8")
    os.chmod(root / "broken.md", 0o644)
    got = as_user(_open_app_as_user, str(root), str(shared / "home"))
    assert got["meetings"] == ["2021-01-01-open-board"]
    assert got["note"] == (
        "1 file skipped, 1 restricted (not readable by you) — press ! to see why"
    )
    assert any("1 file restricted (not readable by you)" in m for m in got["said"])
    assert "1 restricted (not readable by you)" in got["list"]  # on the meeting list
    assert [r[0].split()[1].split(":")[0] for r in got["problems"]] == ["broken.md"]  # the error
    assert got["restricted"] == [["secret.md", "you do not have permission to read this file"]]
    assert RESTRICTED_GROUP in got["text"]
    assert "1 file or folder restricted" in got["text"]
    assert SECRET not in got["text"]
