"""Log in over HTTP as a person `flask setup` created: start code, own password, dashboard (scripts/deploy-test.sh).

The requests carry the headers the README's reverse proxy sets (X-Forwarded-Proto: https, X-Forwarded-For),
and cookies are kept by hand, as a browser behind HTTPS would keep the app's Secure cookies.
Usage: python3 scripts/deploy-login.py BASE_URL EMAIL START_CODE NAME   (prints the session's cookies last)
       python3 scripts/deploy-login.py --sso BASE_URL DIRECTORY_ID NAME   (single sign-on: press "Log ind med
       regionens login", choose DIRECTORY_ID at the test provider, follow the provider's redirect back to the
       public address KP_BASE_URL names, which the proxy would send to BASE_URL; NAME "-" expects a refusal)
"""

import re
import sys
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Requests to the app as a browser behind the proxy sends them: no redirects followed, cookies kept."""

    def __init__(self, base: str):
        if not base.startswith("http://"):
            raise SystemExit("BASE_URL must be http://host:port")
        self.base = base
        self.opener = urllib.request.build_opener(NoRedirect)
        self.cookies: dict[str, str] = {}

    def fetch(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={  # noqa: S310 - http://127.0.0.1
            "X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10",
            "Referer": "https://" + urllib.parse.urlsplit(self.base).netloc + path,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        })
        response = _open(self.opener, request)
        for header in response.headers.get_all("Set-Cookie") or []:
            key, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[key.strip()] = value.strip()
        return response.status, dict(response.headers), response.read().decode()

    def cookie_line(self) -> str:
        return "cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def _open(opener, request):
    try:
        return opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        return error


def sso(base: str, directory_id: str, name: str) -> None:
    browser = Browser(base)
    status, _, html = browser.fetch("/auth/login")
    assert status == 200 and "Log ind med regionens login" in html, status
    status, headers, _ = browser.fetch("/auth/sso/login")
    assert status == 302, status
    authorize = headers["Location"]
    # The person's browser at the provider's login page: choose who signs on.
    chosen = _open(urllib.request.build_opener(NoRedirect), urllib.request.Request(  # noqa: S310 - test provider
        authorize, data=urllib.parse.urlencode({"sub": directory_id}).encode()))
    assert chosen.status == 302, chosen.status
    back = urllib.parse.urlsplit(chosen.headers["Location"])
    assert back.scheme == "https" and back.path == "/auth/sso/callback", back
    status, headers, _ = browser.fetch(f"{back.path}?{back.query}")
    assert status == 302, status
    status, _, html = browser.fetch(urllib.parse.urlsplit(headers["Location"]).path)
    if name == "-":
        assert status == 200 and "Du er ikke oprettet i Kompetenceportalen" in html, status
        assert browser.fetch("/")[0] == 302
        print(f"refused {directory_id}")
        return
    assert status == 200 and name in html, status
    print(f"signed on as {directory_id}")
    print(browser.cookie_line())


def main(base: str, email: str, start_code: str, name: str) -> None:
    browser = Browser(base)
    fetch = browser.fetch

    def token(html: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    status, headers, html = fetch("/auth/login")
    assert status == 200 and "X-Request-ID" in headers, status
    status, headers, _ = fetch("/auth/login", {"email": email, "password": start_code, "csrf_token": token(html)})
    assert status == 302 and headers["Location"].endswith("/auth/first-password"), (status, headers)
    status, _, html = fetch("/auth/first-password")
    assert status == 200, status
    password = "deploy-test-" + start_code
    status, headers, _ = fetch("/auth/first-password",
                               {"start_code": start_code, "password": password, "confirm": password,
                                "csrf_token": token(html)})
    assert status == 302, status
    status, _, html = fetch("/")
    assert status == 200 and name in html, status
    print(f"logged in as {email}")
    print(browser.cookie_line())


if __name__ == "__main__":
    if sys.argv[1] == "--sso":
        sso(*sys.argv[2:5])
    else:
        main(*sys.argv[1:5])
