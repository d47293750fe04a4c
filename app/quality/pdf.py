"""The report as an A4 PDF for an inspector or the Mini-MED minutes (reportlab, pure Python)."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape  # nosec B406  # escapes output; parses no XML

from flask_babel import format_date
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.need_to_know import View, hidden_text
from app.quality.services import CycleSummary, Row
from app.quality.themes import NO_THEME, by_theme

LIGHT_LABELS = {"green": "Grøn", "yellow": "Gul", "red": "Rød", "none": "Ingen data", "error": "Fejl"}
LIGHT_COLOURS = {
    "green": colors.HexColor("#d9f2e1"), "yellow": colors.HexColor("#fdebc8"), "red": colors.HexColor("#f9d6d5"),
    "none": colors.HexColor("#eef1f4"), "error": colors.HexColor("#eef1f4"),
}


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.1f} %".replace(".", ",")


def _count(row: Row) -> str:
    return "–" if row.result is None else f"{row.result.met} af {row.result.total}"


def build_pdf(*, home_name: str, scope_name: str, on: date, rows: list[Row], cycle: CycleSummary,
              guideline_titles: dict[str, str], thresholds: tuple[float, float], view: View,
              placements: dict | None = None, compress: bool = True) -> bytes:
    """The whole report: heading, one table row per indicator (naming its theme and criterion of the quality
    model), the indicators per theme, the årshjul's duties and the exceptions, by name where the reader (`view`,
    need-to-know) may open the child or colleague and as a count otherwise."""
    placements = placements or {}
    buffer = BytesIO()
    title = f"Kvalitetsovervågning – {home_name}"
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title=title, author="Kompetenceportalen", subject=f"{scope_name}, {format_date(on, 'd. MMMM y')}",
        pageCompression=1 if compress else 0,
    )
    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["BodyText"], fontSize=8.5, leading=10.5, spaceBefore=0,
                           spaceAfter=1)
    cell = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=9, leading=11)
    story = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(escape(f"{scope_name} · opgjort {format_date(on, 'd. MMMM y')}"), styles["Heading3"]),
        Paragraph(escape(
            f"Trafiklys: grøn fra {thresholds[0]:g} %, gul fra {thresholds[1]:g} %, rød derunder. "
            "Andelen er dem, der opfylder retningslinjen, ud af dem, den gælder for på dagen."), small),
        Spacer(1, 4 * mm),
    ]
    data = [[Paragraph("<b>Indikator</b>", cell), Paragraph("<b>Retningslinje</b>", cell),
             Paragraph("<b>Andel</b>", cell), Paragraph("<b>Antal</b>", cell), Paragraph("<b>Status</b>", cell)]]
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8c2cc")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for index, row in enumerate(rows, start=1):
        guideline = guideline_titles.get(row.indicator.guideline_slug, row.indicator.guideline_slug)
        placement = placements.get(row.key)
        theme = placement.label if placement else NO_THEME
        data.append([[Paragraph(escape(row.title), cell), Paragraph(escape(theme), small)],
                     Paragraph(escape(guideline), cell),
                     Paragraph(_percent(row.share), cell), Paragraph(escape(_count(row)), cell),
                     Paragraph(LIGHT_LABELS[row.light], cell)])
        style.append(("BACKGROUND", (4, index), (4, index), LIGHT_COLOURS[row.light]))
    if not rows:
        data.append([Paragraph("Ingen indikatorer er registreret endnu.", cell), "", "", "", ""])
    table = Table(data, colWidths=[58 * mm, 42 * mm, 20 * mm, 24 * mm, 30 * mm], repeatRows=1)
    table.setStyle(TableStyle(style))
    story += [table, Spacer(1, 5 * mm), Paragraph("Efter tema i kvalitetsmodellen", styles["Heading2"])]
    story += _by_theme(rows, placements, cell, small)
    story += [Spacer(1, 5 * mm), Paragraph("Årshjulets opgaver", styles["Heading2"])]
    if cycle.total:
        story.append(Paragraph(escape(
            f"{cycle.done} af {cycle.total} opgaver med frist fra {format_date(cycle.start, 'd. MMMM')} "
            f"til {format_date(cycle.end, 'd. MMMM y')} er udført ({_percent(cycle.share)}; "
            f"{LIGHT_LABELS[cycle.light].lower()})."), cell))
        for task in cycle.missed:
            story.append(Paragraph(escape(f"• {format_date(task.due_on, 'd. MMMM y')}: {cycle.label(task)}"), small))
    else:
        story.append(Paragraph("Ingen opgaver i årshjulet har haft frist i år endnu.", cell))
    story += [Spacer(1, 5 * mm), Paragraph("Afvigelser", styles["Heading2"])]
    for row in rows:
        block = [Paragraph(escape(f"{row.title} ({_count(row)})"), styles["Heading4"])]
        if row.result is None:
            block.append(Paragraph("Indikatoren kunne ikke beregnes.", small))
        elif not row.exceptions:
            block.append(Paragraph("Ingen afvigelser.", small))
        else:
            findings, hidden = view.findings(row.exceptions)
            block += [Paragraph(escape(f"• {f.label}" + (f" – {f.detail}" if f.detail else "")), small)
                      for f in findings]
            if hidden:
                block.append(Paragraph(escape(hidden_text(hidden)), small))
        if len(block) <= 12:
            story.append(KeepTogether(block))
        else:
            story += block
    document.build(story, onFirstPage=_footer(title, on), onLaterPages=_footer(title, on))
    return buffer.getvalue()


def _by_theme(rows: list[Row], placements: dict, cell, small) -> list:
    """Theme by theme, each criterion with its indicators' share and status: the report as an inspector reads it."""
    story = []
    for group in by_theme(rows, placements):
        heading = f"Tema {group.number}: {group.title}" if group.number else group.title
        story.append(Paragraph(f"<b>{escape(heading)}</b>", cell))
        if not group.criteria:
            story.append(Paragraph("Ingen indikatorer giver evidens under dette tema.", small))
        for criterion in group.criteria:
            if criterion.criterion is not None:
                story.append(Paragraph(escape(f"Kriterium {criterion.criterion.label}"), small))
            story += [Paragraph(escape(f"• {row.title}: {_percent(row.share)} ({_count(row)}), "
                                       f"{LIGHT_LABELS[row.light].lower()}"), small) for row in criterion.rows]
        story.append(Spacer(1, 2 * mm))
    return story


def _footer(title: str, on: date):
    def draw(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#5a6570"))
        canvas.drawString(18 * mm, 10 * mm, f"{title} · {format_date(on, 'd. MMMM y')}")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Side {document.page}")
        canvas.restoreState()

    return draw
