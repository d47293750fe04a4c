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
from app.need_to_know import shown_tasks
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


def my_tasks(user, today: date) -> tuple[Task, ...]:
    """The person's open tasks, through need-to-know; logs the children named (a read on every showing)."""
    start, end = today - timedelta(days=BEHIND_DAYS), today + timedelta(days=AHEAD_DAYS)
    # A collective duty (e.g. every employee's course wish) is done for this person once their share is.
    mine_done = personal_done_uids(user, start, end)
    return tuple(shown_tasks(user, [t for t in tasks_for_user(user, start, end)
                                    if not t.is_done and t.uid not in mine_done], "dashboard"))


def build(user, today: date, tasks: tuple[Task, ...]) -> Dashboard:
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
    # Everything on the page derives from stored data and the day, so it is rendered once per person until any
    # data changes (app/cache.py). The task list goes through need-to-know on every request: it logs the reads.
    tasks = my_tasks(current_user, today)
    content = cached("dashboard", current_user.id, lambda: render(build(current_user, today, tasks), today),
                     home=current_user.home_id)
    return render_template("dashboard/index.html", content=content)


def render(page: Dashboard, today: date) -> Markup:
    return render_fragment("dashboard/_content.html", page=page, tasks=page.tasks, today=today)
