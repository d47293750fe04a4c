"""When a request reached the server, so a deadline judges a request by it and not by how long it queued.

Behind a trusted reverse proxy (KP_TRUSTED_PROXIES set) the proxy's request-start header tells when the
proxy received the request (nginx: `proxy_set_header X-Request-Start "t=${msec}";`); otherwise it is the
moment the worker took the request, recorded before anything else runs. `clock.received_at()` reads it.
"""

from __future__ import annotations

import time
from datetime import timedelta

from flask import current_app, g, request

from app import clock

#: A proxy's start time further back than this is not believed (a wrong clock, not a queue).
MAX_QUEUE_WAIT = timedelta(minutes=10)


def queue_wait(header: str | None, real_now: float) -> timedelta | None:
    """How long ago (real time) the proxy received the request, from a request-start header.

    Accepts `t=<epoch>` or a bare epoch in seconds (with a fraction), milliseconds or microseconds, as nginx,
    Apache and Heroku send it. None when the header is missing, unreadable or beyond MAX_QUEUE_WAIT; a start
    in the future (clocks a little apart) counts as no wait.
    """
    if not header:
        return None
    value = header.strip().removeprefix("t=")
    try:
        number = float(value)
    except ValueError:
        return None
    if number != number or number <= 0:  # NaN or nonsense
        return None
    if number > 1e14:
        number /= 1e6
    elif number > 1e11:
        number /= 1e3
    wait = timedelta(seconds=max(0.0, real_now - number))
    return wait if wait <= MAX_QUEUE_WAIT else None


def _record_start() -> None:
    g.request_started_at = clock.now()
    if current_app.config["TRUSTED_PROXIES"]:
        wait = queue_wait(request.headers.get(current_app.config["REQUEST_START_HEADER"]), time.time())
        if wait is not None:
            # The wait is measured in real time and taken off the app's clock, so a set clock still works.
            g.request_started_at -= wait


def init_app(app) -> None:
    """Register first, so the time is taken before sessions, logins or CSRF checks run."""
    app.before_request_funcs.setdefault(None, []).insert(0, _record_start)
