"""Tiny PDFs for the tests, written with fpdf2 from text laid out as the text exports are
(a tab between table cells): each cell is printed at its column, so the PDF's text has to be
read back from where the words stand, as in a real agenda pack."""

from __future__ import annotations

from fpdf import FPDF

COLUMNS = (10, 38, 100, 168)  # mm: where the 1st, 2nd, 3rd and 4th cell of a row start

AGENDA_PACK = """Audit Committee

Agenda

Tuesday, 10 February 2026 10.00 am

Committee Room 2, Civic Centre

\tItem\tPage
1.\tMinutes\t
2.\tInternal Audit Progress Report\t1 - 4

Date of Next Meeting: Tuesday, 10 March 2026, 10.00 am, Committee Room 2, Civic Centre

Internal Audit Progress Report

Purpose of report

For information.

Summary

This report sets out performance against the key indicators for the third quarter.

Recommendation

That the Committee notes the report.

Action

As directed by Members.

Contact officer:\tJane Auditor
Position:\tHead of Audit and Risk Management

\tAudit and assurance: the plan for 2025/26
\tTarget\tDelivered by end of December 2025\tAchieved?
\tHas the target been achieved?
AU1\tComplete 90% of the audit plan\t85% of the plan completed\tAmber
AU2\tReport to every meeting\tReported to all four meetings\tGreen
AU3\tClose 40 audit actions\t22 actions closed\tRed
"""


def pdf_from_text(text: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, 15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=8)
    for line in text.split("\n"):
        if not line.strip():
            pdf.ln(4)
            continue
        y = pdf.get_y()
        for column, cell in zip(COLUMNS, line.split("\t"), strict=False):
            if cell:
                pdf.set_xy(column, y)
                pdf.cell(0, 4, cell)
        pdf.set_xy(COLUMNS[0], y + 4)
    return bytes(pdf.output())


PRINTED_NOTE = """Note of last Audit Committee meeting

Title: Audit Committee
Date: Tuesday 10 February 2026
Venue: Committee Room 2, Civic Centre

Item\tDecisions and actions\tAction
1\tMinutes The minutes of the meeting held on 25 November 2025 were agreed.

2 Internal Audit Progress Report

The Head of Audit and Risk Management introduced the report on progress against the plan.

Decisions

Members noted the report.

Actions

The Head of Audit to report on the audit actions at the next meeting.
"""
