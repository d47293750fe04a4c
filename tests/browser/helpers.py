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


FOCUSED = """([selector, within, text]) => {
  const el = document.activeElement;
  if (!el || !el.matches(selector)) return false;
  const box = within ? el.closest(within) : el;
  return !text || (box !== null && box.textContent.includes(text));
}"""


def tab_to(page, selector: str, text: str | None = None, within: str | None = None, limit: int = 150) -> None:
    """Press Tab until the focused element matches `selector` (and holds `text`, or sits in a `within` element
    that does); a control Tab never reaches fails the test."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED, [selector, within, text]):
            return
    raise AssertionError(f"Tab never reached {selector} {text or ''}")
