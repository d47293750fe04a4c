"""Crash safety: a process killed in the middle of a multi-step action leaves the database as before, never
half-done. The app's checkpoints (app/faults.py) end the process on the spot when KP_CRASH_AT names them;
the commands and the server run in child processes on the test database."""

from __future__ import annotations

import http.client
import urllib.error
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app import clock
from app.audit.models import AuditEntry
from app.competence import distribution as dist_service
from app.competence.models import CourseWish, Decision, Distribution
from app.cycle.models import MiniMedMeeting
from app.extensions import db
from app.guidelines.models import Guideline
from app.people.constants import Role
from app.people.models import Home
from tests.factories import PASSWORD, make_department, make_home, make_user
from tests.reliability.helpers import (
    HttpUser,
    ServerProcess,
    changed_tables,
    child_env,
    fingerprint,
    run_flask,
)

GUIDELINE = """---
title: {title}
document_type: lokal retningslinje
level: local
standard: Kompetenceudvikling
scope: Alle afdelinger
target_group: [employee, temp, department_leader, head]
revision_responsible: head
approved_by: head
effective_from: 2026-01-15
review: {{month: 12}}
---
# {title}

Tekst om, hvordan vi arbejder med kompetencer.
"""


def _guideline_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Guideline).where(
            Guideline.slug.in_(["nedbrud-en", "nedbrud-to"])))


def test_guideline_import_killed_after_the_first_file_leaves_the_database_as_before(app, demo, tmp_path):
    for slug, title in (("nedbrud-en", "Første fil"), ("nedbrud-to", "Anden fil")):
        (tmp_path / f"{slug}.md").write_text(GUIDELINE.format(title=title), encoding="utf-8")
    before = fingerprint(app)

    crashed = run_flask(child_env(app, KP_CRASH_AT="guidelines.import_document"), "guidelines", "import",
                        str(tmp_path))
    assert crashed.returncode == 70, crashed.stdout + crashed.stderr
    assert changed_tables(before, fingerprint(app)) == []
    assert _guideline_count(app) == 0

    done = run_flask(child_env(app), "guidelines", "import", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 created" in done.stdout
    assert _guideline_count(app) == 2
    assert {"guidelines", "guideline_versions"} <= set(changed_tables(before, fingerprint(app)))


def test_the_checkpoint_names_a_point_the_import_passes(app, demo, tmp_path):
    """Guards the test above: a misspelt checkpoint would make the crash run a plain, complete import."""
    (tmp_path / "nedbrud-en.md").write_text(GUIDELINE.format(title="Første fil"), encoding="utf-8")
    other = run_flask(child_env(app, KP_CRASH_AT="no.such.checkpoint"), "guidelines", "import", str(tmp_path))
    assert other.returncode == 0 and _guideline_count(app) == 1


TODAY = datetime(2027, 1, 5, 12, tzinfo=clock.TZ)


@pytest.fixture
def draft(app, set_today):
    """A draft distribution for 2027 with two wish lines and a common course; Mini-MED met yesterday."""
    set_today(TODAY)
    with app.app_context():
        home = make_home()
        department = make_department(home, "Skoven")
        head = make_user(home, [department], roles=(Role.HEAD, Role.MINI_MED), email="chef@x.dk")
        employee = make_user(home, [department], email="ansat@x.dk")
        wishes = [CourseWish(home_id=home.id, department_id=department.id, user_id=employee.id, year=2027,
                             title=title, cost=Decimal(cost), responsibility_areas="x",
                             submitted_at=datetime.fromisoformat("2026-09-01T10:00:00+00:00"))
                  for title, cost in (("KRAP", "10000"), ("Marte Meo", "18000"), ("TEACCH", "6000"))]
        db.session.add_all(wishes)
        meeting = MiniMedMeeting(home_id=home.id, held_on=date(2027, 1, 4))
        db.session.add(meeting)
        db.session.flush()
        dist = dist_service.start(db.session.get(Home, home.id), 2027, "50000", head)
        dist_service.add_line(dist, {"category": "wish", "wish_id": wishes[0].id, "amount": "10000"}, head)
        dist_service.add_line(dist, {"category": "wish", "wish_id": wishes[1].id, "wish_outcome": "postponed",
                                     "amount": "0"}, head)
        dist_service.add_line(dist, {"category": "common", "title": "Konflikthåndtering", "amount": "20000"}, head)
        db.session.commit()
        return {"dist": dist.id, "version": dist.version, "meeting": meeting.id}


def _decide(server: ServerProcess, draft: dict):
    head = HttpUser(server.url)
    head.login("chef@x.dk", PASSWORD)
    page = "/competence/distribution?aar=2027"
    token = head.csrf(page)
    return head.request(f"/competence/distribution/{draft['dist']}/decide", {
        "csrf_token": token, "meeting_id": str(draft["meeting"]), "new_meeting_on": "", "outcome": "approved",
        "note": "Godkendt på årets første møde", "version": str(draft["version"])})


def test_server_killed_while_approving_a_distribution_leaves_it_a_draft(app, draft, tmp_path):
    before = fingerprint(app)
    env = child_env(app, KP_FAKE_TODAY="2027-01-05")

    server = ServerProcess(dict(env, KP_CRASH_AT="competence.distribution_approval"), tmp_path / "crash.log")
    try:
        with pytest.raises((ConnectionError, http.client.HTTPException, urllib.error.URLError)):
            _decide(server, draft)
        assert server.wait() == 70, server.log_path.read_text()
    finally:
        server.stop()
    # Logging in wrote a session and an audit line; the approval itself wrote nothing.
    assert set(changed_tables(before, fingerprint(app))) <= {"login_sessions", "login_attempts", "audit_entries"}
    with app.app_context():
        dist = db.session.get(Distribution, draft["dist"])
        assert dist.status == "draft" and dist.approved_at is None and dist.version == draft["version"]
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 0
        assert [w.outcome for w in db.session.scalars(select(CourseWish))] == [None, None, None]
        assert "competence.distribution_decided" not in set(db.session.scalars(select(AuditEntry.action)))

    server = ServerProcess(env, tmp_path / "ok.log")
    try:
        status, _ = _decide(server, draft)
    finally:
        server.stop()
    assert status == 302
    with app.app_context():
        dist = db.session.get(Distribution, draft["dist"])
        assert dist.status == "approved"
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 1
        outcomes = dict(db.session.execute(select(CourseWish.title, CourseWish.outcome)).all())
        assert outcomes == {"KRAP": "approved", "Marte Meo": "postponed", "TEACCH": "rejected"}

