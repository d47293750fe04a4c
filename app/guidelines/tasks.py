"""The guideline library's dated duties: each guideline's next review, for its revision-responsible role."""

from __future__ import annotations

from datetime import date

from app.guidelines.services import guideline_path, guidelines_for_home
from app.hooks import Task, task_source


@task_source("guidelines.review")
def review_tasks(home, start: date, end: date) -> list[Task]:
    tasks = []
    for guideline in guidelines_for_home(home):
        version, due_on = guideline.published, guideline.next_review_on
        if version is None or not start <= due_on <= end:
            continue
        tasks.append(Task(
            uid=f"guideline-review-{guideline.id}-{due_on.isoformat()}",
            title=f"Revidér retningslinjen: {version.title}",
            due_on=due_on, home_id=home.id, source="guidelines.review",
            responsible=version.revision_responsible, url=guideline_path(guideline.slug),
            detail="Godkend en ny version, eller registrér at den er revideret uden ændringer.",
        ))
    return tasks
