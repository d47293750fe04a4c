"""Shared fixtures: app, client, auth, demo data and a settable clock.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set. The schema is
created once per session; after each test every table is emptied, so tests never see each other's rows.
Requests run in their own app context (as in production), so tests do database work inside
`with app.app_context():` blocks, the flaskr way.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from contextlib import contextmanager
from datetime import date, datetime

import pytest
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import event, select, text

from app import cache, clock, create_app
from app.extensions import db

DEMO_EMAIL = {
    "head": "tilbudsleder@demo.dk",
    "leader": "afdelingsleder@demo.dk",
    "employee": "medarbejder@demo.dk",
    "temp": "vikar@demo.dk",
    "minimed": "minimed@demo.dk",
    "admin": "admin@demo.dk",
}
DEMO_PASSWORD = "demo1234"


class CSRFClient(FlaskClient):
    """A test client that adds a valid CSRF token to every form POST unless told `csrf=False`."""

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.get("csrf_token")
            if raw is None:
                raw = hashlib.sha1(os.urandom(64)).hexdigest()  # noqa: S324 - same shape as Flask-WTF's token
                session["csrf_token"] = raw
        serializer = URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token")
        return serializer.dumps(raw)

    def open(self, *args, csrf: bool = True, **kwargs):
        method = kwargs.get("method", "GET").upper()
        if csrf and method in {"POST", "PUT", "PATCH", "DELETE"} and "json" not in kwargs:
            data = kwargs.get("data")
            if data is None:
                data = {}
            if isinstance(data, dict) and "csrf_token" not in data:
                data = dict(data)
                data["csrf_token"] = self.csrf_token()
                kwargs["data"] = data
        return super().open(*args, **kwargs)


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    application = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
        "OUTBOX_DIR": str(instance / "outbox"),
    })
    application.test_client_class = CSRFClient
    with application.app_context():
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(app):
    yield
    clock.reset()
    _empty_tables(app)
    # Emptying the tables also resets the data version, so entries cached under it must go too.
    cache.clear()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _empty_tables(app) -> None:
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                names = ", ".join(f'"{t}"' for t in tables)
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            with db.engine.begin() as connection:
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                for table in tables:
                    connection.exec_driver_sql(f'DELETE FROM "{table}"')
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")


@contextmanager
def counting(app, *, cold: bool = True):
    """Count the SQL statements run inside the block, starting from an empty cache (app/cache.py), so the
    count is what the page costs to compute, not what a cache hit costs; `cold=False` keeps the cache, to count
    what a reload costs."""
    with app.app_context():
        engine = db.engine
    if cold:
        cache.clear()
    count = [0]

    def listener(*args, **kwargs):
        count[0] += 1

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", listener)


@pytest.fixture(scope="session")
def _demo_rows(app):
    """The demo home built once per session through the real `flask demo` command, kept as rows."""
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    rows = {}
    with app.app_context(), db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows[table.name] = [dict(r._mapping) for r in connection.execute(select(table))]
    _empty_tables(app)
    return rows


def copy_demo(app, rows) -> None:
    """Insert the captured demo rows; on PostgreSQL move the id sequences past them."""
    from app.cli.backup import _reset_sequences

    with app.app_context(), db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            if rows[table.name]:
                connection.execute(table.insert(), rows[table.name])
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)


@pytest.fixture
def demo(app, _demo_rows):
    """The demo home (as `flask demo` builds it), copied into the empty database for this test."""
    copy_demo(app, _demo_rows)
    return DEMO_EMAIL


@pytest.fixture
def set_today():
    """Freeze the clock: set_today(date(2026, 10, 1)) or set_today(aware_or_local_datetime)."""

    def freeze(moment: date | datetime):
        clock.set_now(moment)

    yield freeze
    clock.set_now(None)


@pytest.fixture
def listen():
    """listen(receiver, *signals): receiver(name, **payload) hears each of the app's signals (app/signals.py)
    sent until the test ends, beside the app's own receivers."""
    connected = []

    def hear_as(receiver, name):
        def hear(_sender, /, **payload):
            receiver(name, **payload)

        return hear

    def connect(receiver, *signals):
        for signal in signals:
            hear = hear_as(receiver, signal.name)
            signal.connect(hear, weak=False)
            connected.append((signal, hear))

    yield connect
    for signal, hear in connected:
        signal.disconnect(hear)


class AuthActions:
    def __init__(self, client: CSRFClient):
        self._client = client

    def login(self, who: str = "employee", password: str = DEMO_PASSWORD, follow: bool = False):
        """Log in as a demo role ("head", "leader", "employee", "temp", "minimed", "admin") or an e-mail."""
        email = DEMO_EMAIL.get(who, who)
        response = self._client.post("/auth/login", data={"email": email, "password": password},
                                     follow_redirects=follow)
        return response

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def make_client(app):
    """More clients, for tests with several people at once."""

    def factory(who: str | None = None):
        new_client = app.test_client()
        if who:
            AuthActions(new_client).login(who)
        return new_client

    return factory


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "page has no CSRF meta tag"
    return match.group(1)


def random_email() -> str:
    return f"p{secrets.token_hex(4)}@example.dk"
