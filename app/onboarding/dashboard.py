"""Onboarding on "Mine opgaver": a person's own checklist first; leaders see who is stuck or missed a meeting."""

from flask import render_template
from markupsafe import Markup

from app import clock
from app.hooks import dashboard_panel
from app.onboarding.overview import rows_for
from app.onboarding.services import checklists_for, missed_last_meeting
from app.permissions import can


@dashboard_panel(order=5)
def own_checklist(user):
    """The person's open checklists with what is left and who signs off what, and a missed temp meeting."""
    today = clock.today()
    checklists = checklists_for([user.id])[user.id]
    missed = missed_last_meeting(user.home_id, [user], today).get(user.id)
    open_lists = [c for c in checklists if not c.is_complete]
    if not open_lists and not missed and not (user.is_temp and checklists):
        return None
    html = render_template("onboarding/_panel_own.html", checklists=open_lists, missed=missed,
                           all_done=bool(checklists) and not open_lists)
    return Markup(html)  # noqa: S704 - an autoescaped template, not raw input


@dashboard_panel(order=6)
def leader_overview(user):
    """For leaders: people in their departments who are stuck, not ready, or missed the last temp meeting."""
    if not can(user, "onboarding.overview"):
        return None
    today = clock.today()
    scope = None if user.has_role("head") else sorted(user.department_ids)
    rows = rows_for(user.home_id, scope, today)
    flagged = [r for r in rows if r.stuck_since or r.missed_meeting or not r.is_ready]
    if not flagged:
        return None
    html = render_template("onboarding/_panel_leader.html", rows=flagged, total=len(rows))
    return Markup(html)  # noqa: S704 - an autoescaped template, not raw input
