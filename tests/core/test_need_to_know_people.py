"""The colleague rule of app/need_to_know.py, decided from plain columns (`Colleague`), against the profile rule
it lies within (`appraisals.view_profile`) and against the User it is read from, for every viewer and every person
of the demo: a leader's own leader is the tilbudsleder, a department leader sees the staff of their departments,
everyone sees themself, nobody sees another home, and the technical administrator sees nobody but themself."""

from sqlalchemy import select

from app.extensions import db
from app.need_to_know import PERSON, Subjects, View, colleague, may_see_subject
from app.people.constants import Role
from app.people.models import User
from app.permissions import can


def _expected(viewer, person) -> bool:
    """The rule as it read before the plain columns: the profile rule, and a leader only for the tilbudsleder."""
    if not can(viewer, "appraisals.view_profile", person):
        return False
    if person.id == viewer.id or viewer.has_role(Role.HEAD):
        return True
    return not person.has_role(Role.DEPARTMENT_LEADER, Role.HEAD) and bool(
        viewer.has_role(Role.DEPARTMENT_LEADER) and viewer.department_ids & person.department_ids)


def test_the_rule_on_plain_columns_is_the_rule_on_users_for_every_viewer_and_person(app, demo):
    with app.test_request_context():
        people = db.session.scalars(select(User).order_by(User.id)).all()
        special = [p for p in people if p.has_role(Role.DEPARTMENT_LEADER, Role.HEAD, Role.ADMIN, Role.MINI_MED)]
        viewers = special + [p for p in people if p not in special][:15]
        subjects = Subjects()
        subjects.load((PERSON, p.id) for p in people)
        seen = {True: 0, False: 0}
        for viewer in viewers:
            view = View(viewer, "test", subjects=subjects)
            for person in people:
                expected = _expected(viewer, person)
                assert may_see_subject(viewer, PERSON, person) is expected, (viewer.email, person.email)
                assert may_see_subject(viewer, PERSON, colleague(person)) is expected
                assert view.allows(PERSON, person.id) is expected, (viewer.email, person.email)
                seen[expected] += 1
        assert seen[True] and seen[False]


def test_a_department_leader_sees_their_staff_but_not_a_fellow_leader_nor_another_department(app, demo):
    with app.test_request_context():
        people = db.session.scalars(select(User).order_by(User.id)).all()
        leader = next(p for p in people if p.has_role(Role.DEPARTMENT_LEADER) and not p.has_role(Role.HEAD))
        view = View(leader, "test")
        view.subjects.load((PERSON, p.id) for p in people)
        same_home = [p for p in people if p.home_id == leader.home_id and p.id != leader.id]
        staff = [p for p in same_home if p.department_ids & leader.department_ids
                 and not p.has_role(Role.DEPARTMENT_LEADER, Role.HEAD)]
        elsewhere = [p for p in same_home if not p.department_ids & leader.department_ids]
        fellow = [p for p in same_home if p.department_ids & leader.department_ids
                  and p.has_role(Role.DEPARTMENT_LEADER, Role.HEAD)]
        other_home = [p for p in people if p.home_id != leader.home_id]
        assert staff and elsewhere
        assert view.allows(PERSON, leader.id)
        assert all(view.allows(PERSON, p.id) for p in staff)
        assert not any(view.allows(PERSON, p.id) for p in elsewhere + fellow + other_home)


def test_a_disabled_viewer_sees_nobody_not_even_themself(app, demo):
    with app.test_request_context():
        head = next(p for p in db.session.scalars(select(User)) if p.has_role(Role.HEAD))
        head.is_disabled = True
        assert not may_see_subject(head, PERSON, head)
        assert not View(head, "test").people([head], person=lambda p: p)
