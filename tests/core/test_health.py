"""/healthz, the page shown when the database is down, request ids and one log line per failed request."""

import json
import os
import shutil

import pytest
from sqlalchemy import func, select

from app import create_app
from app.audit.models import AuditEntry
from app.extensions import db

#: Nothing listens on port 1: a PostgreSQL server that is down. (SQLite's case: the test that moves the file.)
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/kp?connect_timeout=2"


@pytest.fixture
def down_app():
    """An app whose database cannot be reached."""
    application = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": UNREACHABLE})
    from tests.conftest import CSRFClient

    application.test_client_class = CSRFClient
    yield application
    with application.app_context():
        db.engine.dispose()


def logged_in(application):
    """A client whose session names a login session, so every page must ask the database who it is."""
    client = application.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "a-login-session-token"
        session["_fresh"] = True
    return client


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_healthz_is_200_without_login_and_says_nothing_else(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_database_cannot_be_reached(down_app):
    response = down_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "unavailable\n"


def test_a_page_during_an_outage_is_the_danish_page_that_needs_no_database(down_app):
    response = logged_in(down_app).get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Kompetenceportalen kan ikke nås lige nu" in html
    assert "Internal Server Error" not in html and "Traceback" not in html and "måske gemt" not in html


def test_a_form_post_during_an_outage_says_it_may_have_been_saved(down_app):
    response = down_app.test_client().post("/auth/login", data={"email": "a@example.dk", "password": "x" * 10})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Det, du sendte, er måske gemt." in html


def test_a_post_that_saved_before_the_database_went_away_says_it_was_saved(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    application = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'kp.db'}",
                              "WTF_CSRF_ENABLED": False})
    with application.app_context():
        db.create_all()

    @application.post("/__save")
    def save():
        db.session.add(AuditEntry(action="test.saved"))
        db.session.commit()
        shutil.move(folder, tmp_path / "moved")  # the database goes away after the commit
        db.session.remove()
        db.engine.dispose()
        return str(db.session.scalar(select(func.count(AuditEntry.id))))

    response = application.test_client().post("/__save")
    assert response.status_code == 503
    assert "Det, du sendte, blev gemt" in response.get_data(as_text=True)
    with application.app_context():
        db.engine.dispose()
    assert os.path.exists(tmp_path / "moved" / "kp.db")


def test_an_outage_logs_one_json_line_per_failed_request_without_a_traceback(down_app, capsys):
    client = logged_in(down_app)
    responses = [client.get("/", headers={"X-Request-ID": f"lb-{n}"}) for n in range(3)]
    assert [r.status_code for r in responses] == [503, 503, 503]
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in json_lines(err) if line["logger"] == "app"]
    assert [line["request_id"] for line in lines] == ["lb-0", "lb-1", "lb-2"]
    assert all(line["level"] == "WARNING" and "Database unavailable on GET /" in line["message"] for line in lines)
    assert [r.headers["X-Request-ID"] for r in responses] == ["lb-0", "lb-1", "lb-2"]


def test_every_response_carries_a_request_id_made_here_unless_a_sensible_one_came_in(client):
    made = client.get("/auth/login").headers["X-Request-ID"]
    assert len(made) == 32 and made != client.get("/auth/login").headers["X-Request-ID"]
    assert client.get("/auth/login", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    odd = client.get("/auth/login", headers={"X-Request-ID": "a b\"<script>"}).headers["X-Request-ID"]
    assert len(odd) == 32 and "<" not in odd


def test_an_unexpected_error_is_one_json_line_with_the_request_id(app, capsys):
    fresh = create_app({"TESTING": True, "SHOW_ERROR_PAGES": True,
                        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @fresh.get("/__boom")
    def boom():
        raise RuntimeError("kaput")

    response = fresh.test_client().get("/__boom", headers={"X-Request-ID": "req-7"})
    assert response.status_code == 500
    (line,) = [line for line in json_lines(capsys.readouterr().err) if line["logger"] == "app"]
    assert line["request_id"] == "req-7" and line["level"] == "ERROR"
    assert "RuntimeError: kaput" in line["exception"]
    with fresh.app_context():
        db.engine.dispose()


def test_a_request_refused_before_the_view_has_a_request_id_too(client):
    response = client.post("/auth/login", data={"email": "a@example.dk", "password": "x"}, csrf=False,
                           headers={"X-Request-ID": "csrf-1"})
    assert response.status_code == 400 and response.headers["X-Request-ID"] == "csrf-1"

