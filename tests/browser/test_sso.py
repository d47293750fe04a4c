"""A person signs on through the region's login in Chromium, with local passwords switched off, and logs out."""

import re
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from tests.browser.conftest import LiveServer
from tests.factories import make_department, make_home, make_user
from tests.oidc_provider import serve, sso_settings

pytestmark = pytest.mark.browser


@pytest.fixture
def provider():
    with serve() as running:
        yield running


@pytest.fixture
def live_server(app, provider):
    """This module's server: an app with single sign-on on and passwords off, its KP_BASE_URL its own address."""
    target = {}
    server = make_server("127.0.0.1", 0, lambda environ, start: target["app"](environ, start), threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    target["app"] = create_app(sso_settings(app, provider, BASE_URL=url, LOCAL_PASSWORDS=False))
    thread = threading.Thread(target=server.serve_forever, name="live-server-sso", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=url, port=server.server_port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with target["app"].app_context():
            db.engine.dispose()


def test_person_signs_on_with_the_region_login_and_logs_out(app, provider, page, live_server):
    with app.app_context():
        home = make_home()
        make_user(home, [make_department(home)], email="anna@region.dk", name="Anna Jensen")
        db.session.commit()
    provider.set_person("entra-anna", email="anna@region.dk")

    page.goto("/auth/login")
    expect(page.locator('input[name="password"]')).to_have_count(0)
    page.get_by_role("link", name="Log ind med regionens login").click()
    page.locator('input[name="sub"]').fill("entra-anna")
    page.get_by_role("button", name="Authorize").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine opgaver")
    expect(page.locator("header")).to_contain_text("Anna Jensen")
    expect(page.get_by_role("link", name="Skift adgangskode")).to_have_count(0)

    page.get_by_role("button", name="Log ud").click()
    expect(page).to_have_url(re.compile(r"/auth/login"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/auth/login"))
