"""Completed courses, implementation agreements and the public answers other features use."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.competence.models import CourseCompletion
from app.competence.services import (
    CompetenceError,
    agree_implementation,
    completed_courses,
    has_completed_neuropedagogy,
    record_completion,
)
from app.extensions import db
from app.people.constants import Role
from app.people.models import ResourceFunction
from tests.factories import make_department, make_home, make_user


def _people(app):
    home = make_home()
    department = make_department(home)
    leader = make_user(home, [department], roles=(Role.DEPARTMENT_LEADER,))
    employee = make_user(home, [department])
    return home, department, leader, employee


def test_neuropedagogy_counts_from_the_day_it_was_completed(app, set_today):
    set_today(date(2026, 6, 1))
    with app.app_context():
        _, _, leader, employee = _people(app)
        assert not has_completed_neuropedagogy(employee)
        record_completion(employee, {"title": "Neuropædagogisk efteruddannelse", "completed_on": date(2026, 5, 20),
                                     "is_neuropedagogy": True}, leader)
        record_completion(employee, {"title": "Førstehjælp", "completed_on": date(2026, 5, 1)}, leader)
        db.session.commit()
        assert has_completed_neuropedagogy(employee)
        assert has_completed_neuropedagogy(employee, on=date(2026, 5, 20))
        assert not has_completed_neuropedagogy(employee, on=date(2026, 5, 19))
        courses = completed_courses(employee)
        assert [c.title for c in courses] == ["Neuropædagogisk efteruddannelse", "Førstehjælp"]
        assert all(c.agreement is None for c in courses)


def test_agreement_makes_the_employee_a_resource_person(app, set_today):
    set_today(date(2026, 6, 1))
    with app.app_context():
        _, _, leader, employee = _people(app)
        completion = record_completion(employee, {"title": "Low arousal for praktikere",
                                                  "completed_on": date(2026, 5, 20)}, leader)
        agree_implementation(completion, "Oplæg på personalemøde og sparring hver måned", "Low arousal",
                             date(2026, 6, 1), leader)
        db.session.commit()
        [course] = completed_courses(employee)
        assert course.agreement is not None and course.agreement.resource_topic == "Low arousal"
        topics = db.session.scalars(select(ResourceFunction.topic).where(ResourceFunction.user_id == employee.id))
        assert list(topics) == ["Low arousal"]
        with pytest.raises(CompetenceError):
            agree_implementation(course, "igen", "Low arousal", date(2026, 6, 1), leader)


def test_a_course_cannot_be_completed_in_the_future(app, set_today):
    set_today(date(2026, 6, 1))
    with app.app_context():
        _, _, leader, employee = _people(app)
        with pytest.raises(CompetenceError, match="fremtiden"):
            record_completion(employee, {"title": "X", "completed_on": date(2026, 6, 2)}, leader)
        assert db.session.scalar(select(CourseCompletion.id)) is None


@pytest.mark.parametrize(("text", "kroner"), [
    ("6.500", "6500.00"), ("12.500", "12500.00"), ("12500", "12500.00"), ("12.500,50", "12500.50"),
    ("12500,5", "12500.50"), ("1.234.567", "1234567.00"), ("0", "0.00"), ("450 kr.", "450.00"), ("450kr", "450.00"),
    ("1 000", "1000.00"), ("100.000.000", "100000000.00"), ("100000000,00", "100000000.00"), ("0,01", "0.01"),
])
def test_danish_amounts_are_read_as_kroner(text, kroner):
    from app.competence.services import parse_money

    assert str(parse_money(text)) == kroner


@pytest.mark.parametrize(("text", "message"), [
    ("12500.5", "Mente du 12.500,5?"),  # a dot is only a thousands separator: refused, not guessed
    ("12.50", "Mente du 12,5?"),
    ("1e9", "skrevet med tal"), ("1E3", "skrevet med tal"), ("NaN", "skrevet med tal"), ("Infinity", "skrevet med tal"),
    ("", "skrevet med tal"), ("tolv", "skrevet med tal"), ("0x10", "skrevet med tal"),
    ("1.000.000.000", "kan højst være 100.000.000 kr."), ("100.000.000,01", "kan højst være 100.000.000 kr."),
    ("-1", "kan ikke være negativ"), ("12,505", "to decimaler"),
])
def test_other_amounts_are_refused_in_danish(text, message):
    from app.competence.services import CompetenceError, parse_money

    with pytest.raises(CompetenceError, match=re.escape(message)):
        parse_money(text)
