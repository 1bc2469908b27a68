"""`tuibrowser import FILE.pdf`: agenda packs and printed minutes as PDF read as the text
exports are (the PDFs are made by the tests, cells printed where their columns stand)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fpdf import FPDF
from pdfmaker import AGENDA_PACK, PRINTED_NOTE, pdf_from_text

from tuibrowser.cli import cli
from tuibrowser.importers import import_bytes
from tuibrowser.records import read_file
from tuibrowser.writer import render


@pytest.mark.parametrize("text", [AGENDA_PACK, PRINTED_NOTE], ids=["agenda-pack", "printed-note"])
def test_a_pdf_gives_the_same_documents_as_its_text(text):
    as_text = import_bytes(text.encode(), "pack")
    as_pdf = import_bytes(pdf_from_text(text), "pack")
    assert as_text.ok and as_pdf.ok, (as_text.error, as_pdf.error)
    assert as_pdf.kind == as_text.kind
    assert [render(d.document) for d in as_pdf.documents] == [
        render(d.document) for d in as_text.documents
    ]


def test_an_agenda_pack_pdf_yields_its_kpi_rows_with_rag_ratings(tmp_path):
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(pdf_from_text(AGENDA_PACK))
    out = tmp_path / "m"
    r = CliRunner().invoke(cli, ["import", str(pdf), "--out", str(out)])
    assert r.exit_code == 0, r.output
    kpis = read_file(out / "2026-02-10-audit-committee-kpis.md").document
    assert [(k.code, k.rating) for k in kpis.kpis] == [
        ("AU1", "amber"),
        ("AU2", "green"),
        ("AU3", "red"),
    ]
    assert kpis.kpis[0].target == "Complete 90% of the audit plan"
    assert kpis.kpis[0].delivered == "85% of the plan completed"
    agenda = read_file(out / "2026-02-10-audit-committee-agenda.md").document
    assert [(i.number, i.title) for i in agenda.items] == [
        ("1", "Minutes"),
        ("2", "Internal Audit Progress Report"),
    ]
    assert agenda.items[1].report.purpose == "For information."
    check = CliRunner().invoke(cli, ["check", str(out)])
    assert check.exit_code == 0, check.output


def _blank_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    return bytes(pdf.output())


@pytest.mark.parametrize(
    "raw, message",
    [
        (pdf_from_text(AGENDA_PACK)[:400], "not a PDF that can be read"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 50, "not a PDF that can be read"),
        (_blank_pdf(), "the PDF has no text"),
    ],
    ids=["truncated", "garbage", "no-text"],
)
def test_a_bad_pdf_is_a_clear_error_and_the_other_files_go_on(tmp_path, raw, message):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(raw)
    good = tmp_path / "good.pdf"
    good.write_bytes(pdf_from_text(PRINTED_NOTE))
    r = CliRunner().invoke(cli, ["import", str(bad), str(good), "--out", str(tmp_path / "m")])
    assert r.exit_code == 1
    assert f"{bad}: error: {message}" in r.output
    assert "Traceback" not in r.output
    assert (tmp_path / "m" / "2026-02-10-audit-committee-minutes.md").exists()
