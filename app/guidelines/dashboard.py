"""The dashboard panel: my guidelines due for review, and the guidelines I have not confirmed."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from app import clock
from app.guidelines.rendering import STATUS_LABELS
from app.guidelines.services import confirmed_user_ids, guidelines_for_home, holds, in_target_group
from app.hooks import dashboard_panel


@dashboard_panel(order=30)
def guideline_panel(user):
    today, due_days = clock.today(), int(user.home.setting("guideline_due_days"))
    guidelines = [g for g in guidelines_for_home(user.home) if g.published is not None]
    to_review = sorted(
        ((g, status) for g in guidelines if holds(user, g.published.revision_responsible)
         and (status := g.status_on(today, due_days)) != "current"),
        key=lambda pair: pair[0].next_review_on,
    )
    mine = [g for g in guidelines if in_target_group(user, g.published)]
    confirmed = confirmed_user_ids([g.published for g in mine], user_id=user.id)
    unconfirmed = [g for g in mine if user.id not in confirmed[g.published.id]]
    if not to_review and not unconfirmed:
        return None
    html = render_template("guidelines/_dashboard.html", to_review=to_review, unconfirmed=unconfirmed,
                           STATUS_LABELS=STATUS_LABELS)
    return Markup(html)  # noqa: S704  # nosec B704  # an autoescaped template, not raw input
