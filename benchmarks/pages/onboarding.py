"""Onboarding pages: the temp's own checklist and the leaders' overview (one department, and a big home's head)."""

from benchmarks.pages import first_match

#: The head of the second (large) home; exists only in the region-scale data.
BIG_HOME_HEAD = "person1@home2.demo.dk"

PAGES = [
    ("onboarding temp checklist", "vikar@demo.dk", "/onboarding/mine"),
    ("onboarding leader overview", "afdelingsleder@demo.dk", "/onboarding/overview"),
    ("onboarding head overview", "tilbudsleder@demo.dk", "/onboarding/overview"),
    ("onboarding checklist as leader", "afdelingsleder@demo.dk", "/onboarding/checklists/{checklist_id}"),
    ("onboarding templates", "tilbudsleder@demo.dk", "/onboarding/templates"),
    ("onboarding temp meetings", "tilbudsleder@demo.dk", "/onboarding/meetings"),
    ("onboarding overview big home head", BIG_HOME_HEAD, "/onboarding/overview"),
]


def resolve(session):
    status, text = session.get("/onboarding/overview", email="afdelingsleder@demo.dk")
    if status != 200:
        raise ValueError(f"/onboarding/overview answered {status}")
    return {"checklist_id": first_match(r'href="/onboarding/checklists/(\d+)"', text)}
