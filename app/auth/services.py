"""Logging in and out, passwords, throttling."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from app import clock
from app.audit.services import record
from app.auth.models import LoginAttempt, LoginSession
from app.extensions import db
from app.people.models import User

MIN_PASSWORD_LENGTH = 8


class AuthError(Exception):
    """A login or password change that is refused; the message is shown to the person."""


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"Adgangskoden skal være mindst {MIN_PASSWORD_LENGTH} tegn.")
    user.password_hash = hash_password(password)
    user.must_set_password = False


def is_throttled(email: str) -> bool:
    window_start = clock.now() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    failures = db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.email == email, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= window_start
        )
    )
    return failures >= current_app.config["LOGIN_MAX_FAILURES"]


def authenticate(email: str, password: str, remote_addr: str = "") -> User:
    """Return the user for a correct login or raise AuthError with one message for every failure."""
    email = email.strip().lower()
    refused = AuthError("Forkert e-mail eller adgangskode.")
    if is_throttled(email):
        record("auth.login_throttled", summary=email, remote_addr=remote_addr)
        db.session.commit()
        raise AuthError("For mange mislykkede forsøg. Vent et kvarter, og prøv igen.")
    user = db.session.scalar(select(User).where(User.email == email))
    ok = (
        user is not None
        and user.password_hash is not None
        and check_password_hash(user.password_hash, password)
        and user.is_current
    )
    db.session.add(LoginAttempt(email=email, succeeded=ok, remote_addr=remote_addr[:64]))
    if not ok:
        record("auth.login_failed", summary=email, home_id=user.home_id if user else None,
               remote_addr=remote_addr)
        db.session.commit()
        raise refused
    record("auth.login", user, actor=user, summary=email)
    return user


def start_session(user: User) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(token=token, user_id=user.id))
    user.session_token = token
    return token


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(
            update(LoginSession).where(LoginSession.token == token, LoginSession.ended_at.is_(None))
            .values(ended_at=clock.now())
        )


def end_other_sessions(user: User, keep_token: str | None) -> None:
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None), LoginSession.token != keep_token)
        .values(ended_at=clock.now())
    )


#: A login session that is still open, for the token the session cookie carries.
_OPEN_SESSION = (LoginSession.token == bindparam("token"), LoginSession.ended_at.is_(None))

#: Built once: every request runs it. The home (header) and the roles (navigation, permissions) come along,
#: so a page needs no further query to know who is asking.
_USER_BY_SESSION = (
    select(User).join(LoginSession, LoginSession.user_id == User.id).where(*_OPEN_SESSION)
    .options(joinedload(User.home), joinedload(User.role_rows))
)


def load_user_by_session(token: str) -> User | None:
    row = db.session.execute(_USER_BY_SESSION, {"token": token}).unique().scalar_one_or_none()
    if row is not None:
        row.session_token = token
    return row
