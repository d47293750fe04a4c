"""gunicorn settings for Kompetenceportalen (read automatically when gunicorn starts in this directory).

Access log: one line per request with the time (with zone), request id, status, duration, the logged-in
user's id (never a name, never a token), method and path without the query string. App logs: one JSON
object per line with the same request id (app/logs.py). The environment is checked before any worker starts,
so a bad setting stops gunicorn with one clear message instead of workers failing over and over.
Override any value on the command line, e.g. `gunicorn --workers 8 wsgi:app`.

Course wishes have a pool of their own. On 1 October the wish posts are many and cheap (about 20 statements, a
few tens of ms) while the pages around them cost far more; in one pool a post waits for a free thread, and then
for the GIL, behind slow pages (the 1 October mix measured post p95 at 5-8 s with the pages and the posts in the
same two workers). So run a second gunicorn with these same settings for the wish form's POST, and let the proxy
route it there; everything else, the wish form's GET included, stays on the first:

    gunicorn --bind 127.0.0.1:8000                # pages (this file's workers)
    gunicorn --bind 127.0.0.1:8001 --workers 2    # wish posts

    map $request_method $kp_wish_pool { POST kp_posts; default kp_pages; }
    upstream kp_pages { server 127.0.0.1:8000; }
    upstream kp_posts { server 127.0.0.1:8001; }
    location = /competence/wishes/new { proxy_pass http://$kp_wish_pool; }   # plus the usual proxy_set_header
    location / { proxy_pass http://kp_pages; }

Both serve the same app on the same database (logins and CSRF tokens hold in either: same SECRET_KEY). Without
the second pool nothing breaks, posts only wait longer; the deadline is fair either way, because a post is judged
by when it reached the proxy (X-Request-Start, app/request_start.py), or, with no proxy, by when a worker took it.
`benchmarks/mix.py` serves the posts this way (`--post-workers 0` measures them on the page workers).
"""

import logging
import sys

bind = "127.0.0.1:8000"
workers = 4
# Threads, so a course wish posted in the 1 October rush is not queued behind slow pages; the deadline is judged
# by when the request arrived (app/request_start.py). The caches are thread-safe (app/cache.py).
worker_class = "gthread"
threads = 4
wsgi_app = "wsgi:app"
timeout = 60
graceful_timeout = 30

accesslog = "-"
errorlog = "-"
loglevel = "info"
access_log_format = (
    "%(t)s request_id=%({x-request-id}o)s status=%(s)s duration_ms=%(M)s user_id=%({kp.user_id}e)s "
    'method=%(m)s path="%(U)s" bytes=%(B)s'
)


def on_starting(server):
    """Refuse to start with a bad environment or an unreachable database: one message, exit status 1."""
    from app import create_app
    from app.config import ConfigError
    from app.extensions import db

    try:
        application = create_app()
    except ConfigError as error:
        print(f"Kompetenceportalen cannot start:\n{error}", file=sys.stderr)
        sys.exit(1)
    with application.app_context():
        db.engine.dispose()  # workers build their own app and connections after the fork


def post_worker_init(worker):
    """Where the log filters (app/logs.py LOG_FILTERS, e.g. masking calendar feed tokens in paths) are put on
    gunicorn's access and error logs, once the app (which registers them) is loaded."""
    from app.logs import attach_filters

    for name in ("gunicorn.access", "gunicorn.error"):
        for handler in logging.getLogger(name).handlers:
            attach_filters(handler)
