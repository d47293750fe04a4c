"""E-mail reminders: 14 days and 1 day before a duty, and weekly while it is overdue.

Sending at most once is enforced by the database: before a reminder is sent, its ReminderLog row
(person, task, kind, day) is inserted and committed in its own short transaction. The unique constraint
makes a second run the same day, or a concurrent run on another server, lose that insert and skip the
reminder. If sending then fails, the claimed rows are removed again so a later run can retry.
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app import clock
from app.cycle.models import ReminderLog, TaskCompletion
from app.cycle.rules import reminder_kind
from app.extensions import db
from app.hooks import Task, tasks_for_home
from app.need_to_know import Subjects, View
from app.people.models import Home, User, current_staff_query
from app.web import dadate

#: How far back overdue duties are still reminded of.
OVERDUE_HORIZON_DAYS = 366
KIND_TEXT = {"14d": "om 14 dage", "1d": "i morgen", "overdue": "overskredet"}


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
    messages: list[EmailMessage] = field(default_factory=list)


def due_reminders(home: Home, today: date) -> list[Reminder]:
    """Every reminder the home's duties call for today, one per responsible current person."""
    tasks = [t for t in tasks_for_home(home, today - timedelta(days=OVERDUE_HORIZON_DAYS), today + timedelta(days=14))
             if not t.is_done]
    kinds = [(t, k) for t in tasks if (k := reminder_kind(t.due_on, today))]
    if not kinds:
        return []
    people = list(db.session.scalars(current_staff_query(home.id, today)
                                     .options(selectinload(User.role_rows), selectinload(User.departments))))
    shares = set(db.session.scalars(select(TaskCompletion.uid).where(
        TaskCompletion.home_id == home.id, TaskCompletion.uid.like("%~u%"),
        TaskCompletion.due_on >= today - timedelta(days=OVERDUE_HORIZON_DAYS))))
    # Each person's reminders go through need-to-know as what leaves the app: never a child's name, a
    # colleague's only to someone who may open that person. The subjects are loaded once for the whole home.
    subjects = Subjects()
    subjects.load((t.subject_kind, t.subject_id) for t, _ in kinds)
    reminders = []
    for person in people:
        mine = [(t, k) for t, k in kinds if t.applies_to(person) and f"{t.uid}~u{person.id}" not in shares]
        if not mine:
            continue
        view = View(person, "reminder", outside=True, subjects=subjects)
        for task, (_, kind) in zip(view.tasks(t for t, _ in mine), mine, strict=True):
            reminders.append(Reminder(person.id, person.email, person.name, task, kind))
    return reminders


def _claim(reminder: Reminder, today: date) -> bool:
    """Insert and commit the reminder's log row in a session of its own; False when another run has it."""
    with Session(db.engine) as session:
        session.add(ReminderLog(user_id=reminder.user_id, uid=reminder.task.uid, kind=reminder.kind, sent_on=today,
                                due_on=reminder.task.due_on, created_at=clock.now()))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return False
    return True


def _release(reminders: list[Reminder], today: date) -> None:
    with Session(db.engine) as session:
        for r in reminders:
            session.execute(delete(ReminderLog).where(ReminderLog.user_id == r.user_id, ReminderLog.uid == r.task.uid,
                                                      ReminderLog.kind == r.kind, ReminderLog.sent_on == today))
        session.commit()


def _line(reminder: Reminder, today: date, base_url: str) -> str:
    task = reminder.task
    if reminder.kind == "overdue":
        days = (today - task.due_on).days
        when = f"Fristen var {dadate(task.due_on)} – overskredet med {days} {'dag' if days == 1 else 'dage'}"
    else:
        when = f"Frist: {dadate(task.due_on)} ({KIND_TEXT[reminder.kind]})"
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
    overdue = [r for r in user_reminders if r.kind == "overdue"]
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
        self.connection = smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=30)
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


def send_reminders(today: date | None = None) -> RunResult:
    """Send today's reminders for every home; safe to run twice, or on two servers at once."""
    today = today or clock.today()
    result = RunResult()
    by_user: dict[int, list[Reminder]] = defaultdict(list)
    homes = list(db.session.scalars(select(Home).order_by(Home.id)))
    for home in homes:
        for reminder in due_reminders(home, today):
            if _claim(reminder, today):
                by_user[reminder.user_id].append(reminder)
            else:
                result.skipped += 1
    if not by_user:
        return result
    try:
        transport = _transport()
    except (OSError, smtplib.SMTPException):
        for reminders in by_user.values():
            _release(reminders, today)
        raise
    try:
        for reminders in by_user.values():
            message = compose(reminders, today)
            try:
                transport.send(message, today)
            except (OSError, smtplib.SMTPException):
                current_app.logger.exception("Reminder to user %s could not be sent", reminders[0].user_id)
                _release(reminders, today)
                result.failed += len(reminders)
                continue
            result.sent += len(reminders)
            result.messages.append(message)
    finally:
        transport.close()
    return result
