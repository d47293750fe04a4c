"""The guideline journey in Chromium: the head revises a guideline and approves it; an employee confirms it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login as _login

pytestmark = pytest.mark.browser



def test_head_revises_and_approves_then_employee_confirms(demo, page, live_server):
    page.on("dialog", lambda dialog: dialog.accept())
    _login(page, "tilbudsleder@demo.dk")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Retningslinjer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retningslinjer")
    page.get_by_role("link", name="MUS og LUS").first.click()
    expect(page.get_by_role("heading", name="Dokumentoverblik")).to_be_visible()

    page.get_by_role("link", name="Lav nyt udkast").click()
    body = page.get_by_label("Tekst (Markdown)")
    body.fill(body.input_value() + "\n\n## Nyt afsnit\n\nSamtalen forberedes med skemaet fra intranettet.\n")
    page.get_by_label("Hvad er ændret og hvorfor").fill("Forberedelsesskema tilføjet")
    page.get_by_label("Væsentlig ændring").check()
    page.get_by_role("button", name="Gem udkast").click()
    expect(page.locator(".flash-success")).to_contain_text("Udkastet er gemt")
    # Everyone still reads the published text until the draft is approved.
    expect(page.locator("article")).not_to_contain_text("Forberedelsesskema")

    page.get_by_role("link", name=re.compile("Se udkast")).click()
    expect(page.locator("article")).to_contain_text("Samtalen forberedes med skemaet")
    page.get_by_role("button", name="Godkend og offentliggør").click()
    expect(page.locator(".flash-success")).to_contain_text("er godkendt og gældende")
    expect(page.locator("article")).to_contain_text("Samtalen forberedes med skemaet")

    page.get_by_role("link", name="Historik").first.click()
    expect(page.locator("table")).to_contain_text("Forberedelsesskema tilføjet")
    page.get_by_role("button", name="Log ud").click()

    _login(page, "medarbejder@demo.dk")
    page.goto("/guidelines/mus-og-lus")
    page.get_by_role("button", name="Læst og forstået").click()
    expect(page.locator(".flash-success")).to_contain_text("læst og forstået")
    expect(page.locator(".ack")).to_contain_text("Du har bekræftet")
