"""The guideline pages through the HTTP client: list, guideline, drafts and approval, reviews, confirmations."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from app import signals
from app.audit.models import AuditEntry
from app.extensions import db
from app.guidelines.models import Guideline, GuidelineReview, GuidelineVersion
from app.people.constants import Role
from app.people.models import Home
from tests.factories import PASSWORD, make_department, make_home, make_user
from tests.guidelines.conftest import document, import_folder, write

EVENTS: list[dict] = []


@signals.guideline_reviewed.connect
def _capture(_sender, /, **payload):
    EVENTS.append(payload)


def login(client, email):
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def _titles(html: str) -> list[str]:
    return re.findall(r'<a href="/guidelines/[a-z-]+">([^<]+)</a>', html)


def test_list_is_sorted_by_urgency_and_filters(app, library, client):
    login(client, "emp1@t.dk")
    html = client.get("/guidelines/").get_data(as_text=True)
    assert _titles(html) == ["Forfalden retningslinje", "Snart til revision", "Ny retningslinje"]
    assert "Overskredet" in html and "Snart til revision" in html and "Fælles regional" in html
    assert _titles(client.get("/guidelines/?status=overdue").get_data(as_text=True)) == ["Forfalden retningslinje"]
    assert _titles(client.get("/guidelines/?status=due").get_data(as_text=True)) == ["Snart til revision"]
    assert _titles(client.get("/guidelines/?niveau=regional").get_data(as_text=True)) == ["Ny retningslinje"]
    assert _titles(client.get("/guidelines/?standard=Magtanvendelse").get_data(as_text=True)) == [
        "Forfalden retningslinje"]
    assert _titles(client.get("/guidelines/?q=selvbestemmelse").get_data(as_text=True)) == [
        "Forfalden retningslinje"]
    assert _titles(client.get("/guidelines/?q=SNART").get_data(as_text=True)) == ["Snart til revision"]
    empty = client.get("/guidelines/?q=ingenting").get_data(as_text=True)
    assert "Ingen retningslinjer matcher" in empty


def test_guideline_page_shows_overview_cycle_in_danish_and_related(app, library, client):
    login(client, "emp1@t.dk")
    html = client.get("/guidelines/snart").get_data(as_text=True)
    assert "Dokumentoverblik" in html and "Revisionsansvarlig" in html and "Målgruppe" in html
    assert "15. januar 2026" in html and "15. januar 2027" in html
    for words in ("senest 1. oktober", "i oktober", "på årets første Mini-MED-møde", "to gange om året (vikarmøder)"):
        assert words in html
    assert 'href="/guidelines/ny"' in html
    assert client.get("/guidelines/findes-ikke").status_code == 404


def test_script_and_javascript_links_in_a_document_never_run(app, runner, org, client, tmp_path):
    body = ("# Farlig\n\n<script>alert('x')</script>\n\n[Klik](javascript:alert(1))\n\n"
            "<img src=\"x\" onerror=\"alert(2)\">\n\n<a href=\"javascript:alert(3)\">link</a>\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n")
    write(tmp_path, "farlig", document(body=body))
    assert import_folder(runner, tmp_path).exit_code == 0
    login(client, "emp1@t.dk")
    html = client.get("/guidelines/farlig").get_data(as_text=True)
    article = html.split('<article class="prose guideline-body">')[1].split("</article>")[0]
    assert "<script" not in article and "javascript:" not in article and "onerror" not in article
    assert "<h1>Farlig</h1>" in article and "<table>" in article


def test_a_version_is_rendered_when_written_and_served_as_stored(app, runner, org, client, tmp_path, monkeypatch):
    write(tmp_path, "test", document(body="# Først\n\nTekst.\n"))
    assert import_folder(runner, tmp_path).exit_code == 0
    with app.app_context():
        assert "<h1>Først</h1>" in db.session.scalar(select(GuidelineVersion.body_html))

    def no_rendering(text):
        raise AssertionError("rendered on a view")

    monkeypatch.setattr("app.guidelines.rendering.render_markdown", no_rendering)
    login(client, "emp1@t.dk")
    assert "<h1>Først</h1>" in client.get("/guidelines/test").get_data(as_text=True)
    assert "<h1>Først</h1>" in client.get("/guidelines/test/versions/1").get_data(as_text=True)


def _draft(client, slug, **data):
    page = client.get(f"/guidelines/{slug}/edit").get_data(as_text=True)
    draft_id = re.search(r'name="draft_id" type="hidden" value="([^"]*)"', page)
    lock = re.search(r'name="lock_version" type="hidden" value="([^"]*)"', page)
    form = {"title": "Snart til revision", "standard": "Kompetenceudvikling", "scope": "Alle afdelinger",
            "revision_responsible": "head", "body": "# Ny\n\nNy tekst.\n", "change_note": "Opdateret",
            "draft_id": draft_id.group(1) if draft_id else "", "lock_version": lock.group(1) if lock else ""}
    form.update(data)
    return form


def test_draft_waits_for_approval_and_self_approval_is_refused(app, library, client, make_client, set_today):
    with app.app_context():
        make_user(db.session.get(Home, library["home"]), roles=(Role.HEAD,), email="head2@t.dk", name="Hans Chef")
        db.session.commit()
    login(client, "head@t.dk")
    response = client.post("/guidelines/snart/edit", data=_draft(client, "snart", body="# Ny\n\nHelt ny tekst.\n"))
    assert response.status_code == 302
    employee = login(make_client(), "emp1@t.dk")
    assert "Helt ny tekst" not in employee.get("/guidelines/snart").get_data(as_text=True)
    assert employee.get("/guidelines/snart/edit").status_code == 403
    assert employee.post("/guidelines/snart/approve").status_code == 403

    refused = client.post("/guidelines/snart/approve", follow_redirects=True)
    assert refused.status_code == 403
    assert "Du kan ikke godkende dit eget udkast" in refused.get_data(as_text=True)

    set_today(date(2026, 12, 3))
    EVENTS.clear()
    other = login(make_client(), "head2@t.dk")
    assert other.post("/guidelines/snart/approve").status_code == 302
    employee = login(make_client(), "emp1@t.dk")  # the next day: yesterday's login has expired
    assert "Helt ny tekst" in employee.get("/guidelines/snart").get_data(as_text=True)
    with app.app_context():
        guideline = db.session.scalar(select(Guideline).where(Guideline.slug == "snart"))
        version = guideline.published
        assert version.number == 2 and version.approved_by_user.name == "Hans Chef"
        assert version.effective_from == date(2026, 12, 3) and guideline.next_review_on == date(2027, 12, 3)
        assert [v.status for v in guideline.versions] == ["superseded", "published"]
        actions = set(db.session.scalars(select(AuditEntry.action)))
        assert {"guidelines.approved", "guidelines.published", "guidelines.draft_saved"} <= actions
    expected = {"home_id": library["home"], "on": date(2026, 12, 3), "slug": "snart", "year": 2026}
    assert [expected] == EVENTS


def test_the_only_approver_may_approve_their_own_draft(app, library, client):
    login(client, "head@t.dk")
    client.post("/guidelines/snart/edit", data=_draft(client, "snart"))
    assert client.post("/guidelines/snart/approve").status_code == 302
    assert "Ny tekst." in client.get("/guidelines/snart").get_data(as_text=True)


@pytest.mark.parametrize("field", ["title", "body"])
def test_an_empty_title_or_body_is_refused(app, library, client, field):
    login(client, "head@t.dk")
    response = client.post("/guidelines/snart/edit", data=_draft(client, "snart", **{field: "  "}))
    assert response.status_code == 400
    assert "Skriv en titel." in response.get_data(as_text=True) or "skal have en tekst" in response.get_data(
        as_text=True)
    with app.app_context():
        assert db.session.scalar(select(GuidelineVersion).where(GuidelineVersion.status == "draft")) is None


@pytest.mark.parametrize("existing_draft", [False, True])
def test_a_second_save_of_the_same_draft_is_refused_and_keeps_the_text(app, library, client, make_client,
                                                                     existing_draft):
    with app.app_context():
        make_user(db.session.get(Home, library["home"]), roles=(Role.HEAD,), email="head2@t.dk")
        db.session.commit()
    login(client, "head@t.dk")
    if existing_draft:
        client.post("/guidelines/snart/edit", data=_draft(client, "snart", body="Første udkast"))
    other = login(make_client(), "head2@t.dk")
    mine, theirs = _draft(client, "snart", body="Min tekst"), _draft(other, "snart", body="Deres tekst")
    assert client.post("/guidelines/snart/edit", data=mine).status_code == 302
    refused = other.post("/guidelines/snart/edit", data=theirs)
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "En anden har gemt udkastet" in html and "Deres tekst" in html
    with app.app_context():
        draft = db.session.scalar(select(GuidelineVersion).where(GuidelineVersion.status == "draft"))
        assert draft.body == "Min tekst"
    # Having been told, they save again from the form they were shown: now it is a deliberate overwrite.
    again = dict(theirs)
    again["draft_id"] = re.search(r'name="draft_id" type="hidden" value="([^"]*)"', html).group(1)
    again["lock_version"] = re.search(r'name="lock_version" type="hidden" value="([^"]*)"', html).group(1)
    assert other.post("/guidelines/snart/edit", data=again).status_code == 302
    with app.app_context():
        drafts = db.session.scalars(select(GuidelineVersion).where(GuidelineVersion.status == "draft")).all()
        assert [d.body for d in drafts] == ["Deres tekst"]


def test_review_without_changes_moves_the_review_date(app, library, client, make_client, set_today):
    set_today(date(2026, 12, 10))
    EVENTS.clear()
    assert login(make_client(), "leader@t.dk").post("/guidelines/forfalden/review", data={"note": "x"}).status_code \
        == 403
    login(client, "head@t.dk")
    assert client.post("/guidelines/forfalden/review", data={"note": "Gennemgået i ledergruppen"}).status_code == 302
    with app.app_context():
        guideline = db.session.scalar(select(Guideline).where(Guideline.slug == "forfalden"))
        assert guideline.next_review_on == date(2027, 12, 10) and guideline.status_on(date(2026, 12, 10)) == "current"
        review = db.session.scalar(select(GuidelineReview))
        assert review.note == "Gennemgået i ledergruppen" and review.reviewed_by.name == "Hanne Leder"
        assert "guidelines.reviewed" in set(db.session.scalars(select(AuditEntry.action)))
        assert guideline.published.number == 1
    assert EVENTS[0]["slug"] == "forfalden" and EVENTS[0]["on"] == date(2026, 12, 10)
    history = client.get("/guidelines/forfalden/history").get_data(as_text=True)
    assert "Gennemgået i ledergruppen" in history


def _confirmed(client, slug) -> bool:
    html = client.get(f"/guidelines/{slug}").get_data(as_text=True)
    return "Du har bekræftet" in html


def test_acknowledgement_minor_change_carries_over_significant_asks_again(app, library, client, make_client):
    employee = login(make_client(), "emp1@t.dk")
    assert not _confirmed(employee, "snart")
    assert employee.post("/guidelines/snart/acknowledge").status_code == 302
    assert _confirmed(employee, "snart")
    with app.app_context():
        assert "guidelines.acknowledged" in set(db.session.scalars(select(AuditEntry.action)))
    login(client, "head@t.dk")
    client.post("/guidelines/snart/edit", data=_draft(client, "snart", body="Mindre rettelse"))
    client.post("/guidelines/snart/approve")
    assert _confirmed(employee, "snart")
    client.post("/guidelines/snart/edit", data=_draft(client, "snart", body="Stor ændring", is_significant="y"))
    client.post("/guidelines/snart/approve")
    assert "Stor ændring" in employee.get("/guidelines/snart").get_data(as_text=True)
    assert not _confirmed(employee, "snart")


def test_coverage_per_department_and_who_is_missing(app, library, client, make_client):
    login(make_client(), "emp1@t.dk").post("/guidelines/snart/acknowledge")
    login(client, "leader@t.dk")
    html = client.get("/guidelines/snart/coverage").get_data(as_text=True)
    assert "1 af 5 i målgruppen" in html
    assert "Nord" in html and "Syd" in html
    per_department = dict(re.findall(r">(Nord|Syd)</a></td>\s*<td>(\d+ af \d+) <meter", html))
    assert per_department == {"Nord": "1 af 2", "Syd": "0 af 3"}
    missing = html.split("Mangler at bekræfte")[1]
    assert "Eva Ansat" in missing and "Tim Vikar" in missing and "Erik Ansat" not in missing
    north = client.get(f"/guidelines/snart/coverage?afdeling={library['north']}").get_data(as_text=True)
    assert "1 af 2 i målgruppen" in north
    assert login(make_client(), "emp2@t.dk").get("/guidelines/snart/coverage").status_code == 403


def test_history_and_diff_are_escaped(app, library, client):
    login(client, "head@t.dk")
    client.post("/guidelines/snart/edit", data=_draft(client, "snart", body="<b>fed</b> ny linje\n",
                                                      change_note="Fordi"))
    client.post("/guidelines/snart/approve")
    history = client.get("/guidelines/snart/history").get_data(as_text=True)
    assert "Version 2" in history and "Fordi" in history and "Hanne Leder" in history
    diff = client.get("/guidelines/snart/diff?fra=1&til=2").get_data(as_text=True)
    assert "&lt;b&gt;fed&lt;/b&gt; ny linje" in diff and "<b>fed</b>" not in diff
    assert 'class="diff-add"' in diff and 'class="diff-del"' in diff
    assert client.get("/guidelines/snart/diff?fra=1&til=9").status_code == 404


def test_dashboard_shows_my_reviews_and_unconfirmed(app, library, client, make_client):
    login(client, "head@t.dk")
    html = client.get("/").get_data(as_text=True)
    assert "Til revision" in html and "Forfalden retningslinje" in html
    employee = login(make_client(), "emp1@t.dk")
    html = employee.get("/").get_data(as_text=True)
    assert "Mangler din bekræftelse" in html and "Til revision" not in html


def test_another_homes_guideline_is_not_found(app, library, runner, client, tmp_path):
    with app.app_context():
        other = make_home("Fremmed hjem")
        make_department(other)
        db.session.commit()
    write(tmp_path / "fremmed", "fremmed", document())
    assert import_folder(runner, tmp_path / "fremmed", "--home", "Fremmed hjem").exit_code == 0
    login(client, "head@t.dk")
    for url in ("/guidelines/fremmed", "/guidelines/fremmed/edit", "/guidelines/fremmed/history",
                "/guidelines/fremmed/coverage", "/guidelines/fremmed/versions/1"):
        assert client.get(url).status_code == 404, url
    for url in ("/guidelines/fremmed/acknowledge", "/guidelines/fremmed/approve", "/guidelines/fremmed/review"):
        assert client.post(url).status_code == 404, url
    assert "fremmed" not in client.get("/guidelines/").get_data(as_text=True)


def test_the_draft_page_explains_the_self_approval_rule_before_the_button(app, library, client, make_client):
    login(client, "head@t.dk")
    assert client.post("/guidelines/snart/edit", data=_draft(client, "snart")).status_code == 302
    alone = client.get("/guidelines/snart/versions/2").get_data(as_text=True)
    assert "du er den eneste" in alone and "Godkend og offentliggør" in alone  # the only head approves herself
    with app.app_context():
        make_user(db.session.get(Home, library["home"]), roles=(Role.HEAD,), email="head2@t.dk", name="Hans Chef")
        db.session.commit()
    author = client.get("/guidelines/snart/versions/2").get_data(as_text=True)
    assert "Du kan ikke godkende dit eget udkast" in author and "Godkend og offentliggør" not in author
    assert "godkendes af en anden" in author
    other = login(make_client(), "head2@t.dk").get("/guidelines/snart/versions/2").get_data(as_text=True)
    assert "godkendes af en anden" in other and "Godkend og offentliggør" in other


def test_the_list_marks_the_guideline_with_a_draft_and_searches_the_published_text(app, library, client):
    login(client, "head@t.dk")
    assert "badge-todo" not in client.get("/guidelines/").get_data(as_text=True)
    response = client.post("/guidelines/snart/edit", data=_draft(client, "snart", body="# Ny\n\nOm kaniner.\n"))
    assert response.status_code == 302
    rows = re.findall(r"<tr>.*?</tr>", client.get("/guidelines/").get_data(as_text=True), re.S)
    marked = [row for row in rows if "badge-todo" in row]
    assert len(marked) == 1 and "Snart til revision" in marked[0]
    assert _titles(client.get("/guidelines/?q=kaniner").get_data(as_text=True)) == []  # the draft's text
    assert _titles(client.get("/guidelines/?q=magtanvendelse og").get_data(as_text=True)) == [
        "Forfalden retningslinje"]
