"""Steps every browser journey shares."""

from playwright.sync_api import expect

PASSWORD = "demo1234"


def login(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the form and land on the dashboard."""
    page.goto("/auth/login")
    page.locator('input[name="email"]').fill(email)
    page.locator('input[name="password"]').fill(password)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine opgaver")


def menu_link(page, name: str, group: str | None = None):
    """The main menu's link `name`; in a dropdown `group` (its summary is opened first)."""
    nav = page.get_by_role("navigation", name="Hovedmenu")
    if group:
        nav.locator("summary", has_text=group).click()
    return nav.get_by_role("link", name=name, exact=True)
