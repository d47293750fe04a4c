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
