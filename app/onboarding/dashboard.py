"""Onboarding on "Mine opgaver": a person's own checklist first; leaders see who is stuck or missed a meeting."""

from flask import render_template
from markupsafe import Markup

from app import clock
from app.hooks import dashboard_panel, profile_section
from app.onboarding.overview import rows_for
from app.onboarding.services import checklist_summaries, checklists_for, missed_last_meeting
from app.onboarding.temps import active_restrictions
from app.permissions import can


@dashboard_panel(order=5)
def own_checklist(user):
    """The person's open checklists with what is left and who signs off what, a missed temp meeting, and for a
    temp the tasks temps may not do alone."""
    today = clock.today()
    checklists = checklists_for([user.id])[user.id]
    missed = missed_last_meeting(user.home_id, [user], today).get(user.id)
    open_lists = [c for c in checklists if not c.is_complete]
    restrictions = active_restrictions(user.home_id) if user.is_temp else []
    if not open_lists and not missed and not restrictions and not (user.is_temp and checklists):
        return None
    html = render_template("onboarding/_panel_own.html", checklists=open_lists, missed=missed,
                           restrictions=restrictions, all_done=bool(checklists) and not open_lists)
    return Markup(html)  # noqa: S704  # nosec B704  # an autoescaped template, not raw input


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
    return Markup(html)  # noqa: S704  # nosec B704  # an autoescaped template, not raw input


@profile_section(order=30)
def onboarding_profile(person, viewer):
    """A person's checklists and readiness on their profile, for themself and their leaders."""
    lists = checklist_summaries([person.id])[person.id]
    if not lists or not can(viewer, "onboarding.view_checklist", _Owned(person)):
        return None
    html = render_template("onboarding/_profile.html", person=person, checklists=lists,
                           ready=all(c.is_complete for c in lists))
    return Markup(html)  # noqa: S704  # nosec B704  # an autoescaped template, not raw input


class _Owned:
    """Stands in for a checklist of the person when asking the checklist rule about the person."""

    def __init__(self, person):
        self.home_id, self.user_id, self.user = person.home_id, person.id, person
