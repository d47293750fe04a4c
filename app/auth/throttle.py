"""Login throttling: recent failures delay the next try, per account and per client address.

After `LOGIN_ACCOUNT_FREE_FAILURES` failures for an e-mail within `LOGIN_WINDOW_MINUTES` (since its last
successful login), the next try for that e-mail must wait 1, 2, 4, ... seconds after the latest failure, at most
`LOGIN_ACCOUNT_MAX_DELAY_SECONDS`. The same holds per client address with `LOGIN_ADDRESS_FREE_FAILURES` and
`LOGIN_ADDRESS_MAX_DELAY_SECONDS`, and a success does not reset it: one password tried against many accounts
from one address slows down to one try per quarter of an hour. There is no lock: the owner's correct password
after the (short) per-account delay logs in, and a try refused by the delay does not count as a failure, so
nobody can lengthen the delay by knocking. The answer during a delay is the same whether or not the account
exists.

Atomic under parallel tries, across workers: every try is recorded and committed *before* it counts the
others. Of two tries racing for the last free slot, at least the one that counts later sees the other's row,
so no more tries reach the password check than the rule allows (at worst both are told to wait).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, select, update

from app import clock
from app.auth.models import LoginAttempt
from app.extensions import db

#: The first delay after the free failures; each further failure doubles it, up to the configured cap.
FIRST_DELAY = timedelta(seconds=1)


def delay_after(failures: int, free: int, cap_seconds: int) -> timedelta:
    """How long the next try waits after the latest of `failures` recent failures."""
    if failures < free:
        return timedelta(0)
    doublings = min(failures - free, 30)
    return min(FIRST_DELAY * 2**doublings, timedelta(seconds=cap_seconds))


def _waits(attempt_id: int, at: datetime, key, since, free: int, cap: int) -> bool:
    """Whether this try must wait, given the failures (and tries still being checked) other than this one that
    match `key` and `since`."""
    failures, latest = db.session.execute(
        select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
            key, since, LoginAttempt.id != attempt_id, LoginAttempt.succeeded.is_(False),
            LoginAttempt.was_throttled.is_(False))
    ).one()
    delay = delay_after(failures, free, cap)
    if latest is None or not delay:
        return False  # within the free failures nobody waits, not even for a try recorded a moment later
    return at < latest + delay


def begin_attempt(email: str, remote_addr: str) -> int | None:
    """Record a login try and commit it; return its id if it may go on to the password check, or None if it
    must wait (then it is kept as throttled, committed)."""
    config = current_app.config
    at, remote_addr = clock.now(), remote_addr[:64]
    attempt = LoginAttempt(email=email, remote_addr=remote_addr, at=at)
    db.session.add(attempt)
    db.session.flush()
    attempt_id = attempt.id
    db.session.commit()
    window_start = at - timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.at)).where(LoginAttempt.email == email, LoginAttempt.succeeded.is_(True),
                                                LoginAttempt.at >= window_start)
    )
    recent = LoginAttempt.at >= window_start
    account_since = and_(recent, LoginAttempt.at > last_success) if last_success else recent
    waits = _waits(attempt_id, at, LoginAttempt.email == email, account_since,
                   config["LOGIN_ACCOUNT_FREE_FAILURES"], config["LOGIN_ACCOUNT_MAX_DELAY_SECONDS"])
    if not waits and remote_addr:
        waits = _waits(attempt_id, at, LoginAttempt.remote_addr == remote_addr, recent,
                       config["LOGIN_ADDRESS_FREE_FAILURES"], config["LOGIN_ADDRESS_MAX_DELAY_SECONDS"])
    if waits:
        db.session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(was_throttled=True))
        db.session.commit()
        return None
    return attempt_id


def mark_succeeded(attempt_id: int) -> None:
    """A checked try was the right password: it is no failure, and the account's count starts afresh.
    The caller commits."""
    db.session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True))
