"""The dashboard panel: leaders see how many talks are due or overdue; employees their next expected talk."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from app import clock
from app.appraisals.models import LU, MU
from app.appraisals.status import count_statuses, neuro_status, status_of
from app.hooks import dashboard_panel
from app.permissions import can


@dashboard_panel(order=40)
def talks_panel(user) -> Markup | None:
    today = clock.today()
    overview = None
    if can(user, "appraisals.overview"):
        whole_home = can(user, "appraisals.overview_home")
        scope = None if whole_home else user.department_ids
        overview = {"mu": count_statuses(user.home_id, MU, today, scope)}
        if whole_home:
            overview["lu"] = count_statuses(user.home_id, LU, today)
    own = [s for s in (status_of(user, MU, today), status_of(user, LU, today)) if s is not None]
    if overview is None and not own:
        return None
    html = render_template("appraisals/_panel.html", overview=overview, own=own, today=today,
                           neuro=neuro_status(user, today), mus=can(user, "appraisals.mus_view"))
    return Markup(html)  # noqa: S704  # nosec B704  # an autoescaped template, not raw input
