"""The overview's record buttons decide the viewer's side of the record rule once per page; the buttons shown
must be exactly those `can(viewer, "appraisals.record_<kind>", person)` allows, for every demo viewer."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.people.models import User
from app.permissions import can


def test_record_buttons_equal_the_record_rule_for_every_viewer(app, demo, make_client):
    with app.app_context():
        viewers = [(u.id, u.email) for u in db.session.scalars(select(User))]
    checked = 0
    for viewer_id, email in viewers:
        client = make_client(email)
        response = client.get("/appraisals/")
        if response.status_code != 200:
            continue
        html = response.get_data(as_text=True)
        shown = {kind: {int(i) for i in re.findall(rf'/appraisals/talks/new/{kind}/(\d+)"', html)}
                 for kind in ("mu", "lu")}
        named = {int(i) for i in re.findall(r'/appraisals/profile/(\d+)"', html)}
        with app.app_context():
            viewer = db.session.get(User, viewer_id)
            for kind in ("mu", "lu"):
                sections = html.split("LU-samtaler med afdelingslederne")
                part = sections[0] if kind == "mu" else (sections[1] if len(sections) > 1 else "")
                rows = {int(i) for i in re.findall(r'/appraisals/profile/(\d+)"', part)}
                expected = {p for p in rows if can(viewer, f"appraisals.record_{kind}", db.session.get(User, p))}
                assert shown[kind] == expected, (email, kind)
        checked += bool(named)
    assert checked >= 2
