"""`flask backup` and `flask restore`: a round trip gives back every record, on SQLite and PostgreSQL; a backup is
one snapshot even while people work, private to its owner, without login sessions, and can be verified."""

import gzip
import hashlib
import json
import stat
import threading

from sqlalchemy import event, func, select, text

from app import cache
from app.auth.models import LoginSession
from app.cli.backup import backed_up_tables
from app.extensions import db
from app.people.models import Department, Home, User
from tests.factories import make_user


def _fingerprint(app) -> dict[str, str]:
    """A hash of every record table's rows, so any lost or changed value shows."""
    result = {}
    with app.app_context(), db.engine.connect() as connection:
        for table in backed_up_tables():
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


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_backup_taken_while_people_are_added_restores_with_every_reference(app, demo, runner, tmp_path):
    """Right after the backup has read the users, another connection adds a person with a department and roles
    and commits. The backup must not see the memberships and roles without the person: one snapshot."""
    with app.app_context():
        home_id = db.session.scalar(select(Home.id))
        department_id = db.session.scalar(select(Department.id).where(Department.home_id == home_id))
    users_before = _count(app, User)
    added, errors = [], []

    def add_people():
        try:
            with app.app_context():
                home, department = db.session.get(Home, home_id), db.session.get(Department, department_id)
                added.extend(make_user(home, [department]).id for _ in range(3))
                db.session.commit()
        except Exception as error:  # noqa: BLE001 - reported in the test's thread
            errors.append(error)

    def after_execute(conn, cursor, statement, parameters, context, executemany):
        if "FROM users ORDER BY" in statement and threading.current_thread() is threading.main_thread() \
                and not added and not errors:
            writer = threading.Thread(target=add_people)
            writer.start()
            writer.join(timeout=60)

    path = tmp_path / "backup.json.gz"
    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", after_execute)
    try:
        result = runner.invoke(args=["backup", str(path)])
    finally:
        event.remove(engine, "after_cursor_execute", after_execute)
    assert result.exit_code == 0, result.output
    assert not errors and len(added) == 3 and _count(app, User) == users_before + 3  # the write did happen

    _wipe(app)
    restored = runner.invoke(args=["restore", str(path)])
    assert restored.exit_code == 0, restored.output
    assert _count(app, User) == users_before
    with app.app_context():
        memberships = db.metadata.tables["memberships"]
        assert db.session.scalar(select(func.count()).select_from(memberships).where(
            memberships.c.user_id.in_(added))) == 0


def test_backup_file_is_private_goes_to_the_backup_dir_and_holds_no_login_session(app, demo, runner, tmp_path,
                                                                                  monkeypatch):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == demo["employee"]))
        db.session.add(LoginSession(token_hash="a-live-session-token-hash-0123456789", user=user))
        db.session.commit()
    monkeypatch.setitem(app.config, "BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.setattr("os.umask", lambda mask: 0)  # nothing to rely on: even a permissive umask gives 0600
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    [path] = (tmp_path / "backups").glob("kompetenceportalen-*.json.gz")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    raw = gzip.decompress(path.read_bytes()).decode()
    assert "a-live-session-token-hash" not in raw and "login_sessions" not in json.loads(raw)["tables"]

    _wipe(app)
    assert runner.invoke(args=["restore", str(path)]).exit_code == 0
    assert _count(app, LoginSession) == 0 and _count(app, User) > 0


def test_verify_restores_into_a_scratch_database_and_reports_a_damaged_backup(app, demo, runner, tmp_path):
    path = tmp_path / "backup.json.gz"
    runner.invoke(args=["backup", str(path)])
    before = _fingerprint(app)
    good = runner.invoke(args=["backup", "--verify", str(path)])
    assert good.exit_code == 0 and "verified" in good.output, good.output
    assert _fingerprint(app) == before

    with gzip.open(path, "rt", encoding="utf-8") as handle:
        document = json.load(handle)
    document["tables"]["memberships"]["rows"].pop()  # a lost row: the file no longer matches its counts
    short = tmp_path / "short.json.gz"
    with gzip.open(short, "wt", encoding="utf-8") as handle:
        json.dump(document, handle)
    result = runner.invoke(args=["backup", "--verify", str(short)])
    assert result.exit_code != 0 and "memberships" in result.output and "did not verify" in result.output

    document["counts"]["memberships"] -= 1
    document["tables"]["users"]["rows"].pop(0)  # memberships now point at a person who is not there
    broken = tmp_path / "broken.json.gz"
    with gzip.open(broken, "wt", encoding="utf-8") as handle:
        json.dump(document, handle)
    result = runner.invoke(args=["backup", "--verify", str(broken)])
    assert result.exit_code != 0 and "does not restore" in result.output
    assert _fingerprint(app) == before


def _stamp_back_to(app, value: int, epoch: str | None = None) -> None:
    """What a pg_restore does: the data version row goes back to what it was in the dump."""
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("UPDATE data_version SET value = :value" + (", epoch = :epoch" if epoch else "")),
                           {"value": value, "epoch": epoch})


def _cached(app, value: str) -> str:
    with app.app_context():
        return cache.cached("backup-test", 1, lambda: value)


def test_after_a_restore_the_version_may_go_back_but_nothing_cached_before_is_used(app, demo, runner, tmp_path):
    path = tmp_path / "backup.json.gz"
    runner.invoke(args=["backup", str(path)])
    with app.app_context():
        version = cache.current_version()
    assert _cached(app, "before the restore") == "before the restore"
    assert runner.invoke(args=["restore", "--replace", str(path)]).exit_code == 0
    _stamp_back_to(app, version)
    with app.app_context():
        assert cache.current_version() == version
    assert _cached(app, "after the restore") == "after the restore"


def test_cache_reset_makes_servers_drop_what_they_cached_after_a_change_in_sql(app, demo, runner):
    assert _cached(app, "before") == "before"
    with app.app_context(), db.engine.begin() as connection:  # like pg_restore or psql: the version stays put
        connection.execute(text("UPDATE departments SET name = name || ' (ændret i SQL)'"))
    assert _cached(app, "stale") == "before"  # why the operator must tell the servers
    result = runner.invoke(args=["cache", "reset"])
    assert result.exit_code == 0, result.output
    assert _cached(app, "after") == "after"
