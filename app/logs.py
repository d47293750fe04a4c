"""Logging: a request id per request, app logs as one JSON object per line, the user id for the access log.

gunicorn.conf.py writes the access log (one line per request) and uses the same request id, which this module
takes from the X-Request-ID header (when it looks like an id) or makes, keeps in `g.request_id` and sends back
in the response header. Log lines carry ids, never names or tokens.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID_HEADER = "X-Request-ID"
#: The WSGI environ key gunicorn's access log reads the logged-in user's id from (`%({kp.user_id}e)s`).
USER_ID_ENVIRON = "kp.user_id"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

#: Filters every log handler of the app and gunicorn's access log run, in order (e.g. masking secrets in
#: paths). Add one with `LOG_FILTERS.append(MyFilter())` at import time; `attach_filters` puts them in place.
LOG_FILTERS: list[logging.Filter] = []


def request_id() -> str:
    """The current request's id, or "-" outside a request."""
    return g.get("request_id", "-") if has_request_context() else "-"


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request id, and the
    traceback (as one escaped string) if there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (so test capture and gunicorn redirection both work)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


class DropTraceback(logging.Filter):
    """Keeps the message of a library's error line but not its traceback: during a database outage the
    connection pool would otherwise print one traceback per failed connection."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


def attach_filters(handler_or_logger) -> None:
    """Attach every filter in LOG_FILTERS (once each)."""
    for log_filter in LOG_FILTERS:
        if log_filter not in handler_or_logger.filters:
            handler_or_logger.addFilter(log_filter)


def json_handler() -> logging.Handler:
    handler = _StderrHandler()
    handler.setFormatter(JSONFormatter())
    attach_filters(handler)
    return handler


def init_app(app: Flask) -> None:
    app.logger.removeHandler(default_handler)  # Flask's plain-text handler would write every line twice
    if not any(isinstance(h.formatter, JSONFormatter) for h in app.logger.handlers):
        app.logger.addHandler(json_handler())
    pool_logger = logging.getLogger("sqlalchemy.pool")
    if not pool_logger.handlers:
        handler = json_handler()
        handler.addFilter(DropTraceback())
        pool_logger.addHandler(handler)
        pool_logger.propagate = False

    def assign_request_id():
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex

    # First of all hooks, so a request another hook refuses (a CSRF failure, say) has its id too.
    app.before_request_funcs.setdefault(None, []).insert(0, assign_request_id)

    @app.after_request
    def send_request_id(response):
        response.headers[REQUEST_ID_HEADER] = request_id()
        # Only a user this request already loaded: logging must not cost a query (or fail in an outage).
        user = g.get("_login_user")
        if user is not None and user.is_authenticated:
            request.environ[USER_ID_ENVIRON] = str(user.id)
        return response
