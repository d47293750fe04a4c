"""A small dashboard panel: the way to the årshjul and the calendar subscription, and a nudge to the
tilbudsleder while the year's Mini-MED meetings are not scheduled."""

from flask import render_template
from markupsafe import Markup

from app import clock
from app.cycle.calendar import active_token
from app.cycle.services import meeting_dates
from app.hooks import dashboard_panel
from app.permissions import can


@dashboard_panel(order=10)
def cycle_panel(user) -> Markup | None:
    if not can(user, "cycle.view"):
        return None
    year = clock.today().year
    missing = can(user, "cycle.meetings.manage") and not meeting_dates(user.home_id, year, year)
    html = render_template("cycle/_panel.html", year=year, missing_meetings=missing,
                           has_feed=active_token(user) is not None)
    return Markup(html)  # noqa: S704  # nosec B704  # an autoescaped template, not raw input
