"""Links drawn only when the viewer may follow them: no link ends in "Ingen adgang".

`may_follow(endpoint, obj)` asks the one rule that guards the page, never a copy of it:
- a child's record and a colleague's competence profile: need-to-know (`need_to_know.may_see_subject`);
- a person's account page: `people.view`;
- a page behind `@requires(action)`: that action (the decorator marks the view with it).
A page the helper knows no rule for is linked: its route decides, and the link walk in tests/core/test_access.py
finds any link that ends in a refusal. `link(label, endpoint, obj=None, **values)` is the templates' helper.
"""

from __future__ import annotations

from flask import current_app, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from app.need_to_know import CHILD, PERSON, may_see_subject
from app.permissions import can

#: Pages about one child or colleague: the need-to-know kind of their subject.
SUBJECT_PAGES = {"children.show": CHILD, "appraisals.profile": PERSON}
#: Pages about one object whose route authorizes an action on it.
OBJECT_PAGES = {"people.show": "people.view"}


def may_follow(endpoint: str, obj=None, viewer=None) -> bool:
    """Whether the viewer (by default the logged-in person) would be let in by the page at `endpoint`."""
    viewer = current_user if viewer is None else viewer
    if endpoint in SUBJECT_PAGES:
        return may_see_subject(viewer, SUBJECT_PAGES[endpoint], obj)
    if endpoint in OBJECT_PAGES:
        return can(viewer, OBJECT_PAGES[endpoint], obj)
    view = current_app.view_functions.get(endpoint)
    action = getattr(view, "required_action", None)
    return action is None or can(viewer, action, obj)


def link(label, endpoint: str, obj=None, *, cls: str | None = None, **values) -> Markup:
    """An <a> to the endpoint when the viewer may follow it, otherwise the label as plain text."""
    if not may_follow(endpoint, obj):
        return escape(label)
    css = Markup(' class="{}"').format(cls) if cls else ""
    return Markup('<a href="{}"{}>{}</a>').format(url_for(endpoint, **values), css, label)
