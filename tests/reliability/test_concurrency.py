"""Concurrent edits and concurrent runs, for real: two people's saves released by one barrier in two threads
against the app on the test database (each request with its own connection), and two `flask` commands as two
processes at once. One save wins, the other is told (409) and keeps their input; nothing is silently
overwritten, and each reminder or snapshot is stored once."""

from __future__ import annotations

import email
import re
import subprocess
import threading
from datetime import date, datetime
from decimal import Decimal
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from app import clock
from app.children.models import Child
from app.competence import distribution as dist_service
from app.competence.models import Distribution
from app.cycle.models import ReminderLog
from app.extensions import db
from app.guidelines.models import GuidelineVersion
from app.people.constants import Role
from app.people.models import Home, User
from app.quality.models import QualitySnapshot
from tests.children.helpers import build_world, make_child
from tests.factories import PASSWORD, make_department, make_home, make_user
from tests.reliability.helpers import ROOT, child_env, flask_command, free_port, race

GUIDELINE = """---
title: Samtidig redigering
document_type: lokal retningslinje
level: local
standard: Kompetenceudvikling
scope: Alle afdelinger
target_group: [employee, department_leader, head]
revision_responsible: head
approved_by: head
effective_from: 2026-01-15
review: {month: 12}
---
# Samtidig redigering

Den gældende tekst.
"""


def login(client, email: str):
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _post(client, url: str, data: dict):
    """Prepare the post (CSRF token) in the test's thread; the returned call only sends it."""
    data = dict(data, csrf_token=client.csrf_token())
    return lambda: client.post(url, data=data)


def _winner_and_loser(responses):
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302, 409], statuses
    return (0, 1) if responses[0].status_code == 302 else (1, 0)


@pytest.fixture
def two_heads(app, runner, tmp_path, set_today):
    set_today(date(2026, 12, 1))
    with app.app_context():
        home = make_home("Samtidighjemmet")
        department = make_department(home, "Nord")
        make_user(home, [department], roles=(Role.HEAD,), email="chef1@t.dk", name="Hanne Chef")
        make_user(home, [department], roles=(Role.HEAD,), email="chef2@t.dk", name="Henrik Chef")
        db.session.commit()
    (tmp_path / "samtidig.md").write_text(GUIDELINE, encoding="utf-8")
    result = runner.invoke(args=["guidelines", "import", str(tmp_path)])
    assert result.exit_code == 0, result.output


def _draft_form(client, body: str) -> dict:
    page = client.get("/guidelines/samtidig/edit").get_data(as_text=True)
    hidden = dict(re.findall(r'name="(draft_id|lock_version)" type="hidden" value="([^"]*)"', page))
    return {"title": "Samtidig redigering", "standard": "Kompetenceudvikling", "scope": "Alle afdelinger",
            "revision_responsible": "head", "body": body, "change_note": "Rettet", **hidden}


@pytest.mark.parametrize("rounds", [1, 3], ids=["first-draft", "existing-draft"])
def test_two_heads_saving_the_same_guideline_draft_at_once(app, two_heads, make_client, rounds):
    first, second = login(make_client(), "chef1@t.dk"), login(make_client(), "chef2@t.dk")
    if rounds > 1:  # a draft exists before the race
        assert first.post("/guidelines/samtidig/edit", data=_draft_form(first, "Udkast 0")).status_code == 302
    for round_no in range(rounds):
        texts = (f"Hannes tekst {round_no}", f"Henriks tekst {round_no}")
        forms = [_draft_form(c, text) for c, text in zip((first, second), texts, strict=True)]
        responses = race(*(_post(c, "/guidelines/samtidig/edit", f)
                           for c, f in zip((first, second), forms, strict=True)))
        won, lost = _winner_and_loser(responses)
        html = responses[lost].get_data(as_text=True)
        assert "En anden har gemt udkastet" in html
        assert texts[lost] in html  # the loser's text is still in the form
        with app.app_context():
            drafts = db.session.scalars(select(GuidelineVersion).where(GuidelineVersion.status == "draft")).all()
            assert [d.body for d in drafts] == [texts[won]]


@pytest.fixture
def distribution(app, set_today):
    set_today(datetime(2027, 1, 5, 12, tzinfo=clock.TZ))
    with app.app_context():
        home = make_home()
        department = make_department(home, "Skoven")
        make_user(home, [department], roles=(Role.HEAD,), email="chef1@x.dk")
        make_user(home, [department], roles=(Role.HEAD,), email="chef2@x.dk")
        head = db.session.scalar(select(User).where(User.email == "chef1@x.dk"))
        dist = dist_service.start(db.session.get(Home, home.id), 2027, "50000", head)
        db.session.commit()
        return dist.id


def test_two_heads_saving_the_same_distribution_at_once(app, distribution, make_client):
    first, second = login(make_client(), "chef1@x.dk"), login(make_client(), "chef2@x.dk")
    url = f"/competence/distribution/{distribution}/budget"
    for round_no in range(3):
        with app.app_context():
            version = db.session.get(Distribution, distribution).version
        forms = [{"budget": f"{60000 + 1000 * round_no + i}", "note": f"Bemærkning {i} runde {round_no}",
                  "version": str(version)} for i in (1, 2)]
        responses = race(*(_post(c, url, f) for c, f in zip((first, second), forms, strict=True)))
        won, lost = _winner_and_loser(responses)
        html = responses[lost].get_data(as_text=True)
        assert "ændret af en anden" in html or "gemt af en anden" in html
        assert forms[lost]["budget"] in html and forms[lost]["note"] in html
        with app.app_context():
            dist = db.session.get(Distribution, distribution)
            assert dist.budget == Decimal(forms[won]["budget"]) and dist.note == forms[won]["note"]
            assert dist.version == version + 1


def test_leader_and_head_saving_the_same_child_record_at_once(app, make_client, set_today):
    set_today(date(2026, 6, 15))
    with app.app_context():
        world = build_world()
        child_id = make_child(world.home_id, world.dep_id, admitted_on=date(2025, 3, 1)).id
        db.session.commit()
    first, second = login(make_client(), "leder@example.dk"), login(make_client(), "chef@example.dk")
    url = f"/children/{child_id}/edit"
    for round_no in range(3):
        for c in (first, second):
            assert c.get(url).status_code == 200
        with app.app_context():
            version = db.session.get(Child, child_id).version
        base = {"reference": "R-1", "placement_basis": "66", "admitted_on": "2025-03-01", "version": str(version)}
        forms = [dict(base, display_name=f"{name} {round_no}") for name in ("Alma B.", "Alma C.")]
        responses = race(*(_post(c, url, f) for c, f in zip((first, second), forms, strict=True)))
        won, lost = _winner_and_loser(responses)
        html = responses[lost].get_data(as_text=True)
        assert "ændret af en anden" in html and f'value="{forms[lost]["display_name"]}"' in html
        with app.app_context():
            assert db.session.get(Child, child_id).display_name == forms[won]["display_name"]


def _two_processes(env: dict, *args: str) -> list[subprocess.CompletedProcess]:
    """Start the same flask command twice at once, as two cron jobs on two servers would."""
    processes = [subprocess.Popen(flask_command(env, *args), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


class Collector:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield collector, controller.port
    finally:
        controller.stop()


REMINDERS = re.compile(r"Reminders sent: (\d+) \(in (\d+) e-mails\).*already sent: (\d+); failed: (\d+)")


def test_two_reminder_runs_at_once_send_each_reminder_once(app, demo, smtp):
    collector, port = smtp
    env = child_env(app, SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_SENDER="kp@test.dk")
    day = "2027-09-17"  # 14 days before the wish deadline of 1 October 2027
    results = _two_processes(env, "reminders", "send", "--date", day)
    figures = []
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr
        figures.append(tuple(int(n) for n in REMINDERS.search(result.stdout).groups()))
    sent, mails = sum(f[0] for f in figures), sum(f[1] for f in figures)
    with app.app_context():
        logged = db.session.scalar(select(func.count()).select_from(ReminderLog))
    assert sent > 0 and sent == logged
    assert mails == len(collector.messages)
    recipients = [m["To"] for m in collector.messages]
    assert len(recipients) == len(set(recipients)), "a person got two e-mails the same day"
    again = subprocess.run(flask_command(env, "reminders", "send", "--date", day), cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120, check=False)
    assert REMINDERS.search(again.stdout).groups()[:2] == ("0", "0")
    assert len(collector.messages) == mails


def test_two_quality_snapshot_runs_at_once_store_each_row_once(app, demo):
    env = child_env(app, KP_FAKE_TODAY="2027-03-10")
    results = _two_processes(env, "quality", "snapshot")
    added = []
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr
        added.append(int(re.search(r"Quality snapshot 2027-03: (\d+) new row", result.stdout).group(1)))
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(QualitySnapshot))
        distinct = db.session.execute(select(func.count()).select_from(
            select(QualitySnapshot.home_id, QualitySnapshot.indicator_key, QualitySnapshot.scope,
                   QualitySnapshot.month_on).distinct().subquery())).scalar()
    assert stored > 0 and sum(added) == stored == distinct
    again = subprocess.run(flask_command(env, "quality", "snapshot"), cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=120, check=False)
    assert "0 new row(s)" in again.stdout
