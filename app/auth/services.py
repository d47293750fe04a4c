"""Logging in, passwords. Sessions are in `sessions.py`, throttling in `throttle.py`."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.audit.services import record
from app.auth import throttle
from app.extensions import db
from app.people.models import User

MIN_PASSWORD_LENGTH = 8

_dummy_hashes: dict[str, str] = {}


class AuthError(Exception):
    """A login or password change that is refused; the message is shown to the person."""

    status = 401


class LoginDelayed(AuthError):
    """Too many recent failures for this e-mail or from this address: the next try must wait a little."""

    status = 429


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _dummy_hash() -> str:
    """A hash made like a real one, to check against when there is no real one: an unknown e-mail then costs
    the same work as a known one, so the answer's timing does not tell whether the account exists."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash("no such account", method=method)
    return _dummy_hashes[method]


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"Adgangskoden skal være mindst {MIN_PASSWORD_LENGTH} tegn.")
    user.password_hash = hash_password(password)
    user.must_set_password = False


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Check a password (or a start code) against a stored hash; with none, against a dummy one, so the work
    is the same. Exactly one hash computation either way."""
    return check_password_hash(stored_hash or _dummy_hash(), password) and stored_hash is not None


def authenticate(email: str, password: str, remote_addr: str = "") -> User:
    """Return the user for a correct login or raise AuthError with one message for every failure (LoginDelayed
    while recent failures make the try wait). Exactly one password hash is checked per try that is not delayed,
    known e-mail or not."""
    email = email.strip().lower()
    attempt_id = throttle.begin_attempt(email, remote_addr)
    if attempt_id is None:
        record("auth.login_throttled", summary=email, remote_addr=remote_addr)
        db.session.commit()
        raise LoginDelayed("For mange mislykkede forsøg. Vent lidt, og prøv igen.")
    user = db.session.scalar(select(User).where(User.email == email))
    ok = password_matches(user.password_hash if user else None, password) and user is not None and user.is_current
    if not ok:
        record("auth.login_failed", summary=email, home_id=user.home_id if user else None,
               remote_addr=remote_addr)
        db.session.commit()
        raise AuthError("Forkert e-mail eller adgangskode.")
    throttle.mark_succeeded(attempt_id)
    record("auth.login", user, actor=user, summary=email)
    return user
