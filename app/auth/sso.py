"""Who a single sign-on is: matching the directory's claims to a person who already exists.

Nobody is created here: the directory says who someone is, the home says who works there. A person is found by
the stable claim stored at their first sign-on, or, that first time, by their e-mail; the claim is then stored,
so a later change of name or e-mail in the directory does not lose them.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.audit.services import record
from app.auth.services import AuthError
from app.extensions import db
from app.people.models import User


class SignOnRefused(AuthError):
    """A single sign-on the directory accepted but this home does not; the message is shown to the person."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def _email_domain_allowed(email: str) -> bool:
    allowed = current_app.config["OIDC_ALLOWED_DOMAINS"]
    return not allowed or email.rpartition("@")[2] in allowed


def person_for_claims(claims: dict, remote_addr: str = "") -> User:
    """Return the current person the validated ID token's claims belong to, linking them on first use;
    raise SignOnRefused (audited and committed) otherwise."""
    config = current_app.config
    subject = str(claims.get(config["OIDC_MATCH_CLAIM"]) or "").strip()
    email = str(claims.get(config["OIDC_EMAIL_CLAIM"]) or "").strip().lower()
    try:
        return _match(subject, email)
    except SignOnRefused as refusal:
        record("auth.sso_refused", summary=email or subject, reason=refusal.reason, subject=subject or None,
               remote_addr=remote_addr)
        db.session.commit()
        raise


def _match(subject: str, email: str) -> User:
    if not subject:
        raise SignOnRefused("Regionens login sendte ikke det id, Kompetenceportalen kender dig på. Kontakt IT.",
                            "no_subject")
    if not _email_domain_allowed(email):
        raise SignOnRefused("Din bruger hos regionen har ikke adgang til Kompetenceportalen.", "domain")
    user = db.session.scalar(select(User).where(User.sso_subject == subject))
    linking = user is None
    if linking:
        user = db.session.scalar(select(User).where(User.email == email)) if email else None
        if user is None:
            raise SignOnRefused("Du er ikke oprettet i Kompetenceportalen. Kontakt din leder.", "unknown")
        if user.sso_subject is not None:
            raise SignOnRefused("Din e-mail hører til en anden bruger hos regionen. Kontakt IT.", "other_subject")
    if not user.is_current:
        raise SignOnRefused("Du har ikke længere adgang til Kompetenceportalen.", "not_current")
    if linking:
        user.sso_subject = subject
        record("auth.sso_linked", user, actor=user, summary=email)
    record("auth.login", user, actor=user, summary=user.email, method="sso")
    return user
