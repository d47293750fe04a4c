"""Competence pages: the employee's wish page, the department overview and the home's distribution."""

from benchmarks.pages import first_match

BIG_HOME_HEAD = "person1@home2.demo.dk"

PAGES = [
    ("competence my wishes", "medarbejder@demo.dk", "/competence/"),
    ("competence new wish form", "medarbejder@demo.dk", "/competence/wishes/new"),
    ("competence department overview", "afdelingsleder@demo.dk", "/competence/overview/{department_id}"),
    ("competence home wish list", "tilbudsleder@demo.dk", "/competence/wishes"),
    ("competence distribution", "tilbudsleder@demo.dk", "/competence/distribution"),
    ("competence distribution big home", BIG_HOME_HEAD, "/competence/distribution"),
    ("competence home wish list big home", BIG_HOME_HEAD, "/competence/wishes"),
    ("competence plan", "tilbudsleder@demo.dk", "/competence/plan"),
]


def resolve(session):
    status, text = session.get("/competence/overview", email="tilbudsleder@demo.dk")
    if status != 200:
        raise ValueError(f"/competence/overview answered {status}")
    return {"department_id": first_match(r'href="/competence/overview/(\d+)\?aar=\d+">Skovbrynet', text)}
