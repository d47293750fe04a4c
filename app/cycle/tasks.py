"""The annual cycle's own task source: every duty the published guidelines state, dated for each year."""

from app.cycle.services import SOURCE, guideline_tasks
from app.hooks import task_source


@task_source(SOURCE)
def guideline_cycle_tasks(home, start, end):
    return guideline_tasks(home, start, end)
