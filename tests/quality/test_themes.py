"""Every indicator names the theme and criterion of Socialtilsynet's quality model it gives evidence for; the home
edits the table, and the report reads per theme."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app import hooks
from app.audit.models import AuditEntry
from app.extensions import db
from app.people.models import Home
from app.quality import themes
from app.quality.models import IndicatorTheme
from tests.quality.conftest import pdf_text
from tests.quality.helpers import build_home, login


@pytest.fixture
def home(app):
    with app.app_context():
        return build_home()


def _section(html: str, attribute: str, value: str) -> str:
    """The element opened with data-<attribute>="value", up to the next one of its kind (or the end)."""
    start = html.index(f'data-{attribute}="{value}"')
    following = html.find(f"data-{attribute}=", start + 1)
    return html[start:following if following != -1 else len(html)]


def _row(html: str, key: str) -> str:
    start = html.index(f'data-indicator="{key}"')
    return html[start:html.index("</tr>", start)]


def _place(app, home, key, theme, criterion):
    from app.people.models import User

    with app.app_context():
        actor = db.session.scalar(select(User).where(User.email == home.head))
        themes.place(db.session.get(Home, home.home_id), key, theme, criterion, "", actor)
        db.session.commit()


def _rows_stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(IndicatorTheme))


def test_every_registered_indicator_has_a_default_theme(app):
    registered = [i.key for i in hooks.indicators()]
    assert len(registered) >= 16  # the real registry, not a test's
    missing = [key for key in registered if key not in themes.DEFAULTS]
    assert missing == [], f"no default theme for {missing}: add them to app/quality/themes.DEFAULTS"
    for key, default in themes.DEFAULTS.items():
        assert key in registered, f"default for an indicator nobody registers: {key}"
        assert themes.check(default.theme, default.criterion) == (default.theme, default.criterion), key


def test_the_model_has_seven_themes_and_each_criterion_one_theme():
    assert sorted(themes.THEMES) == [1, 2, 3, 4, 5, 6, 7]
    assert themes.THEMES[6] == "Kompetencer" and themes.THEMES[4] == "Sundhed og trivsel"
    for number in themes.THEMES:
        assert themes.criteria_of(number), number
    # As the supervisory authority cites them: use of force (6a, 6b) and abuse (7a) under Sundhed og trivsel.
    assert {themes.CRITERIA[code].theme for code in ("6a", "6b", "7a")} == {4}
    assert themes.CRITERIA["10a"].theme == 6


def test_each_row_of_the_report_names_its_theme_and_criterion(app, client, home, registry, monkeypatch):
    monkeypatch.setitem(themes.DEFAULTS, "test.mapped", themes.Default(6, "10a"))
    registry.fixed("test.mapped", 1, 2, title="Placeret indikator")
    registry.fixed("test.loose", 1, 1, title="Løs indikator")
    login(client, home.head)
    html = client.get("/quality/").get_data(as_text=True)
    mapped = _row(html, "test.mapped")
    assert "Tema 6 Kompetencer" in mapped and "10a: Medarbejderne har uddannelse" in mapped
    assert "Intet tema" in _row(html, "test.loose") and "Tema " not in _row(html, "test.loose")


def test_the_per_theme_view_groups_theme_then_criterion(app, client, home, registry, monkeypatch):
    monkeypatch.setitem(themes.DEFAULTS, "test.temps", themes.Default(6, "10c"))
    monkeypatch.setitem(themes.DEFAULTS, "test.courses", themes.Default(6, "10a"))
    monkeypatch.setitem(themes.DEFAULTS, "test.force", themes.Default(4, "6a"))
    monkeypatch.setitem(themes.DEFAULTS, "test.plans", themes.Default(6, "10a"))
    registry.fixed("test.temps", 3, 4, title="Vikarindikator", order=1)
    registry.fixed("test.courses", 1, 2, title="Kursusindikator", order=2, exceptions=[("Bo Bech", None)])
    registry.fixed("test.force", 5, 5, title="Magtindikator", order=3)
    registry.fixed("test.plans", 0, 0, title="Planindikator", order=4)
    registry.fixed("test.loose", 2, 2, title="Løs indikator", order=5)
    login(client, home.head)
    response = client.get("/quality/by-theme")
    assert response.status_code == 200
    html = response.get_data(as_text=True)

    order = re.findall(r'data-theme="(\w+)"', html)
    assert order == ["1", "2", "3", "4", "5", "6", "7", "none"]
    assert "Ingen indikatorer giver evidens under dette tema" in _section(html, "theme", "7")

    competences = _section(html, "theme", "6")
    assert "3 indikatorer · 2 røde<" in competences  # 75 % and 50 % are red; nothing counted has no light
    assert "1 indikator · 1 grøn<" in _section(html, "theme", "4")
    assert re.findall(r'data-criterion="(\w+)"', competences) == ["10a", "10c"]  # the model's order, not the rows'
    courses = _section(competences, "criterion", "10a")
    assert re.findall(r'data-indicator="([\w.]+)"', courses) == ["test.courses", "test.plans"]
    assert "Kriterium 10a: Medarbejderne har uddannelse" in courses
    assert "1 af 2" in _row(courses, "test.courses") and "1 afvigelse<" in _row(courses, "test.courses")
    assert "Bo Bech" not in html
    assert re.findall(r'data-indicator="([\w.]+)"', _section(competences, "criterion", "10c")) == ["test.temps"]
    assert re.findall(r'data-indicator="([\w.]+)"', _section(html, "theme", "4")) == ["test.force"]
    loose = _section(html, "theme", "none")
    assert "Intet tema" in loose and re.findall(r'data-indicator="([\w.]+)"', loose) == ["test.loose"]


def test_the_per_theme_view_keeps_the_department_scope(app, client, home, registry):
    registry.fixed("test.a", 1, 1)
    login(client, home.leader)  # leads Skovbrynet only: sent to its report, per theme too
    response = client.get("/quality/by-theme")
    assert response.status_code == 302 and f"afdeling={home.dep_a}" in response.headers["Location"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Skovbrynet" in html and 'aria-current="page">Efter tema' in html


def test_the_heads_edit_changes_the_report_the_pdf_and_the_api(app, client, home, registry, monkeypatch):
    monkeypatch.setitem(themes.DEFAULTS, "test.a", themes.Default(6, "10a"))
    registry.fixed("test.a", 1, 2, title="Testindikator")
    login(client, home.head)
    assert "Tema 6 Kompetencer" in _row(client.get("/quality/").get_data(as_text=True), "test.a")

    page = client.get("/quality/themes/test.a").get_data(as_text=True)
    assert '<option selected value="10a">' in page or 'value="10a" selected' in page
    response = client.post("/quality/themes/test.a", data={"theme": "4", "criterion": "7a",
                                                          "note": "Vist på tilsynsbesøget"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/quality/themes")
    table = client.get("/quality/themes").get_data(as_text=True)
    assert "Tema 4 Sundhed og trivsel" in _row(table, "test.a") and "Vist på tilsynsbesøget" in _row(table, "test.a")

    row = _row(client.get("/quality/").get_data(as_text=True), "test.a")
    assert "Tema 4 Sundhed og trivsel" in row and "7a:" in row and "Kompetencer" not in row
    by_theme = client.get("/quality/by-theme").get_data(as_text=True)
    assert "test.a" in _section(by_theme, "theme", "4") and "test.a" not in _section(by_theme, "theme", "6")
    assert "Tema 4 Sundhed og trivsel · 7a" in pdf_text(client.get("/quality/report.pdf").data)

    key = client.post("/quality/tokens", data={"label": "BI"}).get_data(as_text=True)
    raw = re.search(r"kq_[\w-]+", key).group(0)
    client.post("/auth/logout")
    api = client.get("/quality/api/current.json", headers={"Authorization": f"Bearer {raw}"}).get_json()
    assert [(r["key"], r["theme"], r["theme_title"], r["criterion"]) for r in api["rows"]] == [
        ("test.a", 4, "Sundhed og trivsel", "7a")]
    with app.app_context():
        stored = db.session.scalar(select(IndicatorTheme))
        assert (stored.theme, stored.criterion, stored.changed_by_id is not None) == (4, "7a", True)
        assert db.session.scalar(select(AuditEntry.summary).where(AuditEntry.action == "quality.theme_changed"))


def test_a_second_edit_changes_the_same_row(app, client, home, registry):
    registry.fixed("test.a", 1, 2)
    login(client, home.head)
    assert client.post("/quality/themes/test.a", data={"theme": "1", "criterion": "1a"}).status_code == 302
    assert client.post("/quality/themes/test.a", data={"theme": "7", "criterion": "11c"}).status_code == 302
    with app.app_context():
        assert [(r.theme, r.criterion) for r in db.session.scalars(select(IndicatorTheme))] == [(7, "11c")]


@pytest.mark.parametrize(("data", "message"), [
    ({"theme": "0", "criterion": "1a"}, "Vælg et tema fra 1 til 7."),
    ({"theme": "8", "criterion": "10a"}, "Vælg et tema fra 1 til 7."),
    ({"theme": "x", "criterion": "10a"}, "Vælg et tema fra 1 til 7."),
    ({"theme": "", "criterion": ""}, "Vælg et tema fra 1 til 7."),
    ({"theme": "6", "criterion": "7a"}, "Kriterium 7a hører under tema 4 Sundhed og trivsel, ikke under tema 6"),
    ({"theme": "6", "criterion": "12a"}, "Vælg et kriterium fra kvalitetsmodellen."),
    ({"theme": "6", "criterion": ""}, "Vælg et kriterium fra kvalitetsmodellen."),
    ({"theme": "6", "criterion": "10a", "note": "x" * 301}, "Noten må højst være 300 tegn."),
])
def test_bad_input_is_refused_in_danish_and_changes_nothing(app, client, home, registry, monkeypatch, data,
                                                            message):
    monkeypatch.setitem(themes.DEFAULTS, "test.a", themes.Default(5, "8a"))
    registry.fixed("test.a", 1, 2)
    login(client, home.head)
    response = client.post("/quality/themes/test.a", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _rows_stored(app) == 0
    assert "Tema 5 Organisation og ledelse" in _row(client.get("/quality/").get_data(as_text=True), "test.a")


@pytest.mark.parametrize(("theme", "criterion"), [("1", "1a"), ("7", "11c"), ("6", "10A")])
def test_the_edges_of_the_model_are_accepted(app, client, home, registry, theme, criterion):
    registry.fixed("test.a", 1, 2)
    login(client, home.head)
    assert client.post("/quality/themes/test.a", data={"theme": theme, "criterion": criterion}).status_code == 302
    with app.app_context():
        stored = db.session.scalar(select(IndicatorTheme))
        assert (stored.theme, stored.criterion) == (int(theme), criterion.lower())


@pytest.mark.parametrize("who", ["leader", "minimed", "employee", "temp", "admin"])
def test_only_the_head_edits_the_table(app, client, home, registry, who):
    registry.fixed("test.a", 1, 2)
    login(client, getattr(home, who))
    assert client.get("/quality/themes").status_code == 403
    assert client.get("/quality/themes/test.a").status_code == 403
    assert client.post("/quality/themes/test.a", data={"theme": "4", "criterion": "7a"}).status_code == 403
    assert _rows_stored(app) == 0
    assert "/quality/themes" not in client.get("/quality/").get_data(as_text=True)


def test_the_edit_needs_its_csrf_token(app, client, home, registry):
    registry.fixed("test.a", 1, 2)
    login(client, home.head)
    response = client.post("/quality/themes/test.a", data={"theme": "4", "criterion": "7a"}, csrf=False)
    assert response.status_code == 400
    assert _rows_stored(app) == 0


def test_an_unknown_indicator_is_not_found(app, client, home, registry):
    registry.fixed("test.a", 1, 2)
    login(client, home.head)
    assert client.get("/quality/themes/test.nope").status_code == 404
    assert client.post("/quality/themes/test.nope", data={"theme": "4", "criterion": "7a"}).status_code == 404
    assert _rows_stored(app) == 0


def test_one_homes_table_leaves_another_home_alone(app, client, home, registry, monkeypatch):
    monkeypatch.setitem(themes.DEFAULTS, "test.a", themes.Default(6, "10a"))
    registry.fixed("test.a", 1, 2)
    with app.app_context():
        other = build_home("Mælkebøtten")
    _place(app, other, "test.a", 4, "6b")
    login(client, home.head)
    assert "Tema 6 Kompetencer" in _row(client.get("/quality/").get_data(as_text=True), "test.a")
    client.post("/auth/logout")
    login(client, other.head)
    assert "Tema 4 Sundhed og trivsel" in _row(client.get("/quality/").get_data(as_text=True), "test.a")
