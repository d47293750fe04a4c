"""Health check and the page shown when the database cannot be reached.

`/healthz` tells a load balancer whether this server can reach its database (200) or not (503); it needs no
login and says nothing else. When the database is down any page gets `errors/unavailable.html`, which
touches neither the database nor the logged-in user, and the failure is logged as one line.
"""

from __future__ import annotations

from flask import Flask, Response, g, has_request_context, render_template, request
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from app.extensions import db, login_manager

HEALTH_ENDPOINT = "healthz"


def _plain(body: str, status: int) -> Response:
    response = Response(body + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


@event.listens_for(db.session, "after_commit")
def _remember_commit(session) -> None:
    """A commit in this request: if the database then goes away, the page can say the post was saved."""
    if has_request_context():
        g.kp_committed = True


def init_app(app: Flask) -> None:
    @app.get("/healthz", endpoint=HEALTH_ENDPOINT)
    def healthz():
        try:
            db.session.execute(text("SELECT 1"))
        except DBAPIError as error:
            app.logger.warning("Health check failed: the database cannot be reached (%s)", type(error.orig).__name__)
            _forget()
            return _plain("unavailable", 503)
        return _plain("ok", 200)

    # Lost or refused connections (and SQLite's "database is locked") are OperationalError or InterfaceError;
    # other database errors are bugs and stay with the general 500 handler in app/web.py.
    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error: DBAPIError):
        # One line per failed request, no traceback: an outage must not flood the log.
        app.logger.warning("Database unavailable on %s %s (%s)", request.method, request.path,
                           type(error.orig).__name__ if error.orig is not None else type(error).__name__)
        _forget()
        return render_template("errors/unavailable.html", posted=request.method == "POST",
                               saved=bool(g.get("kp_committed"))), 503


def _forget() -> None:
    """Roll back without letting a dead connection raise again, and make `current_user` anonymous for the rest of
    the request, so the error page and the response hooks do not try the database again."""
    try:
        db.session.rollback()
    except DBAPIError:
        db.session.close()
    g._login_user = login_manager.anonymous_user()
