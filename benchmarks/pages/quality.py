"""Quality monitoring: the report for the home and a department, an exceptions list and the PDF, in the demo home
and in the big home of the region-scale data."""

from benchmarks.pages import first_match

BIG_HOME_HEAD = "person1@home2.demo.dk"

PAGES = [
    ("quality report tilbudsleder", "tilbudsleder@demo.dk", "/quality/"),
    ("quality report department", "tilbudsleder@demo.dk", "/quality/?afdeling={department_id}"),
    ("quality report minimed", "minimed@demo.dk", "/quality/"),
    ("quality exceptions", "tilbudsleder@demo.dk", "/quality/indicator/{indicator_key}"),
    ("quality pdf", "tilbudsleder@demo.dk", "/quality/report.pdf"),
    ("quality api keys", "tilbudsleder@demo.dk", "/quality/tokens"),
    ("quality report big home", BIG_HOME_HEAD, "/quality/"),
    ("quality pdf big home", BIG_HOME_HEAD, "/quality/report.pdf"),
]

#: Issue 9: "the report ... within the project's page target".
KEY_PAGES = {"quality report tilbudsleder", "quality report department", "quality report minimed",
             "quality report big home"}


def resolve(session):
    status, text = session.get("/quality/", email="tilbudsleder@demo.dk")
    if status != 200:
        raise ValueError(f"/quality/ answered {status}")
    return {
        "department_id": first_match(r'<option value="(\d+)"', text),
        "indicator_key": first_match(r'href="/quality/indicator/([^"?]+)', text),
    }
