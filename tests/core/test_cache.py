"""Derived data cached per data version (app/cache.py) is never stale: any committed write shows on the next
page, from this process or another one; reads and rolled-back work do not throw the cache away."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import cache
from app.extensions import db
from app.people.models import Department, User


def _version(app) -> int:
    with app.app_context():
        return cache.current_version()


def _department_of(app, email: str) -> Department:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return user.departments[0].id, user.departments[0].name


def test_a_change_committed_elsewhere_shows_on_the_next_dashboard(app, demo, client, auth):
    auth.login("employee")
    department_id, name = _department_of(app, demo["employee"])
    assert name in client.get("/").get_data(as_text=True)

    # Another worker (or process) renames the department: its own session, its own transaction.
    with app.app_context(), Session(db.engine) as other:
        other.get(Department, department_id).name = "Stjerneskuddet"
        other.commit()

    html = client.get("/").get_data(as_text=True)
    assert "Stjerneskuddet" in html
    assert name not in html


def test_a_bulk_statement_through_the_session_bumps_the_version(app, demo):
    before = _version(app)
    with app.app_context():
        db.session.execute(update(Department).values(name=Department.name + " "))
        db.session.commit()
    assert _version(app) == before + 1


def test_reading_pages_and_logging_in_do_not_bump_the_version(app, demo, client, auth):
    before = _version(app)
    auth.login("head")  # writes a login session, a login attempt and an audit entry: bookkeeping only
    for path in ("/", "/people/", "/children/", "/quality/", "/cycle/"):
        assert client.get(path).status_code == 200
    assert _version(app) == before


def test_a_rolled_back_change_does_not_bump_the_version(app, demo):
    before = _version(app)
    with app.app_context():
        db.session.execute(select(Department)).scalars().first().name = "Ændret"
        db.session.flush()
        db.session.rollback()
    assert _version(app) == before


def test_the_first_write_creates_the_counter(app):
    assert _version(app) == 0
    from tests.factories import make_home

    with app.app_context():
        make_home()
        db.session.commit()
    assert _version(app) == 1


def test_a_restore_moves_the_version_on(app, demo, runner, tmp_path):
    path = tmp_path / "backup.json.gz"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    before = _version(app)
    assert runner.invoke(args=["restore", "--replace", str(path)]).exit_code == 0
    assert _version(app) > before


def test_a_store_forgets_the_least_recently_used_beyond_its_weight():
    store = cache.Store(10, weigh=len)
    store.put("a", b"xxxx")
    store.put("b", b"xxxx")
    assert store.get("a") == b"xxxx"  # "a" is now the most recently used
    store.put("c", b"xxxx")  # 12 > 10: the oldest, "b", goes
    assert store.get("b") is None
    assert store.get("a") == b"xxxx" and store.get("c") == b"xxxx"
    store.put("d", b"x" * 11)  # heavier than the limit alone: not kept, and nothing else goes for it
    assert [store.get(k) for k in "acd"] == [b"xxxx", b"xxxx", None]


def test_clear_empties_every_store():
    store = cache.Store(3)
    store.put("k", 1)
    cache.clear()
    assert store.get("k", "gone") == "gone"
