"""The home's talk status as an Excel workbook: one sheet for MU, one for LU; Danish headers, real dates."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app import exports as spreadsheet

HEADERS = ["Navn", "Afdeling(er)", "Ansat fra", "Seneste samtale", "Næste forventede", "Planlagt", "Status",
           "Afholdt i år"]
DATE_FORMAT = "DD-MM-YYYY"


def _sheet(ws, title: str, rows) -> None:
    ws.title = title
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(spreadsheet.row([r.person.name, ", ".join(d.name for d in r.person.departments), r.person.hired_on,
                                   r.last_on, r.expected_on, r.planned_on, r.label,
                                   "Ja" if r.done_this_year else "Nej"]))
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=6):
        for cell in row:
            cell.number_format = DATE_FORMAT
    for index, width in enumerate([28, 28, 13, 15, 17, 13, 14, 12], start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"


def talk_status_workbook(home_name: str, today: date, mu_rows, lu_rows) -> BytesIO:
    workbook = Workbook()
    _sheet(workbook.active, "MU-samtaler", mu_rows)
    if lu_rows:
        _sheet(workbook.create_sheet(), "LU-samtaler", lu_rows)
    workbook.properties.title = spreadsheet.clean_text(f"Samtalestatus {home_name} {today.isoformat()}")
    workbook.properties.creator = "Kompetenceportalen"
    stream = BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream
