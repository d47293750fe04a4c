"""The top navigation: entries grouped by task, only those the role may use, exactly one highlighted."""

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from app import hooks
from app.children.models import Child
from app.extensions import db
from app.guidelines.models import Guideline
from app.people.models import Department, User


class _Menu(HTMLParser):
    """The main menu's top entries (a link, or a dropdown's summary with its links) and which are current."""

    def __init__(self):
        super().__init__()
        self.top: list[dict] = []
        self._in_nav = self._depth = 0
        self._capture = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and attrs.get("aria-label") == "Hovedmenu":
            self._in_nav = True
        if not self._in_nav:
            return
        if tag == "ul":
            self._depth += 1
        elif tag in ("a", "summary") and self._depth == 1:
            self.top.append({"label": "", "current": attrs.get("aria-current"), "links": [],
                             "href": attrs.get("href")})
            self._capture = self.top[-1]
        elif tag == "a" and self._depth == 2:
            self.top[-1]["links"].append(attrs["href"])

    def handle_endtag(self, tag):
        if not self._in_nav:
            return
        if tag in ("a", "summary"):
            self._capture = None
        elif tag == "ul":
            self._depth -= 1
        elif tag == "nav":
            self._in_nav = False

    def handle_data(self, data):
        if self._capture is not None:
            self._capture["label"] += data.strip()


def menu(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Menu()
    parser.feed(response.get_data(as_text=True))
    return parser.top


def highlighted(client, url: str) -> list[str]:
    return [entry["label"] for entry in menu(client, url) if entry["current"] == "page"]


@pytest.mark.parametrize(("who", "expected"), [
    ("head", ["Forside", "Retningslinjer", "Årshjul", "Kompetence", "Introduktion", "Børn", "Samtaler",
              "Kvalitetsovervågning", "Organisation"]),
    ("leader", ["Forside", "Retningslinjer", "Årshjul", "Kompetence", "Introduktion", "Børn", "Samtaler",
                "Kvalitetsovervågning", "Organisation"]),
    ("employee", ["Forside", "Retningslinjer", "Årshjul", "Kompetence", "Børn", "Ressourcepersoner"]),
    ("temp", ["Forside", "Retningslinjer", "Årshjul", "Kompetence", "Introduktion", "Børn", "Ressourcepersoner"]),
    ("admin", ["Forside", "Retningslinjer", "Årshjul", "Kompetence", "Organisation"]),
])
def test_each_role_sees_its_task_groups_in_one_order(demo, auth, client, who, expected):
    auth.login(who)
    assert [entry["label"] for entry in menu(client, "/")] == expected


def test_a_group_with_several_entries_is_a_dropdown_and_one_entry_a_plain_link(demo, auth, client):
    auth.login("head")
    top = {entry["label"]: entry for entry in menu(client, "/")}
    assert top["Kompetence"]["href"] is None
    assert top["Kompetence"]["links"] == ["/competence/", "/appraisals/profile", "/competence/overview",
                                          "/competence/distribution", "/competence/courses", "/competence/plan",
                                          "/competence/tilbudsplan", "/competence/forslag"]
    assert top["Organisation"]["links"] == ["/people/", "/people/resources", "/people/organisation",
                                            "/people/settings"]
    assert top["Årshjul"]["links"] == ["/cycle/", "/cycle/moeder"]
    assert top["Børn"]["href"] == "/children/" and top["Børn"]["links"] == []


def test_only_entries_the_role_may_use(demo, auth, client):
    auth.login("employee")
    top = {entry["label"]: entry for entry in menu(client, "/")}
    assert top["Kompetence"]["links"] == ["/competence/", "/appraisals/profile", "/competence/tilbudsplan"]
    every_link = {link for entry in top.values() for link in entry["links"] + [entry["href"]]}
    assert not every_link & {"/competence/overview", "/people/", "/people/settings", "/audit/", "/quality/"}
    for link in every_link - {None}:
        assert client.get(link, follow_redirects=True).status_code == 200, link


def test_exactly_one_entry_is_highlighted_the_group_of_the_page(demo, app, auth, client):
    with app.app_context():
        child = db.session.scalar(select(Child.id).limit(1))
        person = db.session.scalar(select(User.id).where(User.email == "medarbejder@demo.dk"))
        department = db.session.scalar(select(Department.id).where(Department.name == "Skovbrynet"))
        slug = db.session.scalar(select(Guideline.slug).limit(1))
    auth.login("head")
    pages = {
        "/": "Forside",
        f"/guidelines/{slug}": "Retningslinjer",
        "/cycle/kalender": "Årshjul",
        "/cycle/moeder": "Årshjul",
        "/competence/": "Kompetence",
        "/competence/wishes/new": "Kompetence",
        f"/competence/overview/{department}": "Kompetence",
        "/competence/distribution": "Kompetence",
        f"/appraisals/profile/{person}": "Kompetence",
        "/appraisals/mus": "Samtaler",
        f"/children/{child}": "Børn",
        "/onboarding/overview": "Introduktion",
        "/quality/": "Kvalitetsovervågning",
        f"/people/{person}": "Organisation",
        "/people/settings": "Organisation",
    }
    for url, group in pages.items():
        assert highlighted(client, url) == [group], url
    assert highlighted(client, "/auth/password") == []


def test_the_page_itself_is_marked_inside_its_dropdown(demo, auth, client):
    auth.login("head")
    html = client.get("/competence/plan").get_data(as_text=True)
    assert html.count('class="is-current"') == 1
    assert '<a href="/competence/plan" class="is-current">' in html


def test_an_entry_needs_a_known_group():
    with pytest.raises(ValueError, match="group must be one of"):
        hooks.nav_item("Noget", "dashboard.index", group="andet")
