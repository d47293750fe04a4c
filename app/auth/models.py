"""Login sessions kept in the database (so logout and password changes really end them) and login attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import db


class LoginSession(db.Model):
    """One login. The cookie carries a random token; only its SHA-256 is stored, so a database read or a backup
    yields no usable session. It ends at logout, on an account change (`sessions.end_all_sessions`), after
    `SESSION_IDLE_MINUTES` without a request or `SESSION_MAX_HOURS` after login."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")


class LoginAttempt(db.Model):
    """One login try, recorded before the password is checked; recent failures delay further tries for that
    e-mail and from that address (`throttle.py`), across workers. A try refused by the delay is kept with
    `was_throttled` and does not count as a failure."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_remote_addr_at", "remote_addr", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    was_throttled: Mapped[bool] = mapped_column(Boolean, default=False)
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
