"""Guideline library: the list and one guideline page, for the demo head and a large home's head."""

from benchmarks.pages import first_match

BIG_HOME_HEAD = "person1@home2.demo.dk"

PAGES = [
    ("guideline list", "tilbudsleder@demo.dk", "/guidelines/"),
    ("guideline page", "medarbejder@demo.dk", "/guidelines/{slug}"),
    ("guideline history", "tilbudsleder@demo.dk", "/guidelines/{slug}/history"),
    ("guideline coverage", "tilbudsleder@demo.dk", "/guidelines/{slug}/coverage"),
    ("guideline list big home", BIG_HOME_HEAD, "/guidelines/"),
    ("guideline coverage big home", BIG_HOME_HEAD, "/guidelines/kompetenceudvikling/coverage"),
]


def resolve(session):
    status, text = session.get("/guidelines/", email="tilbudsleder@demo.dk")
    if status != 200:
        raise ValueError(f"/guidelines/ answered {status}")
    return {"slug": first_match(r'href="/guidelines/([a-z0-9-]+)"', text)}
