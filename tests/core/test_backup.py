"""`flask backup` and `flask restore`: a round trip gives back every record, on SQLite and PostgreSQL."""

import gzip
import hashlib
import json

from sqlalchemy import select

from app.cli.backup import _record_tables
from app.extensions import db
from app.people.models import User


def _fingerprint(app) -> dict[str, str]:
    """A hash of every record table's rows, so any lost or changed value shows."""
    result = {}
    with app.app_context(), db.engine.connect() as connection:
        for table in _record_tables():
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            result[table.name] = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    return result


def _wipe(app):
    with app.app_context(), db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


def test_round_trip_restores_every_record(app, demo, runner, tmp_path):
    before = _fingerprint(app)
    path = tmp_path / "backup.json.gz"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    _wipe(app)
    assert _fingerprint(app) != before
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output
    assert _fingerprint(app) == before


def test_new_rows_after_restore_get_fresh_ids(app, demo, runner, tmp_path, client):
    path = tmp_path / "backup.json.gz"
    runner.invoke(args=["backup", str(path)])
    _wipe(app)
    runner.invoke(args=["restore", str(path)])
    from tests.factories import make_user

    with app.app_context():
        highest = max(db.session.scalars(select(User.id)).all())
        home = db.session.scalar(select(User).where(User.email == "medarbejder@demo.dk")).home
        assert make_user(home, home.departments[:1]).id > highest
        db.session.rollback()


def test_restore_refuses_a_database_with_data(app, demo, runner, tmp_path):
    path = tmp_path / "backup.json.gz"
    runner.invoke(args=["backup", str(path)])
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code != 0
    assert "not empty" in result.output


def test_restore_refuses_a_file_that_is_not_a_backup(app, runner, tmp_path):
    path = tmp_path / "noise.json.gz"
    with gzip.open(path, "wt") as handle:
        json.dump({"hello": "world"}, handle)
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code != 0 and "not a Kompetenceportalen backup" in result.output


def test_failed_restore_leaves_the_database_as_it_was(app, demo, runner, tmp_path):
    """A broken backup (a row that violates a constraint) restores nothing: one transaction."""
    path = tmp_path / "backup.json.gz"
    runner.invoke(args=["backup", str(path)])
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        document = json.load(handle)
    users = document["tables"]["users"]
    users["rows"].append(list(users["rows"][0]))  # duplicate primary key and e-mail
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(document, handle)
    before = _fingerprint(app)
    result = runner.invoke(args=["restore", "--replace", str(path)])
    assert result.exit_code != 0
    assert _fingerprint(app) == before
