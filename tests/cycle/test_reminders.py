"""`flask reminders send`: Danish e-mails 14 days and 1 day before a duty and weekly while overdue, sent
once only (same day twice, or two runs at once), through a real SMTP server or into the file outbox."""

from __future__ import annotations

import email
import socket
import threading
from datetime import date
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from app import clock, signals
from app.cycle.models import ReminderLog
from app.cycle.reminders import send_reminders
from app.extensions import db

WISHES = "Hver medarbejder sender sine ønsker"
#: Permanent staff in the `people` fixture: the employee duty is theirs (the temp's is not).
PERMANENT = {"head@test.dk", "leder-a@test.dk", "leder-b@test.dk", "ansat-a@test.dk", "ansat-b@test.dk",
             "tr@test.dk"}


class Collector:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server on 127.0.0.1 for the test; the app is configured to use it."""
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "")
    monkeypatch.setitem(app.config, "MAIL_SENDER", "kompetenceportalen@test.dk")
    try:
        yield collector
    finally:
        controller.stop()


@pytest.fixture
def outbox(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setitem(app.config, "OUTBOX_DIR", str(tmp_path / "outbox"))
    return tmp_path / "outbox"


def read_outbox(folder) -> list:
    if not folder.exists():
        return []
    return [email.message_from_bytes(p.read_bytes(), policy=default_policy) for p in sorted(folder.glob("*.eml"))]


def about_wishes(messages) -> dict[str, email.message.EmailMessage]:
    return {m["To"]: m for m in messages if WISHES in m.get_content()}


def run(runner, day: date):
    clock.set_now(day)
    return runner.invoke(args=["reminders", "send", "--date", day.isoformat()])


def test_fourteen_days_before_goes_to_the_outbox_once(app, people, import_guidelines, runner, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://kp.example.dk")
    import_guidelines()
    result = run(runner, date(2026, 9, 17))
    assert result.exit_code == 0, result.output
    mails = about_wishes(read_outbox(outbox))
    assert set(mails) == PERMANENT
    mail = mails["ansat-a@test.dk"]
    body = mail.get_content()
    assert "Hej Maja Ansat" in body and "Frist: 1. oktober 2026 (om 14 dage)" in body
    assert "https://kp.example.dk/guidelines/testaarshjul" in body and "https://kp.example.dk/cycle/" in body
    assert mail["Subject"].startswith("Påmindelse")
    files = len(read_outbox(outbox))
    again = run(runner, date(2026, 9, 17))
    assert again.exit_code == 0 and "Reminders sent: 0" in again.output and "already sent: " in again.output
    assert len(read_outbox(outbox)) == files
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReminderLog).where(
            ReminderLog.kind == "14d", ReminderLog.uid.like("%kursusoensker%"))) == len(PERMANENT)


@pytest.mark.parametrize(("day", "expected"), [
    (date(2026, 9, 16), None), (date(2026, 9, 18), None), (date(2026, 9, 29), None),
    (date(2026, 9, 30), "(i morgen)"), (date(2026, 10, 1), None),
    (date(2026, 10, 2), "overskredet med 1 dag"), (date(2026, 10, 3), None), (date(2026, 10, 8), None),
    (date(2026, 10, 9), "overskredet med 8 dage"),
])
def test_reminder_days_around_the_deadline(app, people, import_guidelines, runner, outbox, day, expected):
    import_guidelines()
    assert run(runner, day).exit_code == 0
    mails = about_wishes(read_outbox(outbox))
    if expected is None:
        assert mails == {}
    else:
        assert set(mails) == PERMANENT and expected in mails["ansat-b@test.dk"].get_content()


def test_done_duties_and_own_wishes_are_not_reminded(app, people, import_guidelines, runner, outbox, login):
    import_guidelines()
    with app.app_context():
        signals.wish_submitted.send(home_id=people.home, user_id=people.ids["employee_a"], year=2026,
                                    on=date(2026, 9, 20))
        db.session.commit()
    from datetime import UTC, datetime

    from app.competence.models import DepartmentOverview

    with app.app_context():  # Skovbrynet's overview is forwarded early, so its duty is done by the record
        db.session.add(DepartmentOverview(home_id=people.home, department_id=people.dep_a, year=2027,
                                          forwarded_at=datetime(2026, 9, 20, 8, tzinfo=UTC)))
        db.session.commit()
    assert run(runner, date(2026, 9, 30)).exit_code == 0
    assert set(about_wishes(read_outbox(outbox))) == PERMANENT - {"ansat-a@test.dk"}
    assert run(runner, date(2026, 10, 17)).exit_code == 0  # 14 days before the overviews
    overview = [m for m in read_outbox(outbox) if "sender oversigten" in m.get_content()]
    assert [m["To"] for m in overview] == ["leder-b@test.dk"]


def test_real_smtp_server_receives_danish_mail(app, people, import_guidelines, runner, smtp):
    import_guidelines()
    result = run(runner, date(2026, 9, 17))
    assert result.exit_code == 0, result.output
    mails = about_wishes(smtp.messages)
    assert set(mails) == PERMANENT
    mail = mails["leder-a@test.dk"]
    assert mail["From"] == "kompetenceportalen@test.dk" and mail["Message-ID"]
    assert "ønsker" in mail.get_content() and "Venlig hilsen" in mail.get_content()
    count = len(smtp.messages)
    assert run(runner, date(2026, 9, 17)).exit_code == 0
    assert len(smtp.messages) == count


def test_two_runs_at_once_send_each_reminder_once(app, people, import_guidelines, smtp):
    import_guidelines()
    day = date(2026, 9, 17)
    clock.set_now(day)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with app.app_context(), app.test_request_context("/"):
                barrier.wait(timeout=10)
                results.append(send_reminders(day))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    total = sum(r.sent for r in results)
    with app.app_context():
        logged = db.session.scalar(select(func.count()).select_from(ReminderLog))
    assert total == logged and sum(r.skipped for r in results) == logged
    recipients = [m["To"] for m in smtp.messages]
    assert sorted(recipients) == sorted(set(recipients))  # one e-mail per person, not one per run
    assert set(about_wishes(smtp.messages)) == PERMANENT


def test_unreachable_smtp_server_is_one_line_and_a_later_run_sends(app, people, import_guidelines, runner, smtp,
                                                                    monkeypatch):
    import_guidelines()
    good_port = app.config["MAIL_PORT"]
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nobody listens there
    failed = run(runner, date(2026, 9, 17))
    assert failed.exit_code == 1
    assert "Traceback" not in failed.output
    assert [line for line in failed.output.splitlines() if "not sent" in line] == [
        next(line for line in failed.output.splitlines() if "could not reach the SMTP server" in line)]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReminderLog).where(
            ReminderLog.sent_at.is_not(None))) == 0
    monkeypatch.setitem(app.config, "MAIL_PORT", good_port)
    assert run(runner, date(2026, 9, 17)).exit_code == 0
    assert set(about_wishes(smtp.messages)) == PERMANENT
