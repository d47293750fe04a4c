"""Excel (.xlsx) and CSV exports with Danish headers: numbers stay numbers, totals at the bottom.

CSV is semicolon-separated UTF-8 with a BOM, with decimal commas, which is what Danish Excel opens as is.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from flask import Response, abort
from openpyxl import Workbook
from openpyxl.styles import Font

from app import exports as spreadsheet
from app.web import dadate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    totals: list | None = None


def _number(value):
    return float(value) if isinstance(value, Decimal) else spreadsheet.cell(value)


def wish_table(wishes, title: str) -> Table:
    table = Table(title, ["Afdeling", "Medarbejder", "Type", "Ønske", "Udbyder", "Pris (kr.)", "Dage", "Timer",
                          "Metoder", "Ansvarsområder", "Begrundelse", "Prioritet", "Indsendt", "For sent",
                          "Udfald"])
    total = Decimal("0")
    for wish in wishes:
        total += wish.cost
        table.rows.append([
            wish.department.name, wish.user.name if wish.user else "Afdelingens ønske", wish.kind_label, wish.title,
            wish.provider, wish.cost, wish.days, wish.hours, ", ".join(m.name for m in wish.methods),
            wish.responsibility_areas, wish.reason, wish.priority, dadate(wish.submitted_at, "short"),
            "Ja" if wish.is_late else "Nej", wish.outcome_label if wish.outcome else ""])
    table.totals = ["I alt", f"{len(table.rows)} ønsker", "", "", "", total] + [""] * 9
    return table


def distribution_table(dist, departments_by_id: dict) -> Table:
    table = Table(f"Fordeling {dist.year} rev. {dist.revision}",
                  ["Kategori", "Afdeling", "Titel", "Supervisor", "Sessioner", "Timer", "Udfald", "Beløb (kr.)",
                   "Bemærkning"])
    from app.competence.models import OUTCOME_LABELS

    for line in dist.lines:
        department = departments_by_id.get(line.department_id)
        table.rows.append([line.category_label, department.name if department else "Hele tilbuddet", line.title,
                           line.supervisor, line.sessions, line.hours, OUTCOME_LABELS.get(line.wish_outcome or "", ""),
                           line.amount, line.note])
    table.rows.append([])
    table.rows.append(["Ramme", "", "", "", "", "", "", dist.budget, ""])
    table.rows.append(["Rest", "", "", "", "", "", "", dist.remaining, ""])
    table.totals = ["I alt", "", "", "", "", "", "", dist.total, ""]
    return table


def to_xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = spreadsheet.sheet_title(table.title)
    sheet.append(spreadsheet.row(table.headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_number(v) for v in row])
    if table.totals:
        sheet.append([_number(v) for v in table.totals])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    return spreadsheet.cell(str(value))


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_value(v) for v in row])
    if table.totals:
        writer.writerow([_csv_value(v) for v in table.totals])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def respond(table: Table, fmt: str, filename: str) -> Response:
    if fmt == "xlsx":
        body, mimetype = to_xlsx(table), XLSX
    elif fmt == "csv":
        body, mimetype = to_csv(table), "text/csv; charset=utf-8"
    else:
        abort(404)
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
