"""Appraisals: the leader's talk overview (one home and the big region home) and a competence profile."""

from benchmarks.pages import first_match

#: The head of the second (large, ~630 people) home; exists only in the region-scale data.
BIG_HOME_HEAD = "person1@home2.demo.dk"

PAGES = [
    ("talk overview afdelingsleder", "afdelingsleder@demo.dk", "/appraisals/"),
    ("talk overview tilbudsleder", "tilbudsleder@demo.dk", "/appraisals/"),
    ("talk overview big home head", BIG_HOME_HEAD, "/appraisals/"),
    ("competence profile (leader views)", "afdelingsleder@demo.dk", "/appraisals/profile/{person_id}"),
]


def resolve(session):
    status, text = session.get("/appraisals/", email="afdelingsleder@demo.dk")
    if status != 200:
        raise ValueError(f"/appraisals/ answered {status}")
    return {"person_id": first_match(r'href="/appraisals/profile/(\d+)"', text)}
