"""Course wishes by the deadline and the October overview, through the HTTP client."""

import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app import clock, signals
from app.competence.models import CourseWish, DepartmentOverview
from app.extensions import db
from app.people.constants import Role
from app.request_start import MAX_QUEUE_WAIT, queue_wait
from tests.factories import PASSWORD, make_department, make_home, make_user


@pytest.fixture
def home_setup(app):
    with app.app_context():
        home = make_home()
        department = make_department(home, "Skoven")
        other = make_department(home, "Havet")
        leader = make_user(home, [department], roles=(Role.DEPARTMENT_LEADER,), email="leder@x.dk")
        head = make_user(home, [department], roles=(Role.HEAD,), email="chef@x.dk")
        employee = make_user(home, [department], email="ansat@x.dk")
        colleague = make_user(home, [department], email="kollega@x.dk", name="Karl Kollega")
        stranger = make_user(home, [other], email="anden@x.dk")
        db.session.commit()
        return {"home": home.id, "dep": department.id, "other_dep": other.id, "method": department.methods[0].id,
                "leader": leader.id, "employee": employee.id, "colleague": colleague.id, "head": head.id,
                "stranger": stranger.id}


def _wish(ids, **overrides):
    data = {"department_id": ids["dep"], "year": 2027, "kind": "course", "title": "Low arousal i praksis",
            "provider": "Studio3", "cost": "4.500,50", "days": "2", "hours": "", "methods": [ids["method"]],
            "responsibility_areas": "", "reason": "Vi har fået flere børn med udadreagerende adfærd."}
    data.update(overrides)
    return data


def _login(client, email):
    return client.post("/auth/login", data={"email": email, "password": PASSWORD})


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(CourseWish.id)))


@pytest.mark.parametrize(("moment", "accepted"), [
    (datetime(2026, 10, 1, 23, 59, 59, tzinfo=clock.TZ), True),
    (datetime(2026, 10, 2, 0, 0, 0, tzinfo=clock.TZ), False),
    (datetime.fromisoformat("2026-10-01T21:59:59+00:00"), True),
    (datetime.fromisoformat("2026-10-01T22:00:00+00:00"), False),
], ids=["23:59:59 local", "00:00:00 local", "21:59:59 UTC (CEST +2)", "22:00:00 UTC"])
def test_employee_submission_at_the_deadline(app, client, set_today, home_setup, moment, accepted, listen):
    events = []
    listen(lambda name, **kw: events.append((name, kw)), signals.wish_submitted)
    set_today(moment)
    _login(client, "ansat@x.dk")
    response = client.post("/competence/wishes/new", data=_wish(home_setup))
    if accepted:
        assert response.status_code == 302
        assert _count(app) == 1
        with app.app_context():
            wish = db.session.scalar(select(CourseWish))
            assert not wish.is_late and str(wish.cost) == "4500.50"
        assert events == [("competence.wish_submitted", {"home_id": home_setup["home"],
                                                         "user_id": home_setup["employee"], "year": 2026,
                                                         "on": moment.astimezone(clock.TZ).date(),
                                                         "actor": events[0][1]["actor"]})]
    else:
        assert response.status_code == 400
        assert "Fristen for ønsker til 2027 var 1. oktober 2026" in response.get_data(as_text=True)
        assert _count(app) == 0 and events == []


def test_deadline_in_winter_time_follows_the_home_setting(app, client, set_today, home_setup):
    with app.app_context():
        from app.people.models import Home

        home = db.session.get(Home, home_setup["home"])
        home.settings = {"wish_deadline_day": 1, "wish_deadline_month": 11}
        db.session.commit()
    _login(client, "ansat@x.dk")
    set_today(datetime.fromisoformat("2026-11-01T22:59:59+00:00"))  # 23:59:59 CET
    assert client.post("/competence/wishes/new", data=_wish(home_setup)).status_code == 302
    set_today(datetime.fromisoformat("2026-11-01T23:00:00+00:00"))  # 00:00:00 CET on 2 November
    assert client.post("/competence/wishes/new", data=_wish(home_setup)).status_code == 400
    assert _count(app) == 1


def test_leader_adds_a_late_wish_on_behalf(app, client, set_today, home_setup):
    set_today(datetime(2026, 10, 2, 0, 0, 0, tzinfo=clock.TZ))
    _login(client, "leder@x.dk")
    response = client.post(f"/competence/wishes/new?for={home_setup['employee']}", data=_wish(home_setup))
    assert response.status_code == 302
    with app.app_context():
        wish = db.session.scalar(select(CourseWish))
        assert wish.user_id == home_setup["employee"] and wish.submitted_by_id == home_setup["leader"]
        assert wish.is_late
    page = client.get(f"/competence/overview/{home_setup['dep']}?aar=2027").get_data(as_text=True)
    assert "For sent" in page


@pytest.mark.parametrize(("overrides", "message"), [
    ({"cost": "-100"}, "Forventet pris kan ikke være negativ."),
    ({"cost": "mange penge"}, "Forventet pris skal være et beløb i kroner"),
    ({"cost": "NaN"}, "Forventet pris skal være et beløb i kroner"),
    ({"methods": [], "responsibility_areas": ""}, "Vælg mindst én af afdelingens metoder eller skriv et ansvarsområde"),
    ({"year": 2025}, "Ønsker kan ikke indsendes for et år, der er gået."),
    ({"days": "x"}, "Antal dage skal være et tal."),
])
def test_bad_wishes_are_refused_and_nothing_saved(app, client, set_today, home_setup, overrides, message):
    set_today(datetime(2026, 9, 15, 12, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    response = client.post("/competence/wishes/new", data=_wish(home_setup, **overrides))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(app) == 0


def test_responsibility_area_alone_is_enough(app, client, set_today, home_setup):
    set_today(datetime(2026, 9, 15, 12, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    response = client.post("/competence/wishes/new",
                           data=_wish(home_setup, methods=[], responsibility_areas="Forflytning"))
    assert response.status_code == 302 and _count(app) == 1


def test_employee_edits_and_withdraws_until_the_deadline(app, client, set_today, home_setup):
    set_today(datetime(2026, 9, 15, 12, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    client.post("/competence/wishes/new", data=_wish(home_setup))
    with app.app_context():
        wish_id = db.session.scalar(select(CourseWish.id))
    edited = _wish(home_setup, title="KRAP", version="1")
    assert client.post(f"/competence/wishes/{wish_id}/edit", data=edited).status_code == 302
    set_today(datetime(2026, 10, 2, 0, 0, 0, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")  # a login lasts at most SESSION_MAX_HOURS
    response = client.post(f"/competence/wishes/{wish_id}/edit", data=_wish(home_setup, title="Andet", version="2"))
    assert response.status_code == 400 and "Fristen er overskredet" in response.get_data(as_text=True)
    assert client.post(f"/competence/wishes/{wish_id}/withdraw").status_code == 303
    with app.app_context():
        wish = db.session.get(CourseWish, wish_id)
        assert wish.title == "KRAP" and wish.status == "submitted"


def test_others_cannot_see_or_change_a_wish(app, client, set_today, home_setup):
    set_today(datetime(2026, 9, 15, 12, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    client.post("/competence/wishes/new", data=_wish(home_setup))
    with app.app_context():
        wish_id = db.session.scalar(select(CourseWish.id))
    client.post("/auth/logout")
    _login(client, "kollega@x.dk")
    assert client.get(f"/competence/wishes/{wish_id}/edit").status_code == 403
    assert client.post(f"/competence/wishes/{wish_id}/withdraw").status_code == 403
    assert "Low arousal" not in client.get("/competence/").get_data(as_text=True)
    client.post("/auth/logout")
    _login(client, "anden@x.dk")
    assert client.get(f"/competence/overview/{home_setup['dep']}").status_code == 403


def test_overview_forward_locks_and_only_the_head_reopens(app, client, make_client, set_today, home_setup,
                                                         listen):
    events = []
    listen(lambda name, **kw: events.append((name, kw)), signals.wish_submitted, signals.overview_forwarded)
    set_today(datetime(2026, 9, 20, 12, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    client.post("/competence/wishes/new", data=_wish(home_setup))
    with app.app_context():
        wish_id = db.session.scalar(select(CourseWish.id))
    set_today(datetime(2026, 10, 12, 12, tzinfo=clock.TZ))
    leader = make_client()
    _login(leader, "leder@x.dk")
    url = f"/competence/overview/{home_setup['dep']}?aar=2027"
    page = leader.get(url).get_data(as_text=True)
    assert "Karl Kollega" in page  # has not submitted
    assert leader.post(url, data={"recommendation": "Vi anbefaler low arousal.", f"priority-{wish_id}": "1"}
                       ).status_code == 302
    assert leader.post(f"/competence/overview/{home_setup['dep']}/forward?aar=2027").status_code == 302
    assert [e[0] for e in events] == ["competence.wish_submitted", "competence.overview_forwarded"]
    assert events[1][1]["department_id"] == home_setup["dep"] and events[1][1]["year"] == 2026
    response = leader.post(url, data={"recommendation": "Ændret", f"priority-{wish_id}": "2"})
    assert response.status_code == 400
    assert "sendt videre til tilbudslederen og kan ikke ændres" in response.get_data(as_text=True)
    assert leader.post(f"/competence/overview/{home_setup['dep']}/reopen?aar=2027").status_code == 403
    with app.app_context():
        overview = db.session.scalar(select(DepartmentOverview))
        assert overview.is_locked and overview.recommendation == "Vi anbefaler low arousal."
        assert overview.forwarded_by_id == home_setup["leader"]
        assert db.session.get(CourseWish, wish_id).priority == 1
    head = make_client()
    _login(head, "chef@x.dk")
    assert head.post(f"/competence/overview/{home_setup['dep']}/reopen?aar=2027").status_code == 302
    assert leader.post(url, data={"recommendation": "Ændret", f"priority-{wish_id}": "2"}).status_code == 302


def test_overview_export_xlsx_and_csv(app, client, set_today, home_setup):
    from io import BytesIO

    from openpyxl import load_workbook

    set_today(datetime(2026, 9, 20, 12, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    client.post("/competence/wishes/new", data=_wish(home_setup))
    client.post("/competence/wishes/new", data=_wish(home_setup, title="KRAP", cost="10000"))
    client.post("/auth/logout")
    _login(client, "leder@x.dk")
    response = client.get(f"/competence/overview/{home_setup['dep']}/export.xlsx?aar=2027")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Afdeling", "Medarbejder", "Type", "Ønske", "Udbyder", "Pris (kr.)")
    assert sorted(r[5] for r in rows[1:3]) == [4500.5, 10000]
    assert rows[-1][0] == "I alt" and rows[-1][5] == 14500.5
    csv = client.get(f"/competence/overview/{home_setup['dep']}/export.csv?aar=2027").data
    assert csv.startswith(b"\xef\xbb\xbf")
    text = csv.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Afdeling;Medarbejder;Type;Ønske")
    assert ";14500,50;" in text


@pytest.mark.parametrize("year", ["99999999999999999999", "9999", "2029"])
def test_a_wish_for_a_far_future_year_is_refused(app, client, set_today, home_setup, year):
    set_today(datetime(2026, 9, 15, 12, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    response = client.post("/competence/wishes/new", data=_wish(home_setup, year=year))
    assert response.status_code == 400 and _count(app) == 0


def _own_wish_for(app, client, ids, year):
    client.post("/competence/wishes/new", data=_wish(ids, year=year))
    with app.app_context():
        return db.session.scalar(select(CourseWish.id).where(CourseWish.year == year))


def _year_of(app, wish_id):
    with app.app_context():
        return db.session.get(CourseWish, wish_id).year


def test_moving_a_wish_into_a_round_whose_deadline_has_passed_is_refused(app, client, set_today, home_setup):
    set_today(datetime(2026, 9, 15, 12, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    wish_id = _own_wish_for(app, client, home_setup, 2028)
    set_today(datetime(2026, 10, 2, 0, 0, 0, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")  # a login lasts at most SESSION_MAX_HOURS
    response = client.post(f"/competence/wishes/{wish_id}/edit", data=_wish(home_setup, year=2027, version="1"))
    assert response.status_code == 400 and "Fristen er overskredet" in response.get_data(as_text=True)
    assert _year_of(app, wish_id) == 2028
    assert client.post(f"/competence/wishes/{wish_id}/edit",
                       data=_wish(home_setup, year=2028, title="KRAP", version="1")).status_code == 302


def test_the_last_moment_of_the_deadline_still_lets_a_wish_move_into_the_round(app, client, set_today, home_setup):
    set_today(datetime(2026, 9, 15, 12, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    wish_id = _own_wish_for(app, client, home_setup, 2028)
    set_today(datetime(2026, 10, 1, 23, 59, 59, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")  # a login lasts at most SESSION_MAX_HOURS
    response = client.post(f"/competence/wishes/{wish_id}/edit", data=_wish(home_setup, year=2027, version="1"))
    assert response.status_code == 302 and _year_of(app, wish_id) == 2027


@pytest.mark.parametrize("mover", ["ansat@x.dk", "leder@x.dk"])
def test_moving_a_wish_into_a_locked_overview_is_refused(app, client, make_client, set_today, home_setup, mover):
    set_today(datetime(2026, 9, 20, 12, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    wish_id = _own_wish_for(app, client, home_setup, 2028)
    leader = make_client()
    _login(leader, "leder@x.dk")
    assert leader.post(f"/competence/overview/{home_setup['dep']}/forward?aar=2027").status_code == 302
    actor = client if mover == "ansat@x.dk" else leader
    response = actor.post(f"/competence/wishes/{wish_id}/edit", data=_wish(home_setup, year=2027, version="1"))
    assert response.status_code == 400 and "er låst" in response.get_data(as_text=True)
    assert _year_of(app, wish_id) == 2028


@pytest.mark.parametrize("title", ["KRAP\x01", "\x00", "Low\x1barousal"])
def test_a_wish_title_with_control_characters_is_refused_at_the_form(app, client, set_today, home_setup, title):
    set_today(datetime(2026, 9, 15, 12, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    response = client.post("/competence/wishes/new", data=_wish(home_setup, title=title, reason="Linje 1\n\tLinje 2"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "usynlige kontroltegn" in html and "Studio3" in html
    assert _count(app) == 0


def test_a_need_closed_with_a_control_character_in_its_note_stays_open(app, client, set_today, home_setup):
    from app.competence.models import CompetenceNeed

    set_today(datetime(2026, 9, 15, 12, tzinfo=clock.TZ))
    with app.app_context():
        need = CompetenceNeed(home_id=home_setup["home"], department_id=home_setup["dep"], description="Nyt barn",
                              raised_on=clock.today(), source="gap", raised_by_id=home_setup["head"])
        db.session.add(need)
        db.session.commit()
        need_id = need.id
    _login(client, "chef@x.dk")
    response = client.post(f"/competence/needs/{need_id}/close", data={"note": "Løst\x00"}, follow_redirects=True)
    assert "usynlige kontroltegn" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(CompetenceNeed, need_id).closed_on is None


# A wish sent before the deadline is on time however long the server took to get to it: judged by when the
# request reached the server (the trusted proxy's request-start header, else when the worker took it).

LAST_SECOND = datetime(2026, 10, 1, 23, 59, 59, tzinfo=clock.TZ)  # CEST: 21:59:59 UTC
AFTER = LAST_SECOND + timedelta(seconds=3)  # 00:00:02 on 2 October


@pytest.mark.parametrize(("header", "wait"), [
    ("t=1790891997.5", 2.5),  # nginx ${msec}
    ("1790891997500", 2.5),  # Heroku: milliseconds
    ("t=1790891997500000", 2.5),  # Apache %t: microseconds
    (" t=1790892000 ", 0.0),
    ("t=1790892003", 0.0),  # a proxy clock a little ahead: no wait, never a negative one
])
def test_request_start_header_formats(header, wait):
    assert queue_wait(header, 1790892000.0) == timedelta(seconds=wait)


def test_a_wait_of_exactly_the_limit_is_believed():
    started = f"t={1790892000 - MAX_QUEUE_WAIT.total_seconds()}"
    assert queue_wait(started, 1790892000.0) == MAX_QUEUE_WAIT


@pytest.mark.parametrize("header", [None, "", "t=", "t=abc", "nan", "t=-5", "0",
                                    f"t={1790892000 - MAX_QUEUE_WAIT.total_seconds() - 1}"])
def test_unreadable_or_implausible_headers_are_not_believed(header):
    assert queue_wait(header, 1790892000.0) is None


def _sent_seconds_ago(seconds: float) -> dict:
    return {"X-Request-Start": f"t={time.time() - seconds:.3f}"}


@pytest.fixture
def behind_proxy(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", 1)


def test_a_wish_the_proxy_received_before_midnight_is_on_time(app, client, set_today, home_setup, behind_proxy):
    _login(client, "ansat@x.dk")
    set_today(AFTER)
    response = client.post("/competence/wishes/new", data=_wish(home_setup), headers=_sent_seconds_ago(3))
    assert response.status_code == 302
    with app.app_context():
        wish = db.session.scalar(select(CourseWish))
        assert not wish.is_late
        assert abs(wish.submitted_at - LAST_SECOND.astimezone(UTC)) < timedelta(seconds=1)


def test_a_wish_the_proxy_received_after_midnight_is_refused(app, client, set_today, home_setup, behind_proxy):
    _login(client, "ansat@x.dk")
    set_today(AFTER)
    response = client.post("/competence/wishes/new", data=_wish(home_setup), headers=_sent_seconds_ago(1.5))
    assert response.status_code == 400
    assert "Fristen for ønsker til 2027 var 1. oktober 2026" in response.get_data(as_text=True)
    assert _count(app) == 0


def test_the_header_is_ignored_without_a_trusted_proxy(app, client, set_today, home_setup):
    assert not app.config["TRUSTED_PROXIES"]
    _login(client, "ansat@x.dk")
    set_today(AFTER)
    response = client.post("/competence/wishes/new", data=_wish(home_setup), headers=_sent_seconds_ago(3))
    assert response.status_code == 400
    assert _count(app) == 0


@contextmanager
def _busy_until(app, moment):
    """The request gets past its first step only at `moment`: the worker was busy with other pages."""

    def busy():
        clock.set_now(moment)

    from app.request_start import _record_start

    hooks = app.before_request_funcs[None]
    hooks.insert(hooks.index(_record_start) + 1, busy)  # right after the arrival time is taken
    try:
        yield
    finally:
        app.before_request_funcs[None].remove(busy)


def test_a_wish_the_worker_took_before_midnight_is_on_time_however_slow(app, client, set_today, home_setup):
    set_today(LAST_SECOND)
    _login(client, "ansat@x.dk")
    with _busy_until(app, AFTER):
        response = client.post("/competence/wishes/new", data=_wish(home_setup))
    assert response.status_code == 302
    assert clock.now() == AFTER.astimezone(UTC)  # the request did run past midnight
    with app.app_context():
        wish = db.session.scalar(select(CourseWish))
        assert not wish.is_late and wish.submitted_at == LAST_SECOND.astimezone(UTC)


@pytest.mark.parametrize(("cost", "message"), [
    ("1e9", "Forventet pris skal være et beløb i kroner skrevet med tal"),
    ("1.000.000.000", "Forventet pris kan højst være 100.000.000 kr."),
    ("12500.5", "Mente du 12.500,5?"),
])
def test_a_refused_amount_keeps_what_was_typed(app, client, set_today, home_setup, cost, message):
    set_today(datetime(2026, 9, 1, 12, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    response = client.post("/competence/wishes/new", data=_wish(home_setup, cost=cost))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html and _count(app) == 0
    assert f'value="{cost}"' in html and 'value="Low arousal i praksis"' in html
    assert "Vi har fået flere børn med udadreagerende adfærd." in html


def test_an_edited_wish_shows_its_price_the_danish_way_and_saves_it_unchanged(app, client, set_today, home_setup):
    set_today(datetime(2026, 9, 1, 12, tzinfo=clock.TZ))
    _login(client, "ansat@x.dk")
    assert client.post("/competence/wishes/new", data=_wish(home_setup, cost="12500,5")).status_code == 302
    with app.app_context():
        wish_id = db.session.scalar(select(CourseWish.id))
    html = client.get(f"/competence/wishes/{wish_id}/edit").get_data(as_text=True)
    assert 'value="12.500,50"' in html
    response = client.post(f"/competence/wishes/{wish_id}/edit", data=_wish(home_setup, cost="12.500,50"))
    assert response.status_code == 302
    with app.app_context():
        assert str(db.session.get(CourseWish, wish_id).cost) == "12500.50"


def test_once_the_overview_is_forwarded_the_employee_is_told_before_filling_in_a_wish(app, make_client, set_today,
                                                                                     home_setup):
    set_today(datetime(2026, 9, 25, 12, tzinfo=clock.TZ))
    employee, stranger = make_client(), make_client()
    _login(employee, "ansat@x.dk")
    _login(stranger, "anden@x.dk")
    assert "Nyt ønske" in employee.get("/competence/").get_data(as_text=True)
    assert employee.get("/competence/wishes/new").status_code == 200
    leader = make_client()
    _login(leader, "leder@x.dk")
    assert leader.post(f"/competence/overview/{home_setup['dep']}/forward?aar=2027").status_code == 302

    page = employee.get("/competence/").get_data(as_text=True)
    assert "Nyt ønske" not in page and "er sendt videre til tilbudslederen" in page
    form = employee.get("/competence/wishes/new", follow_redirects=True)
    assert "er sendt videre til tilbudslederen" in form.get_data(as_text=True)
    assert 'name="reason"' not in form.get_data(as_text=True)
    # Another department's overview is still open: its employee goes on as before.
    assert "Nyt ønske" in stranger.get("/competence/").get_data(as_text=True)
    assert stranger.get("/competence/wishes/new").status_code == 200
