"""Calendar export: secret feed tokens and an iCalendar (RFC 5545) writer, by hand, with no extra dependency.

Every task is an all-day event (DTSTART;VALUE=DATE and DTEND the day after), so time zones and DST
never move it; the calendar still names Europe/Copenhagen for clients that want one.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app import clock
from app.audit.services import record
from app.cycle.models import CalendarToken
from app.extensions import db
from app.hooks import Task
from app.people.constants import AUDIENCE_LABELS

PRODID = "-//Kompetenceportalen//Årshjul//DA"
UID_DOMAIN = "kompetenceportalen"
MAX_OCTETS = 75


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_token(user) -> CalendarToken | None:
    return db.session.scalar(select(CalendarToken).where(CalendarToken.user_id == user.id,
                                                         CalendarToken.revoked_at.is_(None)))


def revoke_tokens(user) -> int:
    """Switch off the person's feed link(s); the rows stay as history."""
    rows = db.session.scalars(select(CalendarToken).where(CalendarToken.user_id == user.id,
                                                          CalendarToken.revoked_at.is_(None))).all()
    for row in rows:
        row.revoked_at = clock.now()
    db.session.flush()
    return len(rows)


def new_token(user) -> str:
    """A new secret feed token for the person; any older one stops working. Only its hash is stored."""
    renewed = revoke_tokens(user) > 0
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarToken(user_id=user.id, token_hash=hash_token(token), created_at=clock.now()))
    db.session.flush()
    record("cycle.calendar_token_renewed" if renewed else "cycle.calendar_token_created", None,
           summary="Nyt kalenderlink" if renewed else "Kalenderlink oprettet", home_id=user.home_id, actor=user)
    return token


def user_for_token(token: str):
    """The current person a feed token belongs to, or None (unknown, revoked, or the person has left)."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(CalendarToken).where(CalendarToken.token_hash == hash_token(token),
                                                        CalendarToken.revoked_at.is_(None)))
    if row is None or row.user is None or not row.user.is_current:
        return None
    row.last_used_at = clock.now()
    return row.user


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= MAX_OCTETS:
        return line
    parts, current, limit = [], b"", MAX_OCTETS
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", MAX_OCTETS - 1  # continuation lines start with one space
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def event_lines(task: Task, base_url: str, stamp: str, *, is_done: bool, department_names: dict[int, str]) -> list[str]:
    summary = ("Udført: " if is_done else "") + task.title
    description = []
    if task.detail:
        description.append(task.detail)
    if task.responsible:
        description.append(f"Ansvarlig: {AUDIENCE_LABELS.get(task.responsible, task.responsible)}")
    if task.department_id in department_names:
        description.append(f"Afdeling: {department_names[task.department_id]}")
    if is_done and task.done_note:
        description.append(task.done_note)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{task.uid}@{UID_DOMAIN}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_day(task.due_on)}",
        f"DTEND;VALUE=DATE:{_day(task.due_on + timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(chr(10).join(description))}")
    if task.url:
        url = task.url if "://" in task.url else base_url.rstrip("/") + task.url
        lines.append(f"URL:{url}")
    lines += ["TRANSP:TRANSPARENT", "STATUS:CONFIRMED", "END:VEVENT"]
    return lines


def calendar(tasks: Iterable[Task], *, name: str, base_url: str, done_uids: set[str] = frozenset(),
             department_names: dict[int, str] | None = None) -> str:
    """The tasks as one VCALENDAR text with CRLF line endings, stamped now. The tasks have been through
    need_to_know (`outside=True`): their titles are what may leave the app."""
    stamp = _stamp(clock.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Europe/Copenhagen",
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
        "X-PUBLISHED-TTL:PT12H",
    ]
    for task in tasks:
        lines += event_lines(task, base_url, stamp, is_done=task.is_done or task.uid in done_uids,
                             department_names=department_names or {})
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)

