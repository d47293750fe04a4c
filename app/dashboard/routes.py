from datetime import timedelta

from flask import render_template
from flask_login import current_user, login_required

from app import clock
from app.cycle.services import personal_done_uids
from app.dashboard import bp
from app.hooks import dashboard_panels, tasks_for_user
from app.people.constants import EMPLOYMENT_LABELS, ROLE_LABELS

#: How far ahead "Mine opgaver" looks, and how far back overdue tasks are kept on it.
AHEAD_DAYS = 60
BEHIND_DAYS = 400


@bp.get("/")
@login_required
def index():
    today = clock.today()
    start, end = today - timedelta(days=BEHIND_DAYS), today + timedelta(days=AHEAD_DAYS)
    # A collective duty (e.g. every employee's course wish) is done for this person once their share is.
    mine_done = personal_done_uids(current_user, start, end)
    tasks = [t for t in tasks_for_user(current_user, start, end) if not t.is_done and t.uid not in mine_done]
    panels_first, panels = dashboard_panels(current_user)
    role_names = [str(ROLE_LABELS[r]) for r in ROLE_LABELS if r in current_user.roles]
    if current_user.is_temp:
        role_names.insert(0, str(EMPLOYMENT_LABELS[current_user.employment_type]))
    return render_template(
        "dashboard/index.html",
        tasks=tasks,
        today=today,
        panels_first=panels_first,
        panels=panels,
        role_names=role_names,
    )
