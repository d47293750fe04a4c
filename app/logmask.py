"""Secrets never reach a log: calendar feed tokens (``/cycle/feed/<token>.ics``), keys or codes in a query
string (``?token=``, ``?key=``, ``?code=``) and bearer keys are replaced by ``***``.

`SecretMaskFilter` is a plain `logging.Filter`: attach it to every handler a deployment configures (the
gunicorn access and error logs included, see docs/DEVELOPING.md). `install(app)`, called by `create_app`,
attaches it to the app's own logger, to the development server's access log (``werkzeug``) and to
gunicorn's loggers, and to their handlers and the root logger's, so records of the app's child loggers
(``app.quality.services``) are masked on their way out too.
"""

from __future__ import annotations

import logging
import re

MASK = "***"
_SECRETS = (
    (re.compile(r"(/feed/)[^/?#\s\"']+?(\.ics\b)"), rf"\g<1>{MASK}\g<2>"),
    (re.compile(r"(/feed/)(?!\*\*\*)[^/?#\s\"']+"), rf"\g<1>{MASK}"),
    (re.compile(r"([?&](?:token|key|api_key|code)=)[^&#\s\"']+", re.IGNORECASE), rf"\g<1>{MASK}"),
    (re.compile(r"(\bBearer\s+)[^\s\"',]+", re.IGNORECASE), rf"\g<1>{MASK}"),
)
#: The loggers `install` filters besides the app's own.
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def mask(text: str) -> str:
    """`text` with every secret the module knows replaced by MASK."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class SecretMaskFilter(logging.Filter):
    """Masks secrets in a record's final message (format string and arguments together, since a token is often
    an argument: gunicorn's access log passes the request line in a dict). Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record is logging's own error to report
            return True
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def _attach(target: logging.Logger | logging.Handler, mask_filter: SecretMaskFilter) -> None:
    if not any(isinstance(f, SecretMaskFilter) for f in target.filters):
        target.addFilter(mask_filter)


#: The one instance, also in app/logs.py LOG_FILTERS, so gunicorn.conf.py puts it on the handlers gunicorn adds
#: after the app is built (its access and error logs).
MASK_FILTER = SecretMaskFilter()


def install(app) -> None:
    """Attach the filter to the app's logger, the access-log loggers, and the handlers they and the root use."""
    from app.logs import LOG_FILTERS

    mask_filter = MASK_FILTER
    if mask_filter not in LOG_FILTERS:
        LOG_FILTERS.append(mask_filter)
    loggers = [app.logger, *(logging.getLogger(name) for name in LOGGERS)]
    for logger in loggers:
        _attach(logger, mask_filter)
    for logger in [*loggers, logging.getLogger()]:
        for handler in logger.handlers:
            _attach(handler, mask_filter)
