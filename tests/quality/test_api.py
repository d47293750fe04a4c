"""API keys (created once, stored as a hash, revocable) and the read-only JSON/CSV endpoints they open."""

import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.quality.models import QualityApiToken, QualitySnapshot
from tests.quality.helpers import build_home, login


@pytest.fixture
def homes(app):
    with app.app_context():
        return build_home("Solsikken"), build_home("Egely")


def _create_key(client, label="Regionens BI") -> str:
    response = client.post("/quality/tokens", data={"label": label})
    assert response.status_code == 200
    match = re.search(r'<code class="api-key">([^<]+)</code>', response.get_data(as_text=True))
    assert match
    return match.group(1)


def _bearer(key):
    return {"Authorization": f"Bearer {key}"}


def test_head_creates_a_key_shown_once_and_stored_only_as_a_hash(app, client, homes, registry):
    login(client, homes[0].head)
    key = _create_key(client)
    with app.app_context():
        token = db.session.scalar(select(QualityApiToken))
        assert token.home_id == homes[0].home_id and token.label == "Regionens BI"
        assert key not in (token.token_hash, token.hint) and key.startswith(token.hint)
    page = client.get("/quality/tokens").get_data(as_text=True)
    assert "Regionens BI" in page and key not in page


def test_key_name_with_control_characters_is_refused(app, client, homes, registry):
    login(client, homes[0].head)
    response = client.post("/quality/tokens", data={"label": "Regionens\x00 BI\x1b"})
    assert response.status_code == 400 and "usynlige kontroltegn" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(QualityApiToken.label)) is None


def test_key_needs_a_name(app, client, homes, registry):
    login(client, homes[0].head)
    response = client.post("/quality/tokens", data={"label": "  "})
    assert response.status_code == 400 and "Giv nøglen et navn" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(QualityApiToken)) is None


def test_current_figures_as_json_and_csv(app, client, homes, registry, set_today):
    set_today(date(2026, 3, 10))
    registry.fixed("test.a", 3, 4, title="Test A", exceptions=[("Bo Bech", "/people/1")])
    login(client, homes[0].head)
    key = _create_key(client)
    client.post("/auth/logout")
    response = client.get("/quality/api/current.json", headers=_bearer(key))
    assert response.status_code == 200
    data = response.get_json()
    assert data["home"] == "Solsikken" and data["on"] == "2026-03-10"
    assert data["rows"] == [{"on": "2026-03-10", "department_id": None, "department": None, "key": "test.a",
                             "title": "Test A", "guideline": "kompetenceudvikling", "theme": None,
                             "theme_title": None, "criterion": None, "met": 3, "total": 4,
                             "share": 75.0, "light": "red"}]
    assert "Bo Bech" not in response.get_data(as_text=True)  # figures, not names
    response = client.get(f"/quality/api/current.csv?department={homes[0].dep_b}", headers=_bearer(key))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["department"] == "Fyrtårnet" and rows[0]["met"] == "3" and rows[0]["share"] == "75.0"
    with app.app_context():
        assert db.session.scalar(select(QualityApiToken.last_used_at)) is not None


def test_history_from_the_snapshots(app, client, homes, registry, set_today):
    set_today(date(2026, 3, 10))
    home = homes[0]
    with app.app_context():
        for month, scope in [(date(2025, 3, 1), 0), (date(2025, 4, 1), 0), (date(2026, 2, 1), 0),
                             (date(2026, 2, 1), home.dep_a)]:
            db.session.add(QualitySnapshot(home_id=home.home_id, indicator_key="test.a", scope=scope,
                                           department_id=scope or None, month_on=month, measured_on=month,
                                           title="Test A", met=1, total=2))
        other = homes[1]
        db.session.add(QualitySnapshot(home_id=other.home_id, indicator_key="test.a", scope=0,
                                       month_on=date(2026, 2, 1), measured_on=date(2026, 2, 1), met=2, total=2))
        db.session.commit()
    login(client, home.head)
    key = _create_key(client)
    data = client.get("/quality/api/history.json", headers=_bearer(key)).get_json()
    assert (data["from"], data["to"]) == ("2025-04", "2026-03")
    assert [(r["month"], r["department_id"]) for r in data["rows"]] == [("2025-04", None), ("2026-02", None)]
    data = client.get("/quality/api/history.json?from=2025-03&to=2025-03", headers=_bearer(key)).get_json()
    assert [r["month"] for r in data["rows"]] == ["2025-03"]
    data = client.get("/quality/api/history.json?department=all&from=2026-02", headers=_bearer(key)).get_json()
    assert [(r["department"], r["share"]) for r in data["rows"]] == [(None, 50.0), ("Skovbrynet", 50.0)]
    text = client.get(f"/quality/api/history.csv?department={home.dep_a}", headers=_bearer(key)).get_data(
        as_text=True)
    assert text.splitlines()[0].startswith("month,department_id,department,key")
    assert "2026-02," in text and len(text.splitlines()) == 2


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer kq_wrong"}, {"Authorization": "Basic abc"}])
def test_missing_or_wrong_key_is_refused_without_data(app, client, homes, registry, headers):
    registry.fixed("test.a", 1, 1, title="Hemmelig titel")
    for url in ("/quality/api/current.json", "/quality/api/history.csv", "/quality/api/current.json?token=nope"):
        response = client.get(url, headers=headers)
        assert response.status_code == 401, url
        assert "Hemmelig" not in response.get_data(as_text=True) and "Solsikken" not in response.get_data(
            as_text=True)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_key_stops_working(app, client, homes, registry):
    registry.fixed("test.a", 1, 1)
    login(client, homes[0].head)
    key = _create_key(client)
    assert client.get("/quality/api/current.json", headers=_bearer(key)).status_code == 200
    with app.app_context():
        token_id = db.session.scalar(select(QualityApiToken.id))
    response = client.post(f"/quality/tokens/{token_id}/revoke")
    assert response.status_code == 302
    assert client.get("/quality/api/current.json", headers=_bearer(key)).status_code == 401
    assert client.post(f"/quality/tokens/{token_id}/revoke").status_code == 400
    assert "Tilbagekaldt" in client.get("/quality/tokens").get_data(as_text=True)


def test_key_opens_only_its_own_home(app, client, homes, registry, set_today):
    set_today(date(2026, 3, 10))
    registry.fixed("test.a", 1, 1)
    login(client, homes[0].head)
    key = _create_key(client)
    other = homes[1]
    for url in (f"/quality/api/current.json?department={other.dep_a}",
                f"/quality/api/history.json?department={other.dep_a}",
                "/quality/api/current.csv?department=abc"):
        response = client.get(url, headers=_bearer(key))
        assert response.status_code == 404, url
        assert "Egely" not in response.get_data(as_text=True)


@pytest.mark.parametrize(("query", "status"), [
    ("to=2026-04", 400),       # next month: the future
    ("from=2026-04", 400),
    ("to=2026-03", 200),       # this month is fine
    ("from=2026-13", 400),
    ("from=marts", 400),
    ("from=2026-03&to=2026-01", 400),
    ("from=2010-01", 400),     # more than ten years at once
])
def test_history_months_are_checked(app, client, homes, registry, set_today, query, status):
    set_today(date(2026, 3, 31))
    login(client, homes[0].head)
    key = _create_key(client)
    response = client.get(f"/quality/api/history.json?{query}", headers=_bearer(key))
    assert response.status_code == status, response.get_json()
    if status == 400:
        assert set(response.get_json()) == {"error"}


def test_unknown_format_is_not_found(app, client, homes, registry):
    login(client, homes[0].head)
    key = _create_key(client)
    assert client.get("/quality/api/current.xml", headers=_bearer(key)).status_code == 404


def test_only_the_head_manages_keys_of_their_own_home(app, client, homes, registry, make_client):
    login(client, homes[0].head)
    _create_key(client)
    with app.app_context():
        token_id = db.session.scalar(select(QualityApiToken.id))
    for email in (homes[0].minimed, homes[0].leader, homes[0].employee, homes[0].admin):
        other = make_client()
        login(other, email)
        assert other.get("/quality/tokens").status_code == 403, email
        assert other.post(f"/quality/tokens/{token_id}/revoke").status_code == 403, email
    stranger = make_client()
    login(stranger, homes[1].head)
    assert stranger.post(f"/quality/tokens/{token_id}/revoke").status_code == 404
    assert "Regionens BI" not in stranger.get("/quality/tokens").get_data(as_text=True)


def test_revoking_needs_a_csrf_token(app, client, homes, registry):
    login(client, homes[0].head)
    _create_key(client)
    with app.app_context():
        token_id = db.session.scalar(select(QualityApiToken.id))
    assert client.post(f"/quality/tokens/{token_id}/revoke", csrf=False).status_code == 400
    with app.app_context():
        assert db.session.get(QualityApiToken, token_id).is_active


def _data_version(app) -> int:
    from app.cache import DataVersion

    with app.app_context():
        return db.session.scalar(select(DataVersion.value)) or 0


def test_a_key_in_the_url_is_not_accepted(app, client, homes, registry):
    login(client, homes[0].head)
    key = _create_key(client)
    client.post("/auth/logout")
    response = client.get(f"/quality/api/current.json?token={key}")
    assert response.status_code == 401 and "rows" not in response.get_json()
    assert client.get("/quality/api/current.json", headers=_bearer(key)).status_code == 200


def test_api_reads_never_change_the_data_version(app, client, homes, registry, set_today):
    from datetime import datetime

    from app import clock

    set_today(datetime(2026, 3, 10, 8, 0, tzinfo=clock.TZ))
    login(client, homes[0].head)
    key = _create_key(client)
    client.post("/auth/logout")
    before = _data_version(app)
    for moment in (datetime(2026, 3, 10, 8, 1), datetime(2026, 3, 10, 23, 59), datetime(2026, 3, 11, 0, 0)):
        set_today(moment.replace(tzinfo=clock.TZ))
        for url in ("/quality/api/current.json", "/quality/api/history.csv"):
            assert client.get(url, headers=_bearer(key)).status_code == 200
        if moment.day == 10:
            with app.app_context():  # the first use of the day is noted, later ones that day are not
                noted = clock.to_local(db.session.scalar(select(QualityApiToken.last_used_at)))
                assert noted == datetime(2026, 3, 10, 8, 1, tzinfo=clock.TZ)
    assert _data_version(app) == before
    with app.app_context():
        noted = clock.to_local(db.session.scalar(select(QualityApiToken.last_used_at)))
        assert noted == datetime(2026, 3, 11, 0, 0, tzinfo=clock.TZ)
