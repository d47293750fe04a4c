"""Every demo role logs in through the real form in Chromium, lands on "Mine opgaver" and logs out."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "demo1234"

# (login, the role name the page shows for that person)
ROLES = [
    ("tilbudsleder@demo.dk", "Tilbudsleder"),
    ("afdelingsleder@demo.dk", "Afdelingsleder"),
    ("medarbejder@demo.dk", "Medarbejder"),
    ("vikar@demo.dk", "Tilkaldevikar"),
    ("minimed@demo.dk", "Mini-MED"),
    ("admin@demo.dk", "Administrator"),
]


@pytest.mark.parametrize(("email", "role"), ROLES, ids=[email.split("@")[0] for email, _ in ROLES])
def test_role_logs_in_sees_dashboard_and_logs_out(demo, page, live_server, email, role):
    page.goto("/auth/login")
    page.locator('input[name="email"]').fill(email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine opgaver")
    # The role is named at the top of the page: in the site header or the line under the heading.
    top = page.locator("header, main h1 + p")
    expect(top.filter(has_text=re.compile(rf"\b{re.escape(role)}\b")).first).to_be_visible()

    page.get_by_role("button", name="Log ud").click()
    expect(page).to_have_url(re.compile(r"/auth/login"))
    expect(page.locator('input[name="email"]')).to_be_visible()
    # The session is really gone: the dashboard sends us back to the login form.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/auth/login"))
