from datetime import date, timedelta

from flask import render_template
from flask_login import current_user, login_required

from app import clock
from app.cycle.services import personal_done_uids
from app.dashboard import bp
from app.hooks import Task, dashboard_panels, tasks_for_user
from app.need_to_know import shown_tasks
from app.people.constants import EMPLOYMENT_LABELS, ROLE_LABELS

#: How far ahead "Mine opgaver" looks, and how far back overdue tasks are kept on it.
AHEAD_DAYS = 60
BEHIND_DAYS = 400


def my_tasks(user, today: date) -> list[Task]:
    """The person's open tasks, through need-to-know; logs the children named (a read on every showing)."""
    start, end = today - timedelta(days=BEHIND_DAYS), today + timedelta(days=AHEAD_DAYS)
    # A collective duty (e.g. every employee's course wish) is done for this person once their share is.
    mine_done = personal_done_uids(user, start, end)
    return list(shown_tasks(user, [t for t in tasks_for_user(user, start, end)
                                   if not t.is_done and t.uid not in mine_done], "dashboard"))


@bp.get("/")
@login_required
def index():
    # The user object itself, not the request-local proxy: panels and need-to-know read it thousands of times.
    user, today = current_user._get_current_object(), clock.today()
    tasks = my_tasks(user, today)
    panels_first, panels = dashboard_panels(user)
    role_names = [str(ROLE_LABELS[r]) for r in ROLE_LABELS if r in user.roles]
    if user.is_temp:
        role_names.insert(0, str(EMPLOYMENT_LABELS[user.employment_type]))
    return render_template("dashboard/index.html", tasks=tasks, today=today,
                           panels_first=panels_first, panels=panels, role_names=role_names,
                           department_names=[d.name for d in user.departments])
