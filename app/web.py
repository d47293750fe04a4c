"""Everything every page shares: Danish formatting filters, security headers, error pages, template globals."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from flask import Flask, g, render_template, request
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from app import clock
from app.hooks import nav_current, nav_for
from app.links import link, may_follow
from app.permissions import can

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)


@lru_cache(maxsize=8192)
def _danish_long_date(value: date) -> str:
    # The UI is Danish only, so the locale is fixed and each day's text can be cached (Babel costs ~1 ms a call).
    return babel_format_date(value, "d. MMMM y", locale="da")


def render_fragment(template: str, **context) -> Markup:
    """A template rendered to HTML for placing inside a page (a panel, or a part kept by app/cache.py)."""
    return Markup(render_template(template, **context))  # noqa: S704  # nosec B704 - an autoescaped template


def dadate(value: date | datetime | None, fmt: str = "long") -> str:
    """1. oktober 2026, the date in running text (fmt="short" is `tabledate`)."""
    if fmt == "short":
        return tabledate(value)
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = clock.to_local(value).date()
    return _danish_long_date(value)


def tabledate(value: date | datetime | None, time: bool = False) -> str:
    """01.10.2026, the one date format of table cells and spreadsheets (with `time`: 01.10.2026 kl. 14.05)."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        local = clock.to_local(value)
        text = local.strftime("%d.%m.%Y")
        return f"{text} kl. {local.strftime('%H.%M')}" if time else text
    return value.strftime("%d.%m.%Y")


def dadatetime(value: datetime | None) -> str:
    """1. oktober 2026 kl. 14.05 in Copenhagen time."""
    if value is None:
        return "–"
    local = clock.to_local(value)
    return f"{_danish_long_date(local.date())} kl. {local.strftime('%H.%M')}"


def daymonth(value: date) -> str:
    return format_date(value, "d. MMMM")


def monthname(month: int) -> str:
    return format_date(date(2000, month, 1), "MMMM")


def kroner(value) -> str:
    """12.345 kr. with Danish thousands separators; øre only when there are any (0,01 kr., 12.345,50 kr.)."""
    if value is None:
        return "–"
    pattern = "#,##0" if value == int(value) else "#,##0.00"
    return f"{format_decimal(value, format=pattern, locale='da_DK')} kr."


def danumber(value, decimals: int = 1) -> str:
    """16,0 and 1.234,5: a number with Danish separators and a fixed number of decimals ("–" for none)."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale="da_DK")


def genitive(name: str | None) -> str:
    """Danish possessive: "Annes", but "Jens'", "Max'", "Schultz'" (a name ending in s, x or z takes an apostrophe)."""
    if not name:
        return ""
    name = str(name)
    return f"{name}'" if name[-1].lower() in "sxz" else f"{name}s"


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(dadate=dadate, tabledate=tabledate, dadatetime=dadatetime, daymonth=daymonth,
                                 monthname=monthname, kroner=kroner, danumber=danumber, genitive=genitive)
    app.jinja_env.globals.update(can=can, current_date=clock.today, format_datetime=format_datetime,
                                 link=link, may_follow=may_follow)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def navigation():
        # Runs for every template rendered, dashboard panels included: work it out once per request.
        if "kp_nav" not in g:
            g.kp_nav = nav_for(current_user) if current_user.is_authenticated else ()
            g.kp_nav_current = nav_current(g.kp_nav, request.endpoint, request.path)
        return {"nav": g.kp_nav, "nav_current": g.kp_nav_current}

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static" and current_user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    messages = {
        400: _lazy("Forespørgslen kunne ikke behandles. Tjek det indtastede, og prøv igen."),
        401: _lazy("Du skal logge ind for at se siden."),
        403: _lazy("Du har ikke adgang til denne side eller handling."),
        404: _lazy("Siden findes ikke. Måske er linket forældet."),
        405: _lazy("Handlingen er ikke tilladt her."),
        409: _lazy("Der er sket en ændring i mellemtiden. Indlæs siden, og prøv igen."),
        413: _lazy("Det indsendte er for stort."),
        429: _lazy("For mange forsøg. Vent lidt, og prøv igen."),
        500: _lazy("Der skete en fejl hos os. Prøv igen om lidt; fortsætter fejlen, så kontakt administratoren."),
    }

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/error.html", code=400,
                               message=_("Formularen var forældet eller manglede sikkerhedsnøglen. "
                                         "Indlæs siden, og prøv igen.")), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        message = messages.get(code, error.description)
        return render_template("errors/error.html", code=code, message=message), code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        from app.extensions import db

        db.session.rollback()
        if app.testing and not app.config.get("SHOW_ERROR_PAGES"):
            raise error
        app.logger.exception("Unhandled error on %s", request.path)
        return render_template("errors/error.html", code=500, message=messages[500]), 500


def _lazy(text: str):
    from flask_babel import lazy_gettext

    return lazy_gettext(text)

