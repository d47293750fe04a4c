"""The small home most children tests share: one department, staff, and one child admitted in 2025."""

from datetime import date

import pytest

from app.extensions import db
from tests.children.helpers import build_world, make_child

TODAY = date(2026, 6, 15)


@pytest.fixture
def world(app, set_today):
    set_today(TODAY)
    with app.app_context():
        w = build_world()
        child = make_child(w.home_id, w.dep_id, admitted_on=date(2025, 3, 1))
        db.session.commit()
        w.child_id = child.id
    return w
