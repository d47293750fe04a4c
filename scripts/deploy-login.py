"""Log in over HTTP as a person `flask setup` created: start code, own password, dashboard (scripts/deploy-test.sh).

The requests carry the headers the README's reverse proxy sets (X-Forwarded-Proto: https, X-Forwarded-For),
and cookies are kept by hand, as a browser behind HTTPS would keep the app's Secure cookies.
Usage: python3 scripts/deploy-login.py BASE_URL EMAIL START_CODE NAME   (prints the session's cookies last)
"""

import re
import sys
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main(base: str, email: str, start_code: str, name: str) -> None:
    if not base.startswith("http://"):
        raise SystemExit("BASE_URL must be http://host:port")
    opener = urllib.request.build_opener(NoRedirect)
    cookies: dict[str, str] = {}

    def fetch(path: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(base + path, data=body, headers={  # noqa: S310 - base is http://127.0.0.1
            "X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10",
            "Referer": "https://" + urllib.parse.urlsplit(base).netloc + path,
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        })
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            key, _, value = header.split(";", 1)[0].partition("=")
            cookies[key.strip()] = value.strip()
        return response.status, dict(response.headers), response.read().decode()

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
    print("cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))


if __name__ == "__main__":
    main(*sys.argv[1:5])
