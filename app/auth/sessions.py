"""Login sessions: start, end, expire, and find the person a session cookie belongs to.

The cookie (Flask's signed session) carries a random token; the database keeps only its SHA-256, so a
database read or a backup yields no usable session. A session ends at logout, when `end_all_sessions` is
called for an account change (new start code, leaving date, lost role, ...), after `SESSION_IDLE_MINUTES`
without a request, and `SESSION_MAX_HOURS` after login, whatever happens in between. An ended session never
comes back: re-enabling a person or clearing a leaving date lets them log in anew, nothing more.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, flash, g, redirect, request
from flask_login import login_url, logout_user
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from app import clock
from app.audit.services import record
from app.auth.models import LoginSession
from app.extensions import db, login_manager
from app.people.models import User

#: Last activity is written at most this often per session, so a busy page costs no write per request. The idle
#: timeout is measured from the recorded activity, so it may end a session up to this much early.
TOUCH_INTERVAL = timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """Open a session for a person who has just proven who they are; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    db.session.add(LoginSession(token_hash=token_hash(token), user_id=user.id, created_at=now, last_seen_at=now))
    user.session_token = token
    return token


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.token_hash == token_hash(token), LoginSession.ended_at.is_(None))
            .values(ended_at=clock.now())
        )


def end_other_sessions(user: User, keep_token: str | None) -> None:
    """End every session of the person except the one asking (their own password change)."""
    keep = token_hash(keep_token) if keep_token else ""
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None), LoginSession.token_hash != keep)
        .values(ended_at=clock.now())
    )


def end_all_sessions(user: User, reason: str) -> int:
    """End every open session of a person, because someone else changed what their login may do (a start
    code, a password reset, a leaving date, disabling, a removed role). Audited with the reason; flushes, the
    caller commits. Returns how many sessions ended."""
    result = db.session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=clock.now())
    )
    ended = result.rowcount or 0
    record("auth.sessions_ended", user, summary=user.email, reason=reason, sessions=ended)
    return ended


@dataclass(frozen=True)
class Expiry:
    """Why a session was just ended by its age; `message` is shown at the login page."""

    kind: str
    message: str


def _duration(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return "1 time" if hours == 1 else f"{hours} timer"
    return "1 minut" if minutes == 1 else f"{minutes} minutter"


def _expiry(created_at: datetime, last_seen_at: datetime, now: datetime) -> Expiry | None:
    """The session's age rule: idle longer than the idle timeout, or older than the absolute lifetime."""
    max_hours = current_app.config["SESSION_MAX_HOURS"]
    if now - created_at > timedelta(hours=max_hours):
        lifetime = _duration(max_hours * 60)
        return Expiry("max_age", f"Du er blevet logget ud, fordi du har været logget ind i {lifetime}. Log ind igen.")
    idle = current_app.config["SESSION_IDLE_MINUTES"]
    if now - last_seen_at > timedelta(minutes=idle):
        return Expiry("idle", f"Du er blevet logget ud efter {_duration(idle)} uden aktivitet. Log ind igen.")
    return None


#: Built once: every request runs it. The home (header) and the roles (navigation, permissions) come along,
#: so a page needs no further query to know who is asking.
_USER_BY_SESSION = (
    select(User, LoginSession.id, LoginSession.created_at, LoginSession.last_seen_at)
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(LoginSession.token_hash == bindparam("token_hash"), LoginSession.ended_at.is_(None))
    .options(joinedload(User.home), joinedload(User.role_rows))
)


def _bookkeeping(statement) -> None:
    """Write session bookkeeping in its own short transaction: it must stick even if the request fails, and it
    must not commit (or expire) the request's own work. Login sessions do not count as data (app/cache.py)."""
    with db.engine.begin() as connection:
        connection.execute(statement)


def load_user_by_session(token: str) -> User | None:
    """The person behind a session cookie, or None for an unknown, ended or expired session or for a person who
    is no longer current (left or disabled). An expired session, or one of a person no longer current, is ended
    here, so nothing later can bring it back; `g.session_expiry` says why for the login page."""
    row = db.session.execute(_USER_BY_SESSION, {"token_hash": token_hash(token)}).unique().one_or_none()
    if row is None:
        return None
    user, session_id, created_at, last_seen_at = row
    now = clock.now()
    expiry = _expiry(created_at, last_seen_at, now)
    if expiry is not None or not user.is_current:
        _bookkeeping(update(LoginSession).where(LoginSession.id == session_id, LoginSession.ended_at.is_(None))
                     .values(ended_at=now))
        if expiry is not None:
            g.session_expiry = expiry
        return None
    if now - last_seen_at >= TOUCH_INTERVAL:
        _bookkeeping(update(LoginSession).where(LoginSession.id == session_id, LoginSession.last_seen_at < now)
                     .values(last_seen_at=now))
    user.session_token = token
    return user


def unauthorized_response():
    """A page that needs a login, asked for without a usable session: to the login page, which sends the person
    back here afterwards. After an expiry the message says why they were logged out."""
    expiry = g.pop("session_expiry", None)
    if expiry is not None:
        logout_user()  # the cookie's token is of no use any more
    flash(expiry.message if expiry is not None else login_manager.login_message, "info")
    return redirect(login_url(login_manager.login_view, next_url=request.url))
