"""Calendar feed tokens and API keys never reach a log the app writes (app/logmask.py)."""

from __future__ import annotations

import logging

import pytest

from app.logmask import SecretMaskFilter

SECRET = "Zk3q-9xY_secretFeedToken"


def _records(caplog, logger_name: str, message: str, args) -> str:
    call_args = args if isinstance(args, tuple) else (args,)
    with caplog.at_level(logging.INFO):
        logging.getLogger(logger_name).info(message, *call_args)
    return caplog.text


@pytest.mark.parametrize(("logger_name", "message", "args"), [
    ("werkzeug", '%s - - [%s] "%s" %s %s', ("127.0.0.1", "02/Dec/2026", f"GET /cycle/feed/{SECRET}.ics HTTP/1.1",
                                             "200", "-")),
    ("gunicorn.access", '%(h)s "%(r)s" %(s)s', {"h": "10.0.0.1", "r": f"GET /cycle/feed/{SECRET}.ics HTTP/1.1",
                                                "s": "200"}),
    ("app", "Exception on %s [%s]", (f"/cycle/feed/{SECRET}.ics", "GET")),
    ("app", "Exception on %s [%s]", (f"/quality/api/current.json?department=1&token={SECRET}", "GET")),
    ("gunicorn.error", "Authorization: %s", (f"Bearer {SECRET}",)),
], ids=["dev server access log", "gunicorn access log", "app error", "api key in a query", "bearer header"])
def test_secrets_are_masked_in_the_logs(app, caplog, logger_name, message, args):
    text = _records(caplog, logger_name, message, args)
    assert SECRET not in text and "***" in text


def test_the_rest_of_a_line_is_kept(app, caplog):
    text = _records(caplog, "werkzeug", '"%s" %s', (f"GET /cycle/feed/{SECRET}.ics?x=1 HTTP/1.1", "200"))
    assert '"GET /cycle/feed/***.ics?x=1 HTTP/1.1" 200' in text
    assert "/cycle/kalender/aarshjul.ics?aar=2026" in _records(caplog, "werkzeug", "%s",
                                                               ("GET /cycle/kalender/aarshjul.ics?aar=2026",))


def test_the_filter_can_be_attached_to_any_handler():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "GET %s", (f"/cycle/feed/{SECRET}.ics",), None)
    assert SecretMaskFilter().filter(record) is True
    assert record.getMessage() == "GET /cycle/feed/***.ics"
