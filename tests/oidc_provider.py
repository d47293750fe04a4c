"""A real OpenID Connect provider (oidc-provider-mock) served on localhost in a thread, for single sign-on tests."""

from __future__ import annotations

import base64
import json
import threading
from contextlib import contextmanager

import oidc_provider_mock
import requests
import werkzeug.serving

CLIENT_ID = "kompetenceportalen"


class Provider:
    """A running provider; `tamper` rewrites claims inside the ID tokens it hands out (without re-signing), or
    with `{"id_token": None}` leaves the ID token out."""

    def __init__(self, wsgi_app):
        self._app = wsgi_app
        self.tamper: dict | None = None
        self.url = ""

    def __call__(self, environ, start_response):
        if self.tamper is None or environ.get("PATH_INFO") != "/oauth2/token":
            return self._app(environ, start_response)
        captured = {}

        def keep(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)

        body = json.loads(b"".join(self._app(environ, keep)))
        if self.tamper == {"id_token": None}:
            del body["id_token"]
        elif "id_token" in body:
            header, payload, signature = body["id_token"].split(".")
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            claims.update(self.tamper)
            payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
            body["id_token"] = ".".join((header, payload, signature))
        data = json.dumps(body).encode()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], [*headers, ("Content-Length", str(len(data)))])
        return [data]

    def set_person(self, sub: str, **claims) -> None:
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=10)
        assert response.status_code == 204, response.text


@contextmanager
def serve(**options):
    provider = Provider(oidc_provider_mock.app(**options))
    server = werkzeug.serving.make_server("localhost", 0, provider, threaded=True)
    provider.url = f"http://localhost:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def sso_settings(app, provider: Provider, **settings) -> dict:
    """create_app settings for another worker on `app`'s database, with single sign-on against `provider`."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "OUTBOX_DIR": app.config["OUTBOX_DIR"],
        "OIDC_ISSUER": provider.url,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": "klient-hemmelighed",
        **settings,
    }


def main(url_file: str) -> None:
    """Serve a provider until killed, writing its address to `url_file` once it listens (scripts/deploy-test.sh
    runs it so the deployed server signs people on against a real provider): `python -m tests.oidc_provider F`."""
    from pathlib import Path

    with serve() as provider:
        Path(url_file).write_text(provider.url + "\n")
        threading.Event().wait()


if __name__ == "__main__":
    import sys

    main(sys.argv[1])
