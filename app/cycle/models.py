"""The annual cycle's own records: Mini-MED meetings (and, added by the cycle feature, task completions)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import db


class MiniMedAttendance(db.Model):
    __tablename__ = "mini_med_attendances"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("mini_med_meetings.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class MiniMedMeeting(db.Model):
    """A meeting of the joint staff-management committee. The year's first and last ones carry duties."""

    __tablename__ = "mini_med_meetings"
    __table_args__ = (UniqueConstraint("home_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(160), default="Mini-MED-møde")
    minutes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    attendees = relationship("User", secondary="mini_med_attendances", order_by="User.name_sort_key")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_held(self) -> bool:
        """A meeting counts as held from its day on."""
        return self.held_on <= clock.today()


class TaskCompletion(db.Model):
    """A task marked done: by a person (done_by_id) or automatically by an event (via_event).

    A row whose uid ends in "~u<user id>" is one person's share of a collective duty (e.g. their own
    course wish); it does not mark the shared task done.
    """

    __tablename__ = "task_completions"
    __table_args__ = (UniqueConstraint("home_id", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    uid: Mapped[str] = mapped_column(String(300))
    #: The task's due day, so a year's completions load in one query.
    due_on: Mapped[date] = mapped_column(Date, index=True)
    done_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    via_event: Mapped[str] = mapped_column(String(80), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    done_by = relationship("User")

    @property
    def is_automatic(self) -> bool:
        """Done by an event in the app, not by a person's click."""
        return self.done_by_id is None


class CalendarToken(db.Model):
    """A secret calendar-feed link. Only the SHA-256 of the token is stored; renewing revokes the old one."""

    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    #: Outlook polls the feed every few minutes; noting when must not throw away every cached page (app/cache.py).
    cache_ignored_columns = frozenset({"last_used_at"})

    user = relationship("User")

    @property
    def is_active(self) -> bool:
        """A token works until it is revoked (renewed or switched off)."""
        return self.revoked_at is None


class ReminderLog(db.Model):
    """One reminder to one person about one task, due on one day (`sent_on`). The row is written unsent
    (`sent_at` empty) when a run finds the reminder due, claimed by a run for a while (`claim`, `claimed_at`)
    just before the person's e-mail goes out, and marked sent only once the SMTP server accepted it."""

    __tablename__ = "reminder_logs"
    __table_args__ = (UniqueConstraint("user_id", "uid", "kind", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    uid: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    sent_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
