"""Whole read-only pages kept per login session, so a reload costs one small query instead of a full request.

"Mine opgaver", the employee list and the quality report are opened again and again between two changes of
the data; each time the same person gets the same HTML. Their content is already kept per data version
(app/cache.py), but assembling the page still loads the user through the ORM, runs the view and renders
``base.html``. For a view marked ``@page_cached``:

- The first GET stores the finished HTML under (login session, the session's CSRF secret, host, path with
  query, data version, today). The login session and the CSRF secret make the key personal: the page holds a
  CSRF token valid only for that session, and nobody else's key can match it.
- A later GET with the same key is answered before the user is loaded, after one SQL statement that checks
  that the login session is still open and the person may still log in and reads the data version
  (``auth.services.session_state``). A logout, a password change that ends other sessions, a leaving date
  reached, a disabled account or any change of data makes the key miss, and the request runs as usual.
- Only complete 200 text/html answers are kept, never when a flashed message was shown or is waiting (the
  message must be shown once, on the page it was meant for).

What the key does not hold, the page must not depend on: mark a view only when everything on it comes from
stored data (writes that bump the data version), the day, the viewer and the URL. Pages that log each read
(children) or list bookkeeping rows that do not bump the version (the audit log) are never marked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Flask, Response, current_app, g, request, session
from flask.globals import request_ctx

from app import cache, clock
from app.auth.services import session_state
from app.people.models import is_current_on

#: Bytes of HTML kept per process (LRU). A dashboard is ~10 kB and the big home's quality report ~60 kB.
MAX_BYTES = 32 * 1024 * 1024

_ATTR = "kp_page_cached"

_pages = cache.Store(MAX_BYTES, weigh=len)


def page_cached(view: Callable) -> Callable:
    """Mark a GET view whose whole page derives from stored data, the day, the viewer and the URL."""
    setattr(view, _ATTR, True)
    return view


def _is_marked() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, _ATTR, False))


def _base_key(token: str, version: int, today: date) -> tuple:
    return (token, request.host, request.script_root, request.full_path, version, today)


def serve_cached_page() -> Response | None:
    """before_request: answer a marked GET from the store, or note the key for after_request to fill."""
    if request.method != "GET" or not _is_marked():
        return None
    token = session.get("_user_id")  # where Flask-Login keeps the login (our login-session token)
    if not token or "_flashes" in session:  # where Flask keeps messages waiting to be shown
        return None
    state = session_state(token)
    if state is None:
        return None  # an ended session: the normal path sends the person to log in
    today = clock.today()
    cache.use_version(state.version)  # one version for the whole request, read before any page data
    if state.must_set_password or not is_current_on(state.left_on, state.is_disabled, today):
        return None  # the normal path refuses or redirects, as it does for anyone in that state
    base = _base_key(token, cache.current_version(), today)
    body = _pages.get((*base, session.get("csrf_token")))
    if body is None:
        g.kp_page_key = base  # completed in keep_page: a first page creates the CSRF secret as it renders
        return None
    g.kp_page_hit = True
    return Response(body, mimetype="text/html")


def keep_page(response: Response) -> Response:
    """after_request: keep a marked page that was just rendered, if it is complete and showed no message."""
    base = g.pop("kp_page_key", None)
    if (base is None or response.status_code != 200 or response.mimetype != "text/html"
            or response.direct_passthrough or response.is_streamed
            or request_ctx.flashes or "_flashes" in session):
        return response
    # The CSRF secret as it is after rendering, which the next request's cookie carries.
    _pages.put((*base, session.get("csrf_token")), response.get_data())
    return response


def is_hit() -> bool:
    """Whether this request was answered from the store (the user was never loaded)."""
    return bool(g.get("kp_page_hit"))


def init_app(app: Flask) -> None:
    """Register the hooks; call before any other before_request hook, so a hit skips them all."""
    app.before_request(serve_cached_page)
    app.after_request(keep_page)
