"""One truth on every page: in the demo, every duty whose `fulfilled_by` event has records behind it is done on
the årshjul exactly when the feature's own page (and its quality indicator, where there is one) says so."""

import re
from datetime import date

from sqlalchemy import select

from app import clock, hooks
from app.cycle.models import MiniMedMeeting
from app.cycle.services import guideline_tasks
from app.extensions import db
from app.people.models import Department, Home
from app.web import daymonth, tabledate
from tests.cycle.helpers import duties


def _measure(key):
    return next(i.measure for i in hooks.indicators() if i.key == key)


def _overview(client, home, task, today):
    """The overview of wishes for next year's funds, sent in the October of the duty's year."""
    department = db.session.get(Department, task.department_id)
    html = client.get(f"/competence/overview?aar={task.due_on.year + 1}").get_data(as_text=True)
    row = re.search(rf">{re.escape(department.name)}</a>.*?</tr>", html, re.S).group(0)
    result = _measure("competence.overviews_forwarded")(home, department.id, date(task.due_on.year, 11, 1))
    assert result.total == 1
    return "Sendt " in row, result.met == 1


def _distribution(client, home, task, today):
    html = client.get(f"/competence/distribution?aar={task.due_on.year}").get_data(as_text=True)
    result = _measure("competence.distribution_first_meeting")(home, None, min(today, date(task.due_on.year, 12, 31)))
    return "Godkendt " in html, result.met == 1


def _mus(label):
    def check(client, home, task, today):
        assert task.due_on.year == today.year  # the MUS page shows this year's items
        html = client.get("/appraisals/mus").get_data(as_text=True)
        line = re.search(rf"<li>{re.escape(label)} {today.year}: (.*?)</li>", html, re.S).group(1)
        return "Registreret" in line, None

    return check


def _temp_meeting(client, home, task, today):
    """A done slot names the meeting that filled it; an open one means the year has no meeting left for it."""
    html = client.get("/onboarding/meetings").get_data(as_text=True)
    held = set(re.findall(r"<td>(\d\d\.\d\d\.\d{4})</td>", html))  # the table's dates
    if task.is_done:
        day = date(*reversed([int(p) for p in task.done_note.split()[-1].split(".")]))
        return tabledate(day) in held, None
    done_in_year = sum(t.is_done for t in _TASKS if t.fulfilled_by == task.fulfilled_by
                       and t.due_on.year == task.due_on.year)
    return sum(text.endswith(str(task.due_on.year)) for text in held) > done_in_year, None


def _plan(client, home, task, today):
    html = client.get(f"/competence/plan?aar={task.due_on.year + 1}").get_data(as_text=True)
    return "Færdigskrevet " in html, None


def _plan_approved(client, home, task, today):
    html = client.get(f"/competence/plan?aar={task.due_on.year}").get_data(as_text=True)
    return "Godkendt af Mini-MED den" in html, None


def _meeting_page(home, day):
    meeting = db.session.scalar(select(MiniMedMeeting).where(MiniMedMeeting.home_id == home.id,
                                                             MiniMedMeeting.held_on == day))
    return f"/cycle/moeder/{meeting.id}"


def _tilbudsplan_presented(client, home, task, today):
    html = client.get(_meeting_page(home, task.due_on)).get_data(as_text=True)
    return f"Tilbudsplanen for {task.due_on.year} (revision" in html, None


def _tilbudsplan_evaluated(client, home, task, today):
    html = client.get(_meeting_page(home, task.due_on)).get_data(as_text=True)
    return "Evalueret på mødet den" in html, None


def _suggestions(client, home, task, today):
    department = db.session.get(Department, task.department_id)
    html = client.get(f"/competence/forslag?aar={task.due_on.year}").get_data(as_text=True)
    row = re.search(rf"<td>{re.escape(department.name)}</td>.*?</tr>", html, re.S).group(0)
    return "Registreret:" in row, None
def _tilbudsplan(client, home, task, today):
    """The tilbudsplan for the year after the duty's December, finished by the leader group."""
    html = client.get(f"/competence/tilbudsplan?aar={task.due_on.year + 1}").get_data(as_text=True)
    return "Færdiggjort " in html, None



def _methods_revised(client, home, task, today):
    """Next year's tilbudsplan, finished, with its method decisions (the December revision)."""
    html = client.get(f"/competence/tilbudsplan?aar={task.due_on.year + 1}").get_data(as_text=True)
    return "Færdiggjort " in html and any(label in html for label in ("Fastholdes", "Udfases", "Indføres")), None

CHECKS = {
    "competence.plan_approved": _plan_approved,
    "competence.tilbudsplan_presented": _tilbudsplan_presented,
    "competence.tilbudsplan_evaluated": _tilbudsplan_evaluated,
    "competence.suggestions_recorded": _suggestions,
    "competence.overview_forwarded": _overview,
    "competence.distribution_approved": _distribution,
    "appraisals.mus_concept_evaluated": _mus("Evaluering i oktober"),
    "appraisals.mus_concept_briefed": _mus("Orientering i december"),
    "onboarding.temp_meeting_held": _temp_meeting,
    "competence.plan_written": _plan,
    "competence.tilbudsplan_written": _tilbudsplan,
    "competence.methods_revised": _methods_revised,
}
_TASKS: list = []


def test_every_duty_done_by_a_record_agrees_on_the_year_its_page_and_its_indicator(app, demo, auth, client):
    auth.login("head")
    today = clock.today()
    with app.app_context():
        home = db.session.scalar(select(Home))
        _TASKS[:] = [t for t in guideline_tasks(home, date(today.year, 1, 1), today) if t.fulfilled_by]
        assert _TASKS, "the demo's guidelines have duties fulfilled by records"
        assert {t.fulfilled_by for t in _TASKS} <= set(CHECKS), "a new record-based duty needs a check here"
        assert {"competence.overview_forwarded", "appraisals.mus_concept_evaluated"} <= {
            t.fulfilled_by for t in _TASKS if t.due_on < today} or today < date(today.year, 11, 1)
        years = {}
        seen = []
        for task in _TASKS:
            if task.due_on >= today:
                continue  # not yet due: an open duty ahead says nothing about the pages
            if task.due_on.year not in years:
                years[task.due_on.year] = client.get(f"/cycle/?aar={task.due_on.year}").get_data(as_text=True)
            department = db.session.get(Department, task.department_id) if task.department_id else None
            shown = [status for status, body in duties(years[task.due_on.year], task.title[:40])
                     if daymonth(task.due_on) in body and (department is None or department.name in body)]
            assert len(shown) == 1, task.uid
            on_wheel = shown[0] == "done"
            assert on_wheel == task.is_done, task.uid
            on_page, by_indicator = CHECKS[task.fulfilled_by](client, home, task, today)
            assert on_page == on_wheel, (task.uid, "page", on_page, "årshjul", on_wheel)
            if by_indicator is not None:
                assert by_indicator == on_wheel, (task.uid, "indicator", by_indicator, "årshjul", on_wheel)
            seen.append((task.fulfilled_by, on_wheel))
    # The demo tells both sides of the story: some duties done by their records, at least one still open.
    assert any(done for _, done in seen) and not all(done for _, done in seen)
