"""A reminder is marked sent only once a real SMTP server (aiosmtpd) accepted it: a refused, timed-out or killed
run leaves the rest for the next run, which sends each of them once and nobody a second e-mail that day."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from app.cycle.models import ReminderLog
from app.extensions import db
from tests.cycle.test_reminders import PERMANENT, Collector, about_wishes, free_port, run
from tests.reliability.helpers import child_env, run_flask

DAY = date(2026, 9, 17)


class Refusing(Collector):
    """Accepts every recipient except one, which it refuses permanently."""

    def __init__(self, refused: str):
        super().__init__()
        self.refused = refused

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        if address == self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class Hanging(Collector):
    """Takes the message but never answers within the client's timeout."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        await asyncio.sleep(5)
        return "250 Too late"


@pytest.fixture
def serve(app, monkeypatch):
    """Start an SMTP server with the given handler on 127.0.0.1 and point the app at it."""
    controllers = []

    def start(handler):
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        for key, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False,
                           "MAIL_USERNAME": "", "MAIL_SENDER": "kompetenceportalen@test.dk"}.items():
            monkeypatch.setitem(app.config, key, value)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


def _sent(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ReminderLog).where(ReminderLog.sent_at.is_not(None)))


def _unsent_for(app, email: str) -> int:
    from app.people.models import User

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ReminderLog).join(User).where(
            User.email == email, ReminderLog.sent_at.is_(None)))


def test_a_refused_recipient_is_one_line_and_gets_the_reminder_on_the_next_run(app, people, import_guidelines,
                                                                              runner, serve):
    import_guidelines()
    refusing = serve(Refusing("ansat-a@test.dk"))
    first = run(runner, DAY)
    assert first.exit_code == 1
    assert "Traceback" not in first.output
    refused = [line for line in first.output.splitlines() if "not sent" in line]
    assert len(refused) == 1 and "refused the recipient (550" in refused[0] and "next run" in refused[0], first.output
    assert set(about_wishes(refusing.messages)) == PERMANENT - {"ansat-a@test.dk"}, first.output
    assert _unsent_for(app, "ansat-a@test.dk") > 0

    accepting = serve(Collector())
    second = run(runner, DAY)
    assert second.exit_code == 0, second.output
    assert [m["To"] for m in accepting.messages] == ["ansat-a@test.dk"]
    assert _unsent_for(app, "ansat-a@test.dk") == 0


def test_a_hanging_server_times_out_marks_nothing_and_the_next_run_sends(app, people, import_guidelines, runner,
                                                                       serve, monkeypatch):
    import_guidelines()
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 0.5)
    serve(Hanging())
    first = run(runner, DAY)
    assert first.exit_code == 1
    lines = [line for line in first.output.splitlines() if "not sent" in line]
    assert len(lines) == 1 and "did not answer within 0.5 s" in lines[0]
    assert "Traceback" not in first.output
    assert _sent(app) == 0

    accepting = serve(Collector())
    assert run(runner, DAY).exit_code == 0
    assert set(about_wishes(accepting.messages)) == PERMANENT
    assert sorted(m["To"] for m in accepting.messages) == sorted({m["To"] for m in accepting.messages})


def test_a_run_killed_after_one_e_mail_leaves_the_rest_for_the_next_run(app, people, import_guidelines, serve):
    import_guidelines()
    collector = serve(Collector())
    env = child_env(app, SMTP_HOST="127.0.0.1", SMTP_PORT=str(app.config["MAIL_PORT"]), KP_FAKE_TODAY=DAY.isoformat())
    killed = run_flask(dict(env, KP_CRASH_AT="reminders.message_sent"), "reminders", "send")
    assert killed.returncode == 70, killed.stdout + killed.stderr
    assert len(collector.messages) == 1
    assert _sent(app) >= 1
    first = collector.messages[0]["To"]

    again = run_flask(env, "reminders", "send")
    assert again.returncode == 0, again.stdout + again.stderr
    recipients = [m["To"] for m in collector.messages]
    assert recipients.count(first) == 1  # the killed run's e-mail is not sent again
    assert set(about_wishes(collector.messages)) == PERMANENT
    with app.app_context():
        unsent = select(func.count()).select_from(ReminderLog).where(ReminderLog.sent_at.is_(None))
        assert db.session.scalar(unsent) == 0


def test_a_run_killed_while_holding_a_claim_leaves_it_until_the_lease_ends(app, people, import_guidelines, serve):
    import_guidelines()
    collector = serve(Collector())
    env = child_env(app, SMTP_HOST="127.0.0.1", SMTP_PORT=str(app.config["MAIL_PORT"]), KP_FAKE_TODAY=DAY.isoformat())
    killed = run_flask(dict(env, KP_CRASH_AT="reminders.claimed"), "reminders", "send")
    assert killed.returncode == 70 and collector.messages == []

    soon = run_flask(env, "reminders", "send")  # the dead run's claim may still be a live one elsewhere
    assert soon.returncode == 0 and "1 people's reminders are being sent by another run" in soon.stdout
    assert len(collector.messages) == len(PERMANENT) - 1

    later = run_flask(dict(env, KP_FAKE_TODAY=f"{DAY.isoformat()}T12:20"), "reminders", "send")  # lease: 15 min
    assert later.returncode == 0, later.stdout + later.stderr
    recipients = [m["To"] for m in collector.messages]
    assert set(about_wishes(collector.messages)) == PERMANENT and len(recipients) == len(set(recipients))


def test_a_run_stopped_by_hand_mid_run_gives_back_its_claim_and_the_next_run_sends_the_rest(
        app, people, import_guidelines, runner, serve, monkeypatch):
    """Ctrl-C (or any exception) while the second e-mail is being sent: the first stays sent, the second
    person's claim is given back, and a run straight after sends everybody else once."""
    from app.cycle import reminders

    import_guidelines()
    collector = serve(Collector())
    real_send, calls = reminders._Smtp.send, []

    def interrupted(self, message, today):
        calls.append(message["To"])
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_send(self, message, today)

    monkeypatch.setattr(reminders._Smtp, "send", interrupted)
    stopped = run(runner, DAY)
    assert stopped.exit_code != 0  # click turns Ctrl-C into "Aborted!"
    assert len(collector.messages) == 1 and _sent(app) >= 1
    monkeypatch.setattr(reminders._Smtp, "send", real_send)

    assert run(runner, DAY).exit_code == 0
    recipients = [m["To"] for m in collector.messages]
    assert calls[1] in recipients and len(recipients) == len(set(recipients))
    assert set(about_wishes(collector.messages)) == PERMANENT
