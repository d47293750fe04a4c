"""E-mail reminders: 14 days and 1 day before a duty, and weekly while it is overdue.

A reminder is marked sent only after the SMTP server accepted it, and a person gets at most one e-mail a day,
even with two runs at once (two servers, or cron and an operator):

1. A run writes every reminder due today as an unsent ReminderLog row; the unique row (person, task, kind,
   day) means a second run finds it there instead of adding its own.
2. For each person with unsent rows it claims all of them in one UPDATE that only succeeds while nobody
   else holds them (or their claim is older than `CLAIM_LEASE`, i.e. its run died) and the person has had
   no e-mail today; the loser of a race leaves that person alone.
3. It sends the person's one e-mail and, once `send_message` has returned, marks the rows sent and commits.
   A refused or failed message gives its claim back, so the next run sends it; so does a run that stops
   half-way; a run killed outright leaves its claim to run out. Rows up to `CARRY_OVER_DAYS` old that are
   still unsent go out with the next run's e-mail, if the duty is still open.
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased, selectinload

from app import clock
from app.cycle.models import ReminderLog, TaskCompletion
from app.cycle.rules import reminder_kind
from app.extensions import db
from app.faults import checkpoint
from app.hooks import Task, tasks_for_home
from app.need_to_know import Subjects, View
from app.people.models import Home, User, current_staff_query
from app.web import dadate

#: How far back overdue duties are still reminded of.
OVERDUE_HORIZON_DAYS = 366
#: How long a run may hold a person's reminders while sending their e-mail; a claim older than this
#: belongs to a run that died, and the next run takes it over. Far longer than one message (SMTP_TIMEOUT).
CLAIM_LEASE = timedelta(minutes=15)
#: Unsent reminders (a failed or killed run) this many days old still go out with the next run.
CARRY_OVER_DAYS = 7


@dataclass
class Reminder:
    user_id: int
    email: str
    name: str
    task: Task
    kind: str


@dataclass
class RunResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    held: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class _HomeDuties:
    """A home's open duties, current staff and per-person completions today, read once per run."""

    def __init__(self, home: Home, today: date):
        self.tasks = {t.uid: t for t in tasks_for_home(home, today - timedelta(days=OVERDUE_HORIZON_DAYS),
                                                       today + timedelta(days=14)) if not t.is_done}
        self.people = {p.id: p for p in db.session.scalars(
            current_staff_query(home.id, today).options(selectinload(User.role_rows), selectinload(User.departments)))}
        self.shares = set(db.session.scalars(select(TaskCompletion.uid).where(
            TaskCompletion.home_id == home.id, TaskCompletion.uid.like("%~u%"),
            TaskCompletion.due_on >= today - timedelta(days=OVERDUE_HORIZON_DAYS))))
        # What leaves the app goes through need-to-know: never a child's name, a colleague's only to someone
        # who may open that person. The subjects are loaded once for the whole home.
        self.subjects = Subjects()
        self.subjects.load((t.subject_kind, t.subject_id) for t in self.tasks.values())

    def shown(self, person: User, tasks: list[Task]) -> list[Task]:
        """The tasks as this person may read them in an e-mail (each is theirs, so none is left out)."""
        return View(person, "reminder", outside=True, subjects=self.subjects).tasks(tasks)

    def still_due(self, user_id: int, uid: str) -> tuple[User, Task] | None:
        """The person and task when the duty is still open and still this person's."""
        task, person = self.tasks.get(uid), self.people.get(user_id)
        if task is None or person is None or not task.applies_to(person) or f"{uid}~u{user_id}" in self.shares:
            return None
        return person, task


def due_reminders(home: Home, today: date, duties: _HomeDuties | None = None) -> list[Reminder]:
    """Every reminder the home's duties call for today, one per responsible current person."""
    duties = duties or _HomeDuties(home, today)
    reminders = []
    for person in duties.people.values():
        mine = [(t, k) for t in duties.tasks.values()
                if (k := reminder_kind(t.due_on, today)) and duties.still_due(person.id, t.uid)]
        if not mine:
            continue
        for task, (_, kind) in zip(duties.shown(person, [t for t, _ in mine]), mine, strict=True):
            reminders.append(Reminder(person.id, person.email, person.name, task, kind))
    return reminders


def _record_due(reminders: list[Reminder], today: date) -> None:
    """Write each reminder as an unsent row unless a row for it exists (this run's or another's)."""
    if not reminders:
        return
    connection = db.session.connection()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    now = clock.now()
    rows = sorted(({"user_id": r.user_id, "uid": r.task.uid, "kind": r.kind, "sent_on": today,
                    "due_on": r.task.due_on, "created_at": now} for r in reminders),
                  key=lambda row: (row["user_id"], row["uid"], row["kind"]))  # one order: no deadlock on PG
    statement = dialect.insert(ReminderLog).on_conflict_do_nothing(
        index_elements=["user_id", "uid", "kind", "sent_on"])
    db.session.execute(statement, rows)
    db.session.commit()


def _claim(user_id: int, today: date) -> str | None:
    """Claim all of a person's unsent reminders in one statement; None when another run holds them or the
    person has had an e-mail today."""
    token = uuid.uuid4().hex
    now = clock.now()
    lease_ended = now - CLAIM_LEASE
    other = aliased(ReminderLog)
    start_of_day = clock.end_of_day(today - timedelta(days=1))
    # Mailed today: a reminder of today's was sent (also when --date names another day), or any reminder
    # went out since midnight.
    busy = exists().where(other.user_id == user_id, or_(
        and_(other.sent_at.is_not(None), other.sent_on == today), other.sent_at > start_of_day,
        and_(other.sent_at.is_(None), other.claimed_at.is_not(None), other.claimed_at >= lease_ended)))
    claimed = db.session.execute(
        update(ReminderLog)
        .where(ReminderLog.user_id == user_id, ReminderLog.sent_at.is_(None),
               ReminderLog.sent_on >= today - timedelta(days=CARRY_OVER_DAYS), ReminderLog.sent_on <= today,
               or_(ReminderLog.claimed_at.is_(None), ReminderLog.claimed_at < lease_ended), ~busy)
        .values(claim=token, claimed_at=now)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return token if claimed else None


def _claimed_reminders(duties: _HomeDuties | None, user_id: int, token: str) -> tuple[list[Reminder], list[int]]:
    """What goes into the person's e-mail for the rows a claim holds, and the ids of rows whose duty is done
    since or no longer theirs. Every task that leaves the app in an e-mail passes through here."""
    found, gone = [], []
    for row in db.session.scalars(select(ReminderLog).where(ReminderLog.claim == token)):
        due = duties.still_due(user_id, row.uid) if duties else None
        if due is None:
            gone.append(row.id)
        else:
            found.append((row, *due))
    if not found:
        return [], gone
    person = found[0][1]
    tasks = duties.shown(person, [task for _, _, task in found])
    return [Reminder(user_id, person.email, person.name, task, row.kind)
            for (row, _, _), task in zip(found, tasks, strict=True)], gone


def _release(token: str) -> None:
    db.session.rollback()
    db.session.execute(update(ReminderLog).where(ReminderLog.claim == token, ReminderLog.sent_at.is_(None))
                       .values(claim=None, claimed_at=None).execution_options(synchronize_session=False))
    db.session.commit()


def _mark_sent(token: str) -> None:
    db.session.execute(update(ReminderLog).where(ReminderLog.claim == token).values(sent_at=clock.now())
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _days_text(task: Task, today: date) -> str:
    days = (task.due_on - today).days
    return {0: "i dag", 1: "i morgen"}.get(days, f"om {days} dage")


def _line(reminder: Reminder, today: date, base_url: str) -> str:
    task = reminder.task
    if task.due_on < today:
        days = (today - task.due_on).days
        when = f"Fristen var {dadate(task.due_on)} – overskredet med {days} {'dag' if days == 1 else 'dage'}"
    else:
        when = f"Frist: {dadate(task.due_on)} ({_days_text(task, today)})"
    lines = [f"- {task.title}", f"  {when}"]
    if task.detail:
        lines.append(f"  {task.detail}")
    if task.url:
        lines.append(f"  {base_url.rstrip('/')}{task.url}" if task.url.startswith("/") else f"  {task.url}")
    return "\n".join(lines)


def compose(user_reminders: list[Reminder], today: date) -> EmailMessage:
    """One Danish e-mail with all of a person's reminders for the day."""
    config = current_app.config
    base_url = config.get("BASE_URL", "")
    first = user_reminders[0]
    overdue = [r for r in user_reminders if r.task.due_on < today]
    if len(user_reminders) == 1:
        prefix = "Overskredet frist" if overdue else "Påmindelse"
        subject = f"{prefix}: {first.task.title}"
        if len(subject) > 120:
            subject = subject[:117] + "..."
    else:
        subject = f"Påmindelse: {len(user_reminders)} frister fra årshjulet"
        if overdue:
            subject += f" ({len(overdue)} overskredet)"
    body = [f"Hej {first.name}", "", "Her er dine frister fra årshjulet i Kompetenceportalen:", ""]
    for reminder in sorted(user_reminders, key=lambda r: (r.task.due_on, r.task.title)):
        body += [_line(reminder, today, base_url), ""]
    body += [
        f"Se hele årshjulet: {base_url.rstrip('/')}/cycle/",
        "",
        "Venlig hilsen",
        "Kompetenceportalen",
        "",
        "Du får denne e-mail, fordi du er ansvarlig for opgaverne. Påmindelser sendes 14 dage og 1 dag før "
        "en frist og en gang om ugen, så længe fristen er overskredet.",
    ]
    message = EmailMessage()
    message["From"] = config.get("MAIL_SENDER") or "kompetenceportalen@localhost"
    message["To"] = first.email
    message["Subject"] = subject
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = make_msgid(domain="kompetenceportalen")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n".join(body))
    return message


class _Outbox:
    """Without MAIL_SERVER: each message becomes an .eml file in the outbox folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def send(self, message: EmailMessage, today: date) -> None:
        name = f"{today.isoformat()}-{uuid.uuid4().hex}.eml"
        temporary = self.folder / f".{name}.tmp"
        temporary.write_bytes(message.as_bytes())
        temporary.replace(self.folder / name)

    def close(self) -> None:
        pass


class _Smtp:
    def __init__(self, config):
        self.where = f"{config['MAIL_SERVER']}:{config.get('MAIL_PORT') or 25}"
        self.connection = smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25),
                                       timeout=float(config.get("MAIL_TIMEOUT") or 30))
        if config.get("MAIL_USE_TLS"):
            self.connection.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            self.connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))

    def send(self, message: EmailMessage, today: date) -> None:
        self.connection.send_message(message)

    def close(self) -> None:
        try:
            self.connection.quit()
        except smtplib.SMTPException:
            self.connection.close()


def outbox_dir() -> Path:
    return Path(current_app.config.get("OUTBOX_DIR") or Path(current_app.instance_path) / "outbox")


def _transport():
    config = current_app.config
    if config.get("MAIL_SERVER"):
        return _Smtp(config)
    return _Outbox(outbox_dir())


class _Stop(Exception):
    """The SMTP server cannot take more now (no answer, connection lost); the rest waits for the next run."""


def _failure(error: BaseException) -> str:
    """One line saying why a message was not sent."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return f"the SMTP server refused the recipient ({code} {text.decode(errors='replace')})"
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"the SMTP server refused the message ({error.smtp_code} {text})"
    if isinstance(error, TimeoutError) or "timed out" in str(error):  # smtplib may wrap the timeout
        return f"the SMTP server did not answer within {current_app.config.get('MAIL_TIMEOUT') or 30:g} s"
    return f"{type(error).__name__}: {error}"


def _deliver(user_id: int, reminders: list[Reminder], token: str, transport, today: date, result: RunResult):
    message = compose(reminders, today)
    try:
        transport.send(message, today)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
        _release(token)
        result.failed += len(reminders)
        result.errors.append(f"Reminder e-mail to user {user_id} not sent: {_failure(error)}; "
                             "it goes out on the next run.")
        return
    except (OSError, smtplib.SMTPException) as error:
        _release(token)
        result.failed += len(reminders)
        raise _Stop(f"Reminder e-mail to user {user_id} not sent: {_failure(error)}; stopped, the rest goes out "
                    "on the next run.") from error
    _mark_sent(token)
    checkpoint("reminders.message_sent")  # crash tests: one e-mail accepted and marked, the rest not yet sent
    result.sent += len(reminders)
    result.messages.append(message)


def send_reminders(today: date | None = None) -> RunResult:
    """Send today's reminders for every home (and unsent ones from a failed run); safe to run twice, or on
    two servers at once. Failures are in `result.errors`, one line each."""
    today = today or clock.today()
    result = RunResult()
    duties: dict[int, _HomeDuties] = {}
    due_today: set[tuple[int, str, str]] = set()
    for home in db.session.scalars(select(Home).order_by(Home.id)).all():
        duties[home.id] = _HomeDuties(home, today)
        reminders = due_reminders(home, today, duties[home.id])
        due_today.update((r.user_id, r.task.uid, r.kind) for r in reminders)
        _record_due(reminders, today)
    waiting = db.session.execute(select(ReminderLog.user_id, User.home_id).join(User).where(
        ReminderLog.sent_at.is_(None), ReminderLog.sent_on >= today - timedelta(days=CARRY_OVER_DAYS),
        ReminderLog.sent_on <= today).distinct().order_by(ReminderLog.user_id)).all()
    attempted: set[tuple[int, str, str]] = set()
    left: set[int] = set()  # people not tried because the run stopped early
    transport = None
    try:
        for position, (user_id, home_id) in enumerate(waiting):
            token = _claim(user_id, today)
            if token is None:
                result.held += 1
                continue
            checkpoint("reminders.claimed")  # crash tests: a person's reminders claimed, their e-mail not sent
            reminders, gone = _claimed_reminders(duties.get(home_id), user_id, token)
            if gone:
                db.session.execute(delete(ReminderLog).where(ReminderLog.id.in_(gone)))
                db.session.commit()
            if not reminders:
                continue
            attempted.update((user_id, r.task.uid, r.kind) for r in reminders)
            try:
                if transport is None:
                    transport = _transport()
                _deliver(user_id, reminders, token, transport, today, result)
            except (OSError, smtplib.SMTPException) as error:  # could not connect
                _release(token)
                result.failed += len(reminders)
                result.errors.append(f"Reminders not sent: could not reach the SMTP server ({_failure(error)}); "
                                     "they go out on the next run.")
                left = {u for u, _ in waiting[position + 1:]}
                break
            except _Stop as stop:
                result.errors.append(str(stop))
                left = {u for u, _ in waiting[position + 1:]}
                break
            except BaseException:
                _release(token)  # stopped by hand (Ctrl-C) or a bug: this person's e-mail goes out next run
                raise
    finally:
        if transport is not None:
            transport.close()
    # Sent before, or being sent by another run at the same time.
    result.skipped = sum(1 for key in due_today - attempted if key[0] not in left)
    return result
