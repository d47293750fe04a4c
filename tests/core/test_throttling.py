"""Login throttling: a progressive delay per account and per client address, atomic under parallel tries, and
the same work and answer whether or not the e-mail exists (#15, 3)."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import clock, create_app
from app.auth import services
from app.auth.models import LoginAttempt
from app.auth.services import AuthError, authenticate
from app.auth.throttle import delay_after
from app.extensions import db
from tests.conftest import DEMO_EMAIL, DEMO_PASSWORD
from tests.factories import make_department, make_home, make_user

EMPLOYEE = DEMO_EMAIL["employee"]
WAIT = "Vent lidt, og prøv igen."


def _try(client, email=EMPLOYEE, password="forkert-kode", addr="198.51.100.1"):
    return client.post("/auth/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": addr})


def _fail(client, times, **kwargs):
    for _ in range(times):
        assert _try(client, **kwargs).status_code == 401


@pytest.fixture
def frozen(set_today):
    start = clock.now()
    set_today(start)
    return start


def test_the_owner_logs_in_right_after_a_short_delay_that_anonymous_failures_caused(app, demo, client, frozen,
                                                                                   set_today):
    free = app.config["LOGIN_ACCOUNT_FREE_FAILURES"]
    _fail(client, free, addr="203.0.113.9")
    refused = _try(client, password=DEMO_PASSWORD)
    assert refused.status_code == 429 and WAIT in refused.get_data(as_text=True)
    set_today(frozen + timedelta(milliseconds=999))
    assert _try(client, password=DEMO_PASSWORD).status_code == 429
    set_today(frozen + timedelta(seconds=1))
    assert _try(client, password=DEMO_PASSWORD).status_code == 302


def test_a_try_recorded_a_moment_later_does_not_hold_up_a_correct_login(app, demo, client, frozen):
    """Parallel logins (a shift logging in from one address, two tabs of one account): another worker's try
    recorded after this one's, and still being checked, is no reason to wait while the failures are free."""
    with app.app_context():
        for addr in ("198.51.100.1", "198.51.100.2"):
            db.session.add(LoginAttempt(email=EMPLOYEE, remote_addr=addr, at=frozen + timedelta(milliseconds=5)))
        db.session.commit()
    assert _try(client, password=DEMO_PASSWORD).status_code == 302


def test_knocking_during_the_delay_does_not_lengthen_it(app, demo, client, frozen, set_today):
    free = app.config["LOGIN_ACCOUNT_FREE_FAILURES"]
    _fail(client, free, addr="203.0.113.9")
    for _ in range(30):
        assert _try(client, addr="203.0.113.9").status_code == 429
    set_today(frozen + timedelta(seconds=1))
    assert _try(client, password=DEMO_PASSWORD, addr="192.0.2.44").status_code == 302


def test_the_account_delay_doubles_and_stays_short(app, demo, client, frozen, set_today):
    free = app.config["LOGIN_ACCOUNT_FREE_FAILURES"]
    cap = app.config["LOGIN_ACCOUNT_MAX_DELAY_SECONDS"]
    _fail(client, free)
    moment = frozen
    for expected in (1, 2, 4):
        set_today(moment + timedelta(seconds=expected) - timedelta(milliseconds=1))
        assert _try(client).status_code == 429
        moment += timedelta(seconds=expected)
        set_today(moment)
        assert _try(client).status_code == 401  # allowed to the check, and wrong again
    assert [delay_after(free + n, free, cap).total_seconds() for n in (0, 1, 2, 5, 6, 7, 40)] == [
        1, 2, 4, 32, 60, 60, 60]
    assert cap == 60
    assert delay_after(free - 1, free, cap) == timedelta(0)


def test_a_correct_login_starts_the_account_count_afresh(app, demo, client, frozen, set_today):
    free = app.config["LOGIN_ACCOUNT_FREE_FAILURES"]
    _fail(client, free - 1)
    set_today(frozen + timedelta(seconds=1))
    assert _try(client, password=DEMO_PASSWORD).status_code == 302
    client.post("/auth/logout")
    set_today(frozen + timedelta(seconds=2))
    _fail(client, free - 1)
    assert _try(client, password=DEMO_PASSWORD).status_code == 302


def _answer(response) -> tuple[int, bool, bool]:
    html = response.get_data(as_text=True)
    return response.status_code, "Forkert e-mail eller adgangskode." in html, WAIT in html


def test_an_unknown_email_gets_the_same_answers_as_a_known_one(app, demo, make_client, frozen):
    free = app.config["LOGIN_ACCOUNT_FREE_FAILURES"]
    answers = {}
    for n, email in enumerate((EMPLOYEE, "findes.ikke@demo.dk")):
        browser = make_client()
        tries = [_try(browser, email=email, addr=f"192.0.2.{n}") for _ in range(free + 1)]
        answers[email] = [_answer(r) for r in tries]
    assert answers[EMPLOYEE] == answers["findes.ikke@demo.dk"]
    assert answers[EMPLOYEE][0] == (401, True, False) and answers[EMPLOYEE][-1] == (429, False, True)


def test_one_password_against_many_accounts_from_one_address_slows_down(app, demo, client, frozen, set_today):
    free = app.config["LOGIN_ADDRESS_FREE_FAILURES"]
    cap = app.config["LOGIN_ADDRESS_MAX_DELAY_SECONDS"]
    spray = "203.0.113.66"
    for n in range(free):
        assert _try(client, email=f"person{n}@demo.dk", password="Sommer2026", addr=spray).status_code == 401
    assert _try(client, email="ny.person@demo.dk", password="Sommer2026", addr=spray).status_code == 429
    assert _try(client, email="ny.person@demo.dk", password="Sommer2026", addr="192.0.2.1").status_code == 401
    # A success from the address (an attacker's own account) does not reset it.
    assert _try(client, password=DEMO_PASSWORD, addr=spray).status_code == 429
    set_today(frozen + timedelta(seconds=1))
    assert _try(client, password=DEMO_PASSWORD, addr=spray).status_code == 302
    client.post("/auth/logout")
    assert _try(client, email="ny.person@demo.dk", password="Sommer2026", addr=spray).status_code == 401
    assert _try(client, email="ny.person@demo.dk", password="Sommer2026", addr=spray).status_code == 429
    assert cap == 15 * 60 and delay_after(free + 20, free, cap) == timedelta(minutes=15)


@pytest.mark.parametrize(("later", "status"), [(timedelta(milliseconds=-1), 429), (timedelta(milliseconds=1), 302)])
def test_failures_count_only_within_the_window(app, demo, client, frozen, set_today, later, status):
    free = app.config["LOGIN_ACCOUNT_FREE_FAILURES"]
    _fail(client, free - 1)
    set_today(frozen + timedelta(minutes=app.config["LOGIN_WINDOW_MINUTES"]) + later)
    _fail(client, 1)
    assert _try(client, password=DEMO_PASSWORD).status_code == status


def test_throttling_holds_across_app_instances_sharing_the_database(app, demo, client, frozen):
    """Attempts live in the database, so a second worker process sees the first one's failures."""
    _fail(client, app.config["LOGIN_ACCOUNT_FREE_FAILURES"])
    other_worker = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    other_worker.test_client_class = type(client)
    response = _try(other_worker.test_client(), password=DEMO_PASSWORD)
    assert response.status_code == 429
    with other_worker.app_context():
        db.engine.dispose()


def test_the_client_address_is_the_one_the_trusted_proxy_reports(app, demo, client, frozen):
    behind_proxy = create_app({"TESTING": True, "TRUSTED_PROXIES": 1,
                               "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    behind_proxy.test_client_class = type(client)
    browser = behind_proxy.test_client()
    browser.post("/auth/login", data={"email": "x@demo.dk", "password": "nej"},
                 headers={"X-Forwarded-For": "203.0.113.5"}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    with behind_proxy.app_context():
        assert db.session.scalars(select(LoginAttempt.remote_addr)).all() == ["203.0.113.5"]
        db.session.remove()
        db.engine.dispose()


class _CountingHash:
    def __init__(self, real):
        self.real, self.calls, self.hashes, self.lock = real, 0, [], threading.Lock()

    def __call__(self, stored_hash, password):
        with self.lock:
            self.calls += 1
            self.hashes.append(stored_hash)
        return self.real(stored_hash, password)


@pytest.fixture
def hash_checks(monkeypatch):
    spy = _CountingHash(services.check_password_hash)
    monkeypatch.setattr(services, "check_password_hash", spy)
    return spy


@pytest.mark.parametrize(("email", "password", "status"), [
    (EMPLOYEE, DEMO_PASSWORD, 302),
    (EMPLOYEE, "forkert-kode", 401),
    ("findes.ikke@demo.dk", DEMO_PASSWORD, 401),
    ("findes.ikke@demo.dk", "forkert-kode", 401),
])
def test_every_login_costs_exactly_one_password_hash_known_email_or_not(app, demo, client, hash_checks, email,
                                                                       password, status):
    assert _try(client, email=email, password=password).status_code == status
    assert hash_checks.calls == 1


def test_an_unknown_email_is_checked_against_a_hash_made_like_a_real_one(app, client, hash_checks):
    with app.app_context():
        home = make_home()
        make_user(home, [make_department(home)], email="kendt@example.dk")
        db.session.commit()
    _try(client, email="findes.ikke@example.dk")
    _try(client, email="kendt@example.dk")
    dummy, real = (stored.split("$")[0] for stored in hash_checks.hashes)
    assert dummy == real == app.config["PASSWORD_HASH_METHOD"]


def test_parallel_wrong_tries_get_no_more_password_checks_than_allowed(app, hash_checks, frozen):
    """Counting and recording are one step: tries fired at once, from many workers, cannot all slip through
    before any of them is counted."""
    with app.app_context():
        home = make_home()
        make_user(home, [make_department(home)], email="maal@example.dk")
        db.session.commit()
    free = app.config["LOGIN_ACCOUNT_FREE_FAILURES"]
    tries = 16
    barrier = threading.Barrier(tries)
    outcomes, errors = [], []

    def attempt(n):
        try:
            with app.app_context():
                barrier.wait()
                try:
                    authenticate("maal@example.dk", "forkert-kode", f"198.51.100.{n}")
                except services.LoginDelayed:
                    outcomes.append("delayed")
                except AuthError:
                    outcomes.append("checked")
                finally:
                    db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below, a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(tries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(outcomes) == tries
    assert 1 <= hash_checks.calls <= free
    assert outcomes.count("checked") == hash_checks.calls
    with app.app_context():
        counted = db.session.scalar(select(func.count(LoginAttempt.id)).where(
            LoginAttempt.email == "maal@example.dk", LoginAttempt.was_throttled.is_(False)))
    assert counted == hash_checks.calls
