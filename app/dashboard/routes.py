from dataclasses import dataclass
from datetime import date, timedelta

from flask import render_template
from flask_login import current_user, login_required
from markupsafe import Markup

from app import clock
from app.cache import cached
from app.cycle.services import personal_done_uids
from app.dashboard import bp
from app.hooks import Task, dashboard_panels, tasks_for_user
from app.people.constants import EMPLOYMENT_LABELS, ROLE_LABELS
from app.web import render_fragment

#: How far ahead "Mine opgaver" looks, and how far back overdue tasks are kept on it.
AHEAD_DAYS = 60
BEHIND_DAYS = 400


@dataclass(frozen=True)
class Dashboard:
    name: str
    tasks: tuple[Task, ...]
    panels_first: tuple[Markup, ...]
    panels: tuple[Markup, ...]
    role_names: tuple[str, ...]
    department_names: tuple[str, ...]


def build(user, today: date) -> Dashboard:
    start, end = today - timedelta(days=BEHIND_DAYS), today + timedelta(days=AHEAD_DAYS)
    # A collective duty (e.g. every employee's course wish) is done for this person once their share is.
    mine_done = personal_done_uids(user, start, end)
    tasks = tuple(t for t in tasks_for_user(user, start, end) if not t.is_done and t.uid not in mine_done)
    panels_first, panels = dashboard_panels(user)
    role_names = [str(ROLE_LABELS[r]) for r in ROLE_LABELS if r in user.roles]
    if user.is_temp:
        role_names.insert(0, str(EMPLOYMENT_LABELS[user.employment_type]))
    return Dashboard(user.name, tasks, tuple(panels_first), tuple(panels), tuple(role_names),
                     tuple(d.name for d in user.departments))


@bp.get("/")
@login_required
def index():
    today = clock.today()
    # Everything on the page derives from stored data and the day, so it is built and rendered once per
    # person until any data changes (app/cache.py); a reload or a return from another page costs one query.
    content = cached("dashboard", current_user.id, lambda: render(build(current_user, today), today))
    return render_template("dashboard/index.html", content=content)


def render(page: Dashboard, today: date) -> Markup:
    return render_fragment("dashboard/_content.html", page=page, tasks=page.tasks, today=today)
