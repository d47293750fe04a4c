"""Children: the checks page for the home and a child's page (which also writes an access-log row).

At region scale the large homes hold about 80 children each (about 400 in the region); the query count
of these pages must not grow with the number of children.
"""

from benchmarks.pages import first_match

#: The head of the second (large) home; exists only in the region-scale data.
BIG_HOME_HEAD = "person1@home2.demo.dk"

PAGES = [
    ("children list tilbudsleder", "tilbudsleder@demo.dk", "/children/"),
    ("children checks tilbudsleder", "tilbudsleder@demo.dk", "/children/checks"),
    ("child page tilbudsleder", "tilbudsleder@demo.dk", "/children/{child_id}"),
    ("children checks afdelingsleder", "afdelingsleder@demo.dk", "/children/checks"),
    ("children list vikar", "vikar@demo.dk", "/children/"),
    ("children list big home", BIG_HOME_HEAD, "/children/"),
    ("children checks big home", BIG_HOME_HEAD, "/children/checks"),
    ("child page big home", BIG_HOME_HEAD, "/children/{big_child_id}"),
]


def resolve(session):
    status, text = session.get("/children/", email="tilbudsleder@demo.dk")
    if status != 200:
        raise ValueError(f"/children/ answered {status}")
    values = {"child_id": first_match(r'href="/children/(\d+)"', text)}
    try:
        status, text = session.get("/children/", email=BIG_HOME_HEAD)
    except Exception:  # noqa: BLE001 - the big home exists only at region scale; its page is then skipped
        return values
    if status == 200:
        values["big_child_id"] = first_match(r'href="/children/(\d+)"', text)
    return values
