"""The report page: one row per indicator with guideline, share, count, traffic light and exceptions by name."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.hooks import IndicatorResult
from app.people.models import Home, User
from tests.factories import make_user
from tests.quality.helpers import build_home, login


@pytest.fixture
def home(app):
    with app.app_context():
        return build_home()


def _row(html: str, key: str) -> str:
    start = html.index(f'data-indicator="{key}"')
    return html[start:html.index("</tr>", start)]


@pytest.mark.parametrize(("met", "total", "light"), [
    (19, 20, "green"),   # 95 %: exactly the green threshold
    (189, 200, "yellow"),  # 94.5 %: just under it
    (16, 20, "yellow"),  # 80 %: exactly the yellow threshold
    (159, 200, "red"),   # 79.5 %: just under it
    (0, 0, "none"),      # nothing to count
])
def test_traffic_light_at_the_thresholds(app, client, home, registry, met, total, light):
    registry.fixed("test.one", met, total, title="Testindikator")
    login(client, home.head)
    html = client.get("/quality/").get_data(as_text=True)
    row = _row(html, "test.one")
    assert f"light-{light}" in row
    if total:
        assert f"{met} af {total}" in row
    else:
        assert "Ingen data" in row


def test_thresholds_are_a_home_setting(app, client, home, registry):
    with app.app_context():
        db.session.get(Home, home.home_id).settings = {"quality_green": 90, "quality_yellow": 70}
        db.session.commit()
    registry.fixed("test.ninety", 9, 10)
    registry.fixed("test.seventy", 7, 10)
    registry.fixed("test.sixtynine", 69, 100)
    login(client, home.head)
    html = client.get("/quality/").get_data(as_text=True)
    assert "light-green" in _row(html, "test.ninety")
    assert "light-yellow" in _row(html, "test.seventy")
    assert "light-red" in _row(html, "test.sixtynine")
    assert "grøn fra 90 %, gul fra 70 %" in html


def test_rows_follow_the_indicator_order_and_name_their_guideline(app, client, home, registry):
    registry.fixed("test.second", 1, 1, order=20, title="Anden indikator", slug="mus-og-lus")
    registry.fixed("test.first", 1, 2, order=10, title="Første indikator", slug="kompetenceudvikling",
                   exceptions=[("Bo Bech", "/people/1")])
    login(client, home.head)
    html = client.get("/quality/").get_data(as_text=True)
    assert html.index("Første indikator") < html.index("Anden indikator")
    first = _row(html, "test.first")
    assert "50,0 %" in first and "1 af 2" in first
    assert "1 afvigelse<" in first and "/quality/indicator/test.first" in first
    assert "Kompetenceudvikling" in first


def test_exceptions_page_lists_people_by_name(app, client, home, registry):
    registry.fixed("test.one", 1, 3, title="Testindikator",
                   exceptions=[("Bo Bech", "/people/7"), ("Åse Ågård", None)])
    login(client, home.head)
    response = client.get("/quality/indicator/test.one")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<a href="/people/7">Bo Bech</a>' in html and "Åse Ågård" in html
    assert "33,3 % (1 af 3)" in html
    assert client.get("/quality/indicator/no.such").status_code == 404


def test_no_indicators_is_an_empty_state_not_an_error(app, client, home, registry):
    login(client, home.head)
    response = client.get("/quality/")
    assert response.status_code == 200
    assert "ingen indikatorer at vise" in response.get_data(as_text=True)


def test_a_failing_indicator_does_not_hide_the_others(app, client, home, registry):
    @registry.add("test.broken", "Ødelagt indikator")
    def broken(home, department_id, on):
        raise RuntimeError("boom")

    @registry.add("test.impossible", "Umulig indikator")
    def impossible(home, department_id, on):
        return IndicatorResult(5, 3)

    registry.fixed("test.fine", 3, 3, title="Fin indikator")
    login(client, home.head)
    response = client.get("/quality/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "light-error" in _row(html, "test.broken") and "light-error" in _row(html, "test.impossible")
    assert "light-green" in _row(html, "test.fine")
    assert client.get("/quality/indicator/test.broken").status_code == 200


def test_department_scope_passes_the_department_to_the_indicator(app, client, home, registry):
    seen = []

    @registry.add("test.scope")
    def scope(home_obj, department_id, on):
        seen.append((home_obj.id, department_id))
        return IndicatorResult(1, 1)

    login(client, home.head)
    assert client.get("/quality/").status_code == 200
    assert client.get(f"/quality/?afdeling={home.dep_b}").status_code == 200
    assert seen == [(home.home_id, None), (home.home_id, home.dep_b)]


def test_department_of_another_home_is_not_found(app, client, home, registry):
    registry.fixed("test.one", 1, 1)
    with app.app_context():
        other = build_home("Egely")
    login(client, home.head)
    assert client.get(f"/quality/?afdeling={other.dep_a}").status_code == 404
    assert client.get(f"/quality/indicator/test.one?afdeling={other.dep_a}").status_code == 404
    assert client.get(f"/quality/report.pdf?afdeling={other.dep_a}").status_code == 404
    assert client.get("/quality/?afdeling=999999").status_code == 404
    assert client.get("/quality/?afdeling=abc").status_code == 404


def test_leader_sees_only_their_own_department(app, client, home, registry):
    registry.fixed("test.one", 1, 1)
    login(client, home.leader)
    response = client.get("/quality/")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/quality/?afdeling={home.dep_a}")
    assert client.get(f"/quality/?afdeling={home.dep_a}").status_code == 200
    assert client.get(f"/quality/?afdeling={home.dep_b}").status_code == 403
    assert client.get(f"/quality/indicator/test.one?afdeling={home.dep_b}").status_code == 403


def test_person_who_left_drops_out_on_the_leaving_date(app, client, home, staff_indicator, set_today):
    """End to end with a test indicator: the day before leaving they count, on the day they do not."""
    leaving = date(2026, 5, 15)
    with app.app_context():
        h = db.session.get(Home, home.home_id)
        make_user(h, [h.departments[0]], name="Lise Lærling", profession="care_assistant",
                  hired_on=date(2020, 1, 1), left_on=leaving)
        db.session.commit()
    login(client, home.head)
    set_today(leaving - timedelta(days=1))
    html = client.get(f"/quality/indicator/{staff_indicator}").get_data(as_text=True)
    assert "Lise Lærling" in html
    set_today(leaving)
    html = client.get(f"/quality/indicator/{staff_indicator}").get_data(as_text=True)
    assert "Lise Lærling" not in html
    assert "Mona Mini-MED" in html


def test_report_and_snapshot_use_the_same_definition(app, client, runner, home, staff_indicator, set_today):
    set_today(date(2026, 5, 15))
    with app.app_context():
        h = db.session.get(Home, home.home_id)
        make_user(h, [h.departments[0]], name="Lise Lærling", profession="care_assistant",
                  hired_on=date(2020, 1, 1), left_on=date(2026, 5, 15))
        db.session.commit()
    assert runner.invoke(args=["quality", "snapshot"]).exit_code == 0
    login(client, home.head)
    row = _row(client.get("/quality/").get_data(as_text=True), staff_indicator)
    from sqlalchemy import select

    from app.quality.models import QualitySnapshot

    with app.app_context():
        stored = db.session.scalar(select(QualitySnapshot).where(QualitySnapshot.scope == 0))
        count = db.session.query(User).filter(User.home_id == home.home_id).count()
    assert f"{stored.met} af {stored.total}" in row
    assert stored.total == count - 1  # everyone but the one who left today


def test_page_has_no_inline_styles_or_scripts(app, client, home, registry):
    registry.fixed("test.one", 1, 2, exceptions=[("Bo", None)])
    login(client, home.head)
    for url in ("/quality/", "/quality/indicator/test.one", "/quality/tokens"):
        html = client.get(url).get_data(as_text=True)
        assert "style=" not in html and "<script>" not in html and " onclick=" not in html, url


def test_report_exceptions_and_pdf_show_a_change_at_once(app, client, home, staff_indicator):
    """The figures are kept per data version; a new colleague shows on the next load of every view of them."""
    from tests.quality.conftest import pdf_text

    login(client, home.head)
    before = _row(client.get("/quality/").get_data(as_text=True), staff_indicator)
    assert "Lise Lærling" not in client.get(f"/quality/indicator/{staff_indicator}").get_data(as_text=True)
    assert "Lise Lærling" not in pdf_text(client.get("/quality/report.pdf").data)
    with app.app_context():
        h = db.session.get(Home, home.home_id)
        make_user(h, [h.departments[0]], name="Lise Lærling", profession="care_assistant", hired_on=date(2020, 1, 1))
        db.session.commit()
    after = _row(client.get("/quality/").get_data(as_text=True), staff_indicator)
    assert after != before
    assert "Lise Lærling" in client.get(f"/quality/indicator/{staff_indicator}").get_data(as_text=True)
    assert "Lise Lærling" in pdf_text(client.get("/quality/report.pdf").data)
