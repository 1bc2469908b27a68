"""``tuibrowser index DIR --store URL`` on the command line's fast path (no click): it does
and says what click's command does, on a real server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from clickless import run_clickless

from tuibrowser.cli import common, fast

CORPUS = Path(__file__).resolve().parents[2] / "meetings"


def ended(call) -> int:
    with pytest.raises(SystemExit) as stop:
        call()
    return stop.value.code or 0


def steady(text: str, url: str) -> str:
    """Output without the seconds an index took, nor the store's name."""
    return re.sub(r"in \d+\.\d\ds", "in …s", text).replace(url, "<url>")


@pytest.mark.parametrize("public", [[], ["--public"]], ids=["private", "public"])
def test_an_index_into_a_store_does_and_says_what_click_does(
    pg_cluster, public, capsys, monkeypatch
):
    for name in ("TUIBROWSER_STORE", "TUIBROWSER_PUBLIC"):
        monkeypatch.delenv(name, raising=False)
    outputs = []
    for way, run in (("click", common.main), ("fast", fast.run)):
        url = pg_cluster.create_database(f"fast_{way}_{len(public)}")
        argv = ["index", str(CORPUS), "--store", url, *public]
        assert fast.parse(argv) is not None
        runs = []
        for _ in range(2):  # an ingest, then one that finds nothing changed
            status = ended(lambda argv=argv, run=run: run(argv))
            out, err = capsys.readouterr()
            runs.append((status, steady(out, url), err))
        outputs.append(runs)
    assert outputs[0] == outputs[1]
    assert outputs[0][0][0] == 0 and " 10 read" in outputs[0][0][1]


def test_an_index_into_a_store_imports_no_click(pg_db):
    assert run_clickless(["index", str(CORPUS), "--store", pg_db]) == ("0", "False")
