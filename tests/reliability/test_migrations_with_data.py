"""Upgrading a database that holds data: from the first migration to the latest, then the latest down and up
again, with the real `flask db` and `flask demo` commands on a scratch database (a separate SQLite file, or
a schema of its own in the PostgreSQL test database), never the test's own tables."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterator

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, inspect, select, table, text

from app.config import normalise_database_url
from tests.reliability.helpers import ROOT, child_env, run_flask

#: The migrations folder; KP_TEST_MIGRATIONS points elsewhere only to try this test on a folder with more revisions.
MIGRATIONS = os.environ.get("KP_TEST_MIGRATIONS") or str(ROOT / "migrations")


def _revisions() -> list[str]:
    """Revision ids from the first to the latest."""
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    script = ScriptDirectory.from_config(config)
    return [revision.revision for revision in reversed(list(script.walk_revisions("base", "heads")))]


@pytest.fixture
def scratch_url(app, tmp_path) -> Iterator[str]:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    # A schema of its own in the test database: the scratch tables never meet the test's own.
    schema = f"migrations_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.urlencode({"options": f"-csearch_path={schema}"})
    try:
        yield urllib.parse.urlunsplit(parts._replace(query=query))
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(normalise_database_url(url))
    try:
        with engine.connect() as connection:
            names = [n for n in inspect(connection).get_table_names() if n != "alembic_version"]
            return {n: connection.scalar(select(func.count()).select_from(table(n))) for n in names}
    finally:
        engine.dispose()


def _current(url: str) -> str | None:
    engine = create_engine(normalise_database_url(url))
    try:
        with engine.connect() as connection:
            if "alembic_version" not in inspect(connection).get_table_names():
                return None
            return connection.scalar(text("SELECT version_num FROM alembic_version"))
    finally:
        engine.dispose()


def _flask(env: dict, *args: str) -> str:
    result = run_flask(env, *args, timeout=300)
    assert result.returncode == 0, f"flask {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_demo_survives_going_down_to_the_first_migration_and_up_again(app, scratch_url):
    """The demo is loaded at the latest revision (the code always writes the latest schema), then every
    migration is undone down to the first and redone; each step keeps every row of the tables it keeps."""
    revisions = _revisions()
    assert revisions, "no migrations"
    env = child_env(app, DATABASE_URL=scratch_url, KP_FAKE_TODAY="2026-09-15")

    _flask(env, "db", "upgrade", "-d", MIGRATIONS)
    assert _current(scratch_url) == revisions[-1]
    assert "Loaded 1 home(s)" in _flask(env, "demo")
    loaded = _counts(scratch_url)
    assert loaded["users"] > 40 and loaded["homes"] == 1 and loaded["departments"] > 1

    _flask(env, "db", "downgrade", "-d", MIGRATIONS, revisions[0])
    assert _current(scratch_url) == revisions[0]
    first = _counts(scratch_url)
    assert set(first) <= set(loaded)
    assert first == {name: loaded[name] for name in first}  # every row of the first schema's tables is there
    engine = create_engine(normalise_database_url(scratch_url))
    with engine.connect() as connection:
        emails = set(connection.scalars(text("SELECT email FROM users")))
    engine.dispose()
    assert {"tilbudsleder@demo.dk", "medarbejder@demo.dk", "vikar@demo.dk"} <= emails

    _flask(env, "db", "upgrade", "-d", MIGRATIONS)
    assert _current(scratch_url) == revisions[-1]
    again = _counts(scratch_url)
    assert set(again) == set(loaded)
    assert {name: again[name] for name in first} == first

    _flask(env, "db", "downgrade", "-d", MIGRATIONS, "base")
    assert _current(scratch_url) is None
    assert _counts(scratch_url) == {}  # every migration undone: no tables left
