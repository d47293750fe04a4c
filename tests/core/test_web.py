"""Headers, cookies, error pages, Danish formatting and sorting, the clock."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask import render_template_string

from app import clock, create_app
from app.extensions import db


def test_security_headers_on_every_page(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_inline_script_or_style_in_pages(demo, auth, client):
    auth.login("head")
    for url in ("/", "/people/", "/people/organisation", "/auth/password"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and " onclick=" not in html and " style=" not in html, url


def test_session_cookie_flags(demo, client):
    response = client.post("/auth/login", data={"email": "medarbejder@demo.dk", "password": "demo1234"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_behind_https(app, monkeypatch):
    monkeypatch.setenv("KP_HTTPS", "1")
    secure = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    assert secure.config["SESSION_COOKIE_SECURE"] is True
    with secure.app_context():
        db.engine.dispose()


def test_danish_404_page(client):
    response = client.get("/findes-ikke")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.get_data(as_text=True)


def test_500_shows_a_danish_page_without_a_traceback(app):
    fresh = create_app({"TESTING": True, "SHOW_ERROR_PAGES": True,
                        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @fresh.get("/__boom")
    def boom():
        raise RuntimeError("intern hemmelighed")

    response = fresh.test_client().get("/__boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Der skete en fejl" in html and "intern hemmelighed" not in html and "Traceback" not in html
    with fresh.app_context():
        db.engine.dispose()


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    from app.config import _instance_secret

    first = _instance_secret(tmp_path)
    assert _instance_secret(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(("value", "expected"), [
    (date(2026, 10, 1), "1. oktober 2026"),
    (date(2027, 2, 28), "28. februar 2027"),
    (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "29. marts 2026"),
    (datetime(2026, 10, 31, 23, 30, tzinfo=UTC), "1. november 2026"),
])
def test_danish_dates(app, value, expected):
    with app.test_request_context():
        assert render_template_string("{{ v|dadate }}", v=value) == expected


@pytest.mark.parametrize(("template", "value", "expected"), [
    ("{{ v|tabledate }}", date(2026, 10, 1), "01.10.2026"),
    ("{{ v|tabledate }}", datetime(2026, 10, 31, 23, 30, tzinfo=UTC), "01.11.2026"),  # Copenhagen's day
    ("{{ v|tabledate(time=True) }}", datetime(2026, 3, 29, 12, 5, tzinfo=UTC), "29.03.2026 kl. 14.05"),
    ("{{ v|tabledate }}", None, "–"),
    ("{{ v|dadate('short') }}", date(2026, 1, 2), "02.01.2026"),  # the spreadsheets' cells: the same format
])
def test_table_dates(app, template, value, expected):
    with app.test_request_context():
        assert render_template_string(template, v=value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (1234567, "1.234.567 kr."), (0, "0 kr."), (999, "999 kr."), (Decimal("4500.00"), "4.500 kr."),
    # øre are shown when there are any, so an amount reads back as it was entered
    (Decimal("4500.50"), "4.500,50 kr."), (Decimal("0.01"), "0,01 kr."), (-1234.4, "-1.234,40 kr."), (None, "–"),
])
def test_kroner_format(app, value, expected):
    with app.test_request_context():
        assert render_template_string("{{ v|kroner }}", v=value) == expected


class TestClock:
    def test_end_of_day_in_summer_and_winter(self):
        assert clock.end_of_day(date(2026, 10, 1)).isoformat() == "2026-10-01T21:59:59.999999+00:00"
        assert clock.end_of_day(date(2026, 12, 1)).isoformat() == "2026-12-01T22:59:59.999999+00:00"

    @pytest.mark.parametrize(("day", "utc_end"), [
        (date(2026, 3, 29), "2026-03-29T21:59:59.999999+00:00"),  # spring forward: 23-hour day
        (date(2026, 10, 25), "2026-10-25T22:59:59.999999+00:00"),  # fall back: 25-hour day
    ])
    def test_end_of_day_on_dst_change_days(self, day, utc_end):
        assert clock.end_of_day(day).isoformat() == utc_end

    def test_deadline_boundary(self):
        deadline = date(2026, 10, 1)
        last_second = datetime(2026, 10, 1, 23, 59, 59, tzinfo=clock.TZ)
        first_second_after = datetime(2026, 10, 2, 0, 0, 0, tzinfo=clock.TZ)
        assert not clock.is_after_deadline(datetime(2026, 9, 30, 12, tzinfo=clock.TZ), deadline)
        assert not clock.is_after_deadline(last_second, deadline)
        assert clock.is_after_deadline(first_second_after, deadline)

    def test_today_is_copenhagen_not_utc(self):
        with clock.frozen(datetime(2026, 9, 30, 22, 30, tzinfo=UTC)):
            assert clock.today() == date(2026, 10, 1)

    @pytest.mark.parametrize(("start", "months", "expected"), [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 5, 15), 12, date(2027, 5, 15)),
    ])
    def test_add_months(self, start, months, expected):
        assert clock.add_months(start, months) == expected


def test_fake_today_for_demos(app, monkeypatch):
    monkeypatch.setenv("KP_FAKE_TODAY", "2026-10-01")
    try:
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
        assert clock.today() == date(2026, 10, 1)
    finally:
        clock.reset()


def test_running_fake_clock_starts_at_the_given_moment(app, monkeypatch):
    monkeypatch.setenv("KP_FAKE_TODAY", "2026-10-01T23:59:30")
    try:
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
        moment = clock.local_now()
        assert moment.date() == date(2026, 10, 1) and (moment.hour, moment.minute) == (23, 59)
    finally:
        clock.reset()


@pytest.mark.parametrize(("value", "expected"), [
    (16, "16,0"), (Decimal("16.04"), "16,0"), (Decimal("16.06"), "16,1"), (1234.5, "1.234,5"), (0, "0,0"), (None, "–"),
])
def test_danumber_format(app, value, expected):
    with app.test_request_context():
        assert render_template_string("{{ v|danumber }}", v=value) == expected
