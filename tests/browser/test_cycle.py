"""The årshjul journey in Chromium: the tilbudsleder sees that the Mini-MED meetings are missing, schedules
one, finds the duty on its date, marks a duty done and subscribes to the calendar feed."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from app import clock
from tests.browser.helpers import menu_link

pytestmark = pytest.mark.browser

PASSWORD = "demo1234"


def test_head_plans_meeting_marks_duty_done_and_subscribes(app, demo, page, live_server):
    from app.cycle.models import MiniMedMeeting
    from app.extensions import db

    year = clock.today().year + 1
    with app.app_context():  # next year starts without meetings, so the notice shows
        MiniMedMeeting.query.filter(MiniMedMeeting.held_on >= date(year, 1, 1)).delete()
        db.session.commit()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/auth/login")
    page.locator('input[name="email"]').fill("tilbudsleder@demo.dk")
    page.locator('input[name="password"]').fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    menu_link(page, "Årshjul", group="Årshjul").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Årshjul {year - 1}")
    page.get_by_role("link", name=str(year), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Årshjul {year}")
    expect(page.get_by_role("heading", name="Årets Mini-MED-møder er ikke planlagt")).to_be_visible()
    expect(page.get_by_role("heading", name="Oktober")).to_be_visible()

    page.get_by_role("link", name="Planlæg et Mini-MED-møde").click()
    page.get_by_label("Dato").fill(f"{year}-12-03")
    page.get_by_label("Titel").fill("Årets sidste Mini-MED-møde")
    page.get_by_role("button", name="Gem mødet").click()
    expect(page.locator(".flash-success")).to_contain_text("3. december")  # running text
    expect(page.get_by_role("cell", name=re.compile(rf"03\.12\.{year}"))).to_be_visible()  # a table's date

    page.goto(f"/cycle/?aar={year}")
    expect(page.get_by_role("heading", name="Årets Mini-MED-møder er ikke planlagt")).to_have_count(0)
    december = page.locator("section.month", has=page.get_by_role("heading", name="December"))
    evaluation = december.locator("li.duty", has_text="3. december").first
    expect(evaluation).to_be_visible()

    # The written plan and the revision of methods are done by their records (the finished plan, next year's
    # tilbudsplan with its method decisions), so they have no button; the supervision's allocation at the year's
    # first meeting (here the only one) is a duty the tilbudsleder marks done by hand.
    for text in ("skriftlige kompetenceudviklingsplan", "reviderer de faglige tilgange"):
        written = december.locator("li.duty", has_text=text).first
        expect(written.get_by_role("button", name="Markér som udført")).to_have_count(0)
    plan = december.locator("li.duty", has_text="tildeling af ekstern supervision").first
    plan.get_by_role("button", name="Markér som udført").click()
    expect(page.locator(".flash-success")).to_contain_text("markeret som udført")
    plan = page.locator("section.month", has=page.get_by_role("heading", name="December")).locator(
        "li.duty", has_text="tildeling af ekstern supervision").first
    expect(plan).to_have_class(re.compile(r"\bdone\b"))
    expect(plan).to_contain_text("Markeret udført af Tove Tilbudsleder")

    page.get_by_role("link", name="Abonnér i Outlook").click()
    page.get_by_role("button", name="Opret kalenderlink").click()
    feed_url = page.get_by_label("Dit kalenderlink").input_value()
    assert re.fullmatch(r"http://.+/cycle/feed/[A-Za-z0-9_-]{40,}\.ics", feed_url)
    feed = page.request.get(feed_url.replace("http://localhost", live_server.url))
    assert feed.status == 200 and feed.text().startswith("BEGIN:VCALENDAR\r\n")
