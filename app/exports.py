"""What every spreadsheet export (xlsx and csv) writes into a cell: user text stays text, and stored text never
breaks the file.

- Text starting with ``= + - @``, a tab or a carriage return is what Excel and LibreOffice read as a formula
  (``=HYPERLINK(...)`` sends a cell's neighbours to another site); it gets a leading apostrophe, the
  spreadsheet programs' own "this is text" mark.
- Control characters other than tab, newline and carriage return are removed: the xlsx format cannot hold
  them (openpyxl raises ``IllegalCharacterError``), and they mean nothing in a csv cell. The forms refuse them
  (``app.forms``), but data stored before that, or by an import, must still export.

Numbers, dates and None pass through unchanged, so numbers stay numbers and dates dates; a date shows as a table
date does, 01.10.2026 (`app.web.tabledate`): in xlsx by the cell's number format, in csv as that text.

`Table` and `respond` write a table as Excel (.xlsx) or CSV with Danish headers, totals at the bottom. CSV is
semicolon-separated UTF-8 with a BOM, with decimal commas, which is what Danish Excel opens as is.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import Response, abort
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Excel's number format for `app.web.tabledate`'s 01.10.2026.
XLSX_DATE = "DD.MM.YYYY"

#: Characters no cell may hold: C0 controls except tab, newline and carriage return, DEL and the C1 controls.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Characters an xlsx sheet title cannot hold, and its length limit.
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_TITLE_MAX = 31


def clean_text(text: str) -> str:
    """`text` without the control characters a spreadsheet cannot hold."""
    return CONTROL_CHARACTERS.sub("", text)


def cell(value):
    """`value` as a spreadsheet cell: text cleaned and kept from being read as a formula, anything else as is."""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def row(values) -> list:
    """Every value of a row through `cell`."""
    return [cell(value) for value in values]


def sheet_title(text: str) -> str:
    """A valid xlsx sheet title from user text (a department's name may hold ``/`` or ``:``)."""
    title = _SHEET_TITLE_FORBIDDEN.sub("-", clean_text(text)).strip("'")[:_SHEET_TITLE_MAX]
    return title or "Ark"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    totals: list | None = None


def _number(value):
    return float(value) if isinstance(value, Decimal) else cell(value)


def to_xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(table.title)
    sheet.append(row(table.headers))
    for heading in sheet[1]:
        heading.font = Font(bold=True)
    for values in table.rows:
        sheet.append([_number(v) for v in values])
    if table.totals:
        sheet.append([_number(v) for v in table.totals])
        for total in sheet[sheet.max_row]:
            total.font = Font(bold=True)
    for column in sheet.iter_cols(min_row=2):
        for number in column:
            if isinstance(number.value, float):
                number.number_format = "#,##0.00"
            elif isinstance(number.value, date):
                number.number_format = XLSX_DATE
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    if isinstance(value, date):
        from app.web import tabledate

        return tabledate(value)
    return cell(str(value))


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headers)
    for values in table.rows:
        writer.writerow([_csv_value(v) for v in values])
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
