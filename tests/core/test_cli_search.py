"""``tuibrowser search``: plain output grouped by meeting, ``--json``, ``--limit``, exit codes."""

import json

from browse_support import MEETINGS
from click.testing import CliRunner

from tuibrowser.cli import cli


def invoke(*args):
    return CliRunner().invoke(cli, ["search", *args, str(MEETINGS), "--no-cache"])


def test_plain_output_groups_by_meeting():
    result = invoke("oflog")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "2023-07-21 Improvement & Innovation Board"
    assert (
        "  4. Office for Local Government (Oflog) launch — decision: "
        "Improvement & Innovation Board noted the newly launched Office for Local Government"
    ) in result.stdout
    # each hit's line, and under it (indented further) its further snippets
    assert all(line.startswith(("  4. ", "      ")) for line in lines[1:])
    assert lines[1].startswith("  4. ")


def test_plain_output_heads_each_meeting_once_newest_first():
    result = invoke("productivity")
    assert result.exit_code == 0
    heads = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert heads == sorted(heads, reverse=True) and len(heads) == len(set(heads))
    assert "2018-05-24 Improvement & Innovation Board" in heads
    assert "2016-01-19 Improvement & Innovation Board" in heads


def test_confidential_is_marked():
    result = invoke("digital declaration")
    assert "8. Digital Declaration - Confidential item" in result.stdout
    assert "[confidential]" in result.stdout


def test_json_output():
    result = invoke("oflog", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["query"] == "oflog" and data["complete"] is True
    kinds = {(h["kind"], h["meeting_id"], h["item_number"]) for h in data["hits"]}
    assert ("decision", "2023-07-21-improvement-innovation-board", "4") in kinds
    for h in data["hits"]:
        for s, e in h["spans"]:
            assert h["snippet"][s:e].lower() == "oflog"


def test_limit_and_no_match_exit_code():
    result = invoke("council", "--json", "--limit", "3")
    data = json.loads(result.stdout)
    assert len(data["hits"]) == 3 and data["complete"] is False
    none = invoke("qqqzzznothing")
    assert none.exit_code == 1 and none.stdout == ""


def test_search_command_keeps_the_cli_free_of_textual():
    import subprocess
    import sys

    code = (
        "import sys; from tuibrowser.cli import main\n"
        "try:\n    main(['search', 'oflog', sys.argv[1], '--no-cache'])\n"
        "except SystemExit:\n    pass\n"
        "print('textual' in sys.modules, 'rich' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(MEETINGS)], capture_output=True, text=True, check=True
    )
    assert out.stdout.splitlines()[-1] == "False False"


def test_several_snippets_and_the_match_count_in_plain_output():
    result = invoke("sector-led")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("  2. LGA Perceptions"))
    assert lines[first].endswith(" matches)")
    count = int(lines[first].rsplit("(", 1)[1].split()[0])
    further = [line for line in lines[first + 1 : first + 3] if line.startswith("      ")]
    assert count > 3 and len(further) == 2  # three snippets in all, of many more matches
    for line in [lines[first], *further]:
        assert "sector-led" in line.lower() or "sector led" in line.lower()
    # one snippet and one match: no count
    single = [line for line in lines if line.startswith("  KPI EP2")]
    assert single and "matches)" not in single[0]


def test_json_gives_each_snippet_with_its_spans_and_the_match_count():
    result = invoke("sector-led", "--json")
    data = json.loads(result.stdout)
    hit = next(h for h in data["hits"] if h["title"].startswith("2. LGA Perceptions"))
    assert hit["matches"] > len(hit["snippets"]) == 3
    assert hit["snippets"][0] == {
        "field": hit["field"],
        "text": hit["snippet"],
        "spans": hit["spans"],
    }
    for h in data["hits"]:
        assert 1 <= len(h["snippets"]) <= 3 and h["matches"] >= 1
        for snip in h["snippets"]:
            marked = [" ".join(snip["text"][s:e].lower().split()) for s, e in snip["spans"]]
            assert marked and all(
                m.replace("-", " ").replace("–", " ") == "sector led" for m in marked
            ), marked
