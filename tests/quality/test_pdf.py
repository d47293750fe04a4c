"""The A4 PDF for an inspector: home, date, every indicator with its figures and its exceptions by name."""

from datetime import date
from pathlib import Path

import pytest

from app.hooks import IndicatorResult
from tests.quality.conftest import pdf_text
from tests.quality.helpers import build_home, login


@pytest.fixture
def home(app):
    with app.app_context():
        return build_home("Specialbørnehjemmene")


def test_pdf_holds_home_date_indicators_and_exceptions(app, client, home, registry, set_today):
    set_today(date(2026, 10, 2))
    registry.fixed("test.wishes", 18, 20, title="Ønsker afleveret senest 1. oktober",
                   exceptions=[("Søren Ærø", "/people/1"), ("Åse Østergaard", None)])
    registry.fixed("test.empty", 0, 0, title="Vikarer til vikarmøde")

    @registry.add("test.broken", "Ødelagt indikator")
    def broken(home, department_id, on):
        raise RuntimeError("boom")

    login(client, home.head)
    response = client.get("/quality/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = response.get_data()
    assert data.startswith(b"%PDF")
    assert b"/Title (Kvalitetsoverv\\345gning \\205 Specialb\\370rnehjemmene)" in data
    text = pdf_text(data)
    assert "Kvalitetsovervågning – Specialbørnehjemmene" in text
    assert "Hele tilbuddet · opgjort 2. oktober 2026" in text
    assert "Ønsker afleveret senest 1. oktober" in text and "90,0 %" in text and "18 af 20" in text
    assert "• Søren Ærø" in text and "• Åse Østergaard" in text
    assert "Ingen data" in text and "Indikatoren kunne ikke beregnes." in text
    assert "Side 1" in text


def test_pdf_for_one_department(app, client, home, registry, set_today):
    set_today(date(2026, 10, 2))
    seen = []

    @registry.add("test.scope", "Afdelingens indikator")
    def scope(home_obj, department_id, on):
        seen.append(department_id)
        return IndicatorResult(1, 1)

    login(client, home.head)
    response = client.get(f"/quality/report.pdf?afdeling={home.dep_a}")
    assert response.status_code == 200 and seen == [home.dep_a]
    assert "Skovbrynet · opgjort" in pdf_text(response.get_data())
    assert f"afdeling-{home.dep_a}" in response.headers["Content-Disposition"]


def test_pdf_with_many_exceptions_runs_over_pages(app, client, home, registry):
    registry.fixed("test.many", 0, 300, title="Mange afvigelser",
                   exceptions=[(f"Person {n}", None) for n in range(300)])
    login(client, home.head)
    text = pdf_text(client.get("/quality/report.pdf").get_data())
    assert "• Person 0" in text and "• Person 299" in text and "Side 3" in text


def test_print_stylesheet_is_linked_and_sets_a4(app, client, home, registry):
    login(client, home.head)
    html = client.get("/quality/").get_data(as_text=True)
    assert 'href="/static/quality.css"' in html and "data-print" in html
    css = (Path(app.static_folder) / "quality.css").read_text()
    assert "@media print" in css and "size: A4" in css
