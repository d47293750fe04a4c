"""Single sign-on through the region's directory (OpenID Connect, with Authlib as the client).

Off unless KP_OIDC_ISSUER is set. Nothing is fetched from the provider until someone signs in: its metadata and
keys are loaded on the first sign-on and kept. Authlib checks the state, the nonce, the signature, the issuer,
the audience and the expiry of the ID token; sso.person_for_claims decides who that is here.
"""

from __future__ import annotations

import logging

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from joserfc.errors import JoseError
from requests import RequestException

from app.audit.services import record
from app.auth import bp
from app.auth.routes import _safe_next
from app.auth.sessions import start_session
from app.auth.sso import SignOnRefused, person_for_claims
from app.extensions import db
from app.urls import external_url

log = logging.getLogger(__name__)

CLIENT_NAME = "region"
_NEXT_KEY = "sso_next"
_SIGNED_ON_KEY = "signed_on_by_sso"
#: Seconds to wait for the provider before telling the person it cannot be reached.
PROVIDER_TIMEOUT = 10
#: The pages of password login; refused when the installation has switched local passwords off.
PASSWORD_ENDPOINTS = frozenset({"auth.set_first_password", "auth.change_password"})


@bp.record_once
def _init(state) -> None:
    init_app(state.app)


def init_app(app: Flask) -> None:
    """Register the provider when single sign-on is configured; check that someone can still log in."""
    config = app.config
    if not config["OIDC_ISSUER"]:
        if not config["LOCAL_PASSWORDS"]:
            raise RuntimeError("KP_LOCAL_PASSWORDS is off but KP_OIDC_ISSUER is not set: nobody could log in.")
        return
    if not config["OIDC_CLIENT_ID"]:
        raise RuntimeError("KP_OIDC_ISSUER is set but KP_OIDC_CLIENT_ID is not.")
    if "openid" not in config["OIDC_SCOPE"].split():
        raise RuntimeError("KP_OIDC_SCOPE must include openid: without an ID token nobody can be identified.")
    oauth = OAuth(app)
    oauth.register(
        CLIENT_NAME,
        client_id=config["OIDC_CLIENT_ID"],
        client_secret=config["OIDC_CLIENT_SECRET"] or None,
        server_metadata_url=metadata_url(config),
        client_kwargs={"scope": config["OIDC_SCOPE"], "code_challenge_method": "S256",
                       "default_timeout": PROVIDER_TIMEOUT},
    )


def metadata_url(config) -> str:
    return config["OIDC_METADATA_URL"] or config["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration"


def is_enabled() -> bool:
    return bool(current_app.config["OIDC_ISSUER"])


def redirect_uri() -> str:
    """The address to register with the provider: fixed by KP_BASE_URL, not by whatever host a request named."""
    return external_url("auth.sso_callback")


def password_not_needed() -> bool:
    """A person signed on by the directory is never sent to choose a local password."""
    return not current_app.config["LOCAL_PASSWORDS"] or bool(session.get(_SIGNED_ON_KEY))


def _client():
    return current_app.extensions["authlib.integrations.flask_client"].create_client(CLIENT_NAME)


@bp.context_processor
def _login_options() -> dict:
    return {"sso_enabled": is_enabled(), "local_passwords": current_app.config["LOCAL_PASSWORDS"]}


@bp.before_request
def _refuse_password_login_when_off():
    if current_app.config["LOCAL_PASSWORDS"]:
        return None
    if request.endpoint == "auth.login" and request.method == "POST":
        flash(_("Log ind med adgangskode er slået fra. Brug regionens login."), "error")
        return render_template("auth/login.html", form=None), 403
    if request.endpoint in PASSWORD_ENDPOINTS:
        flash(_("Adgangskoder er slået fra. Du logger ind med regionens login."), "info")
        return redirect(url_for("dashboard.index"))
    return None


def _failed(reason: str):
    """A sign-on whose answer did not hold up (state, signature, issuer, audience, expiry): logged and audited."""
    log.warning("single sign-on refused: %s", reason)
    record("auth.sso_failed", summary=reason, remote_addr=request.remote_addr or "")
    db.session.commit()
    return _back_to_login(_("Login med regionens login mislykkedes. Prøv igen."))


def _back_to_login(message: str):
    flash(message, "error")
    return redirect(url_for("auth.login"))


@bp.get("/sso/login")
def sso_login():
    if not is_enabled():
        return redirect(url_for("auth.login"))
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    session[_NEXT_KEY] = _safe_next(request.args.get("next"))
    try:
        return _client().authorize_redirect(redirect_uri())
    except (RequestException, AuthlibBaseError, ValueError) as error:
        log.warning("single sign-on could not start: %s", error)
        return _back_to_login(_("Regionens login kan ikke nås lige nu. Prøv igen om lidt."))


@bp.get("/sso/callback")
def sso_callback():
    if not is_enabled():
        return redirect(url_for("auth.login"))
    try:
        token = _client().authorize_access_token(claims_options=_claims_options())
    except RequestException as error:
        log.warning("single sign-on: the provider could not be reached: %s", error)
        return _back_to_login(_("Regionens login kan ikke nås lige nu. Prøv igen om lidt."))
    except (AuthlibBaseError, JoseError, ValueError) as error:
        return _failed(f"{type(error).__name__}: {error}")
    claims = token.get("userinfo")
    if not claims:  # no ID token: nothing was validated, so nobody is known
        return _failed("the provider sent no ID token")
    try:
        user = person_for_claims(dict(claims), request.remote_addr or "")
    except SignOnRefused as refusal:
        return _back_to_login(str(refusal))
    target = session.get(_NEXT_KEY) or url_for("dashboard.index")
    session.clear()
    start_session(user)
    login_user(user)
    session[_SIGNED_ON_KEY] = True
    db.session.commit()
    return redirect(target)


def _claims_options() -> dict:
    """The ID token must come from the configured issuer (not merely the one the metadata names)."""
    return {"iss": {"essential": True, "values": [current_app.config["OIDC_ISSUER"]]}}
