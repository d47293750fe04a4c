"""Single sign-on, end to end against a real OpenID Connect provider (oidc-provider-mock) on localhost.

The provider runs in a thread; the app under test talks to it over HTTP exactly as it would to Entra ID or
AD FS (discovery, authorization code with PKCE, token endpoint, JWKS). A person's browser is played by the test
client (our side) and `requests` (the provider's login page).
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from sqlalchemy import func, select

from app import clock, create_app
from app.audit.models import AuditEntry
from app.auth.models import LoginSession
from app.extensions import db
from app.people.models import User
from tests.conftest import CSRFClient
from tests.factories import PASSWORD, make_department, make_home, make_user
from tests.oidc_provider import Provider, serve, sso_settings


@pytest.fixture(scope="module")
def provider():
    with serve() as running:
        yield running


@pytest.fixture(autouse=True)
def _untampered(provider):
    provider.tamper = None


@pytest.fixture
def sso_app(app, provider):
    """Build an app (another worker on the same database) with single sign-on against `provider`."""
    built = []

    def build(**settings):
        application = create_app(sso_settings(app, provider, **settings))
        application.test_client_class = CSRFClient
        built.append(application)
        return application

    yield build
    for application in built:
        with application.app_context():
            db.engine.dispose()


@pytest.fixture
def sso_client(sso_app):
    return sso_app().test_client()


@pytest.fixture
def person(app):
    """A current employee of a home, not yet linked to the directory."""
    with app.app_context():
        home = make_home()
        user = make_user(home, [make_department(home)], email="anna@region.dk")
        db.session.commit()
        return user.id


def sign_on(client, provider: Provider, sub: str, *, start: str = "/auth/sso/login", state: str | None = None):
    """Press "Log ind med regionens login", choose `sub` at the provider, come back; the callback's response."""
    begin = client.get(start)
    assert begin.status_code == 302, begin.get_data(as_text=True)
    authorize = begin.headers["Location"]
    assert authorize.startswith(provider.url + "/oauth2/authorize?")
    chosen = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert chosen.status_code == 302, chosen.text
    back = urlsplit(chosen.headers["Location"])
    query = parse_qs(back.query)
    if state is not None:
        query["state"] = [state]
    return client.get(f"{back.path}?{urlencode(query, doseq=True)}")


def _is_logged_in(client) -> bool:
    return client.get("/").status_code == 200


def _user(app, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def _actions(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()


def _refused_with(response, client, message: str) -> None:
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login")
    assert message in client.get("/auth/login").get_data(as_text=True)
    assert not _is_logged_in(client)


def test_first_sign_on_matches_by_email_and_stores_the_claim(app, provider, sso_client, person):
    provider.set_person("entra-anna", email="Anna@Region.dk")
    response = sign_on(sso_client, provider, "entra-anna")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/"
    assert _is_logged_in(sso_client)
    assert _user(app, person).sso_subject == "entra-anna"
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginSession.id)).where(LoginSession.user_id == person)) == 1
        login = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.login"))
        assert (login.actor_id, login.detail["method"]) == (person, "sso")
    assert "auth.sso_linked" in _actions(app)


def test_next_sign_on_matches_by_the_claim_although_the_email_changed(app, provider, sso_client, person):
    provider.set_person("entra-anna", email="anna@region.dk")
    sign_on(sso_client, provider, "entra-anna")
    sso_client.post("/auth/logout")
    provider.set_person("entra-anna", email="anna.jensen@region.dk")
    sign_on(sso_client, provider, "entra-anna")
    assert _is_logged_in(sso_client)
    assert _user(app, person).email == "anna@region.dk"


def test_match_claim_is_configurable(app, provider, sso_app, person):
    client = sso_app(OIDC_MATCH_CLAIM="oid").test_client()
    provider.set_person("pairwise-1", email="anna@region.dk", oid="00000000-0000-0000-0000-0000000000aa")
    sign_on(client, provider, "pairwise-1")
    assert _is_logged_in(client)
    assert _user(app, person).sso_subject == "00000000-0000-0000-0000-0000000000aa"


def test_someone_unknown_to_the_home_is_refused_and_not_created(app, provider, sso_client, person):
    provider.set_person("entra-stranger", email="fremmed@region.dk")
    response = sign_on(sso_client, provider, "entra-stranger")
    _refused_with(response, sso_client, "Du er ikke oprettet i Kompetenceportalen.")
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1
        refusal = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.sso_refused"))
        assert (refusal.summary, refusal.detail["reason"]) == ("fremmed@region.dk", "unknown")


@pytest.mark.parametrize(("change", "refused"), [
    ({"left_on": 0}, True),
    ({"left_on": 1}, False),
    ({"is_disabled": True}, True),
])
def test_leavers_and_disabled_people_are_refused(app, provider, sso_client, person, change, refused):
    with app.app_context():
        user = db.session.get(User, person)
        if "left_on" in change:
            user.left_on = clock.today() + timedelta(days=change["left_on"])
        else:
            user.is_disabled = True
        db.session.commit()
    provider.set_person("entra-anna", email="anna@region.dk")
    response = sign_on(sso_client, provider, "entra-anna")
    if refused:
        _refused_with(response, sso_client, "Du har ikke længere adgang til Kompetenceportalen.")
        assert _user(app, person).sso_subject is None
    else:
        assert _is_logged_in(sso_client)


def test_a_linked_person_who_leaves_is_refused_next_time(app, provider, sso_client, person):
    provider.set_person("entra-anna", email="anna@region.dk")
    sign_on(sso_client, provider, "entra-anna")
    sso_client.post("/auth/logout")
    with app.app_context():
        db.session.get(User, person).left_on = clock.today()
        db.session.commit()
    _refused_with(sign_on(sso_client, provider, "entra-anna"), sso_client,
                  "Du har ikke længere adgang til Kompetenceportalen.")


def test_email_domains_not_allowed_are_refused(app, provider, sso_app, person):
    client = sso_app(OIDC_ALLOWED_DOMAINS=["kommune.dk", "region.dk"]).test_client()
    with app.app_context():
        guest = make_user(db.session.get(User, person).home, email="anna@gmail.com")
        db.session.commit()
        guest_id = guest.id
    provider.set_person("guest", email="anna@gmail.com")
    _refused_with(sign_on(client, provider, "guest"), client,
                  "Din bruger hos regionen har ikke adgang til Kompetenceportalen.")
    assert _user(app, guest_id).sso_subject is None
    provider.set_person("entra-anna", email="anna@region.dk")
    sign_on(client, provider, "entra-anna")
    assert _is_logged_in(client)


def test_an_email_already_linked_to_another_directory_id_is_refused(app, provider, sso_client, person):
    provider.set_person("entra-anna", email="anna@region.dk")
    sign_on(sso_client, provider, "entra-anna")
    sso_client.post("/auth/logout")
    provider.set_person("entra-impostor", email="anna@region.dk")
    _refused_with(sign_on(sso_client, provider, "entra-impostor"), sso_client,
                  "Din e-mail hører til en anden bruger hos regionen.")
    assert _user(app, person).sso_subject == "entra-anna"


def test_a_wrong_state_is_refused(app, provider, sso_client, person):
    provider.set_person("entra-anna", email="anna@region.dk")
    response = sign_on(sso_client, provider, "entra-anna", state="forfalsket")
    _refused_with(response, sso_client, "Login med regionens login mislykkedes.")
    assert _user(app, person).sso_subject is None


def test_a_tampered_id_token_is_refused(app, provider, sso_client, person):
    with app.app_context():
        victim = make_user(db.session.get(User, person).home, email="leder@region.dk", roles=("head",))
        db.session.commit()
        victim_id = victim.id
    provider.set_person("entra-anna", email="anna@region.dk")
    provider.tamper = {"email": "leder@region.dk", "sub": "entra-leder"}
    _refused_with(sign_on(sso_client, provider, "entra-anna"), sso_client, "Login med regionens login mislykkedes.")
    assert _user(app, victim_id).sso_subject is None
    assert _user(app, person).sso_subject is None
    with app.app_context():
        failure = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.sso_failed"))
        assert "BadSignatureError" in failure.summary


def test_a_token_answer_without_id_token_is_refused(app, provider, sso_client, person):
    """Without an ID token nothing was validated (no signature, nonce or audience), so nobody is known."""
    provider.set_person("entra-anna", email="anna@region.dk")
    provider.tamper = {"id_token": None}
    _refused_with(sign_on(sso_client, provider, "entra-anna"), sso_client, "Login med regionens login mislykkedes.")


def test_an_expired_id_token_is_refused(app, sso_app, person):
    with serve(access_token_max_age=timedelta(minutes=-10)) as stale:
        client = sso_app(OIDC_ISSUER=stale.url).test_client()
        stale.set_person("entra-anna", email="anna@region.dk")
        _refused_with(sign_on(client, stale, "entra-anna"), client, "Login med regionens login mislykkedes.")
    assert _user(app, person).sso_subject is None


def test_a_token_from_another_issuer_is_refused(app, provider, sso_app, person):
    """The metadata may name any issuer; the ID token must come from the configured one."""
    client = sso_app(OIDC_ISSUER=provider.url + "/andet",
                     OIDC_METADATA_URL=provider.url + "/.well-known/openid-configuration").test_client()
    provider.set_person("entra-anna", email="anna@region.dk")
    _refused_with(sign_on(client, provider, "entra-anna"), client, "Login med regionens login mislykkedes.")


def test_logout_after_sign_on_ends_the_session(app, provider, sso_client, person):
    provider.set_person("entra-anna", email="anna@region.dk")
    sign_on(sso_client, provider, "entra-anna")
    with sso_client.session_transaction() as session:
        stolen = dict(session)
    response = sso_client.post("/auth/logout")
    assert response.headers["Location"].endswith("/auth/login")
    with sso_client.session_transaction() as session:
        session.update(stolen)
    assert not _is_logged_in(sso_client)
    assert "auth.logout" in _actions(app)


def test_sign_on_returns_to_the_page_asked_for_and_never_off_site(provider, sso_client, person):
    provider.set_person("entra-anna", email="anna@region.dk")
    response = sign_on(sso_client, provider, "entra-anna", start="/auth/sso/login?next=/auth/password")
    assert response.headers["Location"].endswith("/auth/password")
    sso_client.post("/auth/logout")
    response = sign_on(sso_client, provider, "entra-anna", start="/auth/sso/login?next=//evil.example/")
    assert urlsplit(response.headers["Location"]).path == "/"


def test_a_person_with_a_start_code_who_signs_on_is_not_asked_for_a_password(app, provider, sso_client):
    with app.app_context():
        home = make_home()
        make_user(home, [make_department(home)], email="ny@region.dk", must_set_password=True)
        db.session.commit()
    provider.set_person("entra-ny", email="ny@region.dk")
    sign_on(sso_client, provider, "entra-ny")
    assert sso_client.get("/").status_code == 200


def test_login_page_offers_both_ways_when_passwords_are_on(sso_client):
    html = sso_client.get("/auth/login").get_data(as_text=True)
    assert "Log ind med regionens login" in html
    assert 'name="password"' in html


def test_with_local_passwords_off_only_the_region_login_is_offered(app, provider, sso_app, person):
    client = sso_app(LOCAL_PASSWORDS=False).test_client()
    page = client.get("/auth/login")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Log ind med regionens login" in html
    assert 'name="password"' not in html
    response = client.post("/auth/login", data={"email": "anna@region.dk", "password": PASSWORD})
    assert response.status_code == 403
    assert "Log ind med adgangskode er slået fra." in response.get_data(as_text=True)
    assert not _is_logged_in(client)
    provider.set_person("entra-anna", email="anna@region.dk")
    sign_on(client, provider, "entra-anna")
    assert _is_logged_in(client)
    assert urlsplit(client.get("/auth/password").headers["Location"]).path == "/"


def test_without_sso_the_login_page_has_no_region_login(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert "regionens login" not in html
    assert client.get("/auth/sso/login").headers["Location"].endswith("/auth/login")


def test_the_app_starts_without_reaching_the_provider_and_says_so_when_it_is_down(app, sso_app):
    with socket_nobody_listens_on() as port:
        client = sso_app(OIDC_ISSUER=f"http://localhost:{port}").test_client()
        assert "Log ind med regionens login" in client.get("/auth/login").get_data(as_text=True)
        response = client.get("/auth/sso/login")
    _refused_with(response, client, "Regionens login kan ikke nås lige nu.")


@pytest.mark.parametrize(("settings", "message"), [
    ({"LOCAL_PASSWORDS": False, "OIDC_ISSUER": ""}, "KP_LOCAL_PASSWORDS is off"),
    ({"OIDC_ISSUER": "https://login.example", "OIDC_CLIENT_ID": ""}, "KP_OIDC_CLIENT_ID"),
    ({"OIDC_ISSUER": "https://login.example", "OIDC_CLIENT_ID": "kp", "OIDC_SCOPE": "email profile"},
     "KP_OIDC_SCOPE must include openid"),
])
def test_a_setting_that_would_lock_everyone_out_refuses_to_start(app, settings, message):
    with pytest.raises(RuntimeError, match=message):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], **settings})


@contextmanager
def socket_nobody_listens_on():
    """A localhost port that was just free: bound and closed, so connecting to it is refused."""
    import socket

    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        port = probe.getsockname()[1]
    yield port
