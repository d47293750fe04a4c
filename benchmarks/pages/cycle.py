"""Annual cycle: the year view (årshjul) per role, this year and next, the big home's year, Mini-MED
meetings, the calendar page and the one-off .ics download. The dashboards per role are in core.py."""

BIG_HOME_HEAD = "person1@home2.demo.dk"

PAGES = [
    ("årshjul tilbudsleder", "tilbudsleder@demo.dk", "/cycle/"),
    ("årshjul afdelingsleder", "afdelingsleder@demo.dk", "/cycle/"),
    ("årshjul medarbejder", "medarbejder@demo.dk", "/cycle/"),
    ("årshjul vikar", "vikar@demo.dk", "/cycle/"),
    ("årshjul minimed", "minimed@demo.dk", "/cycle/"),
    ("årshjul admin", "admin@demo.dk", "/cycle/"),
    ("årshjul mine opgaver medarbejder", "medarbejder@demo.dk", "/cycle/?mine=1"),
    ("årshjul kun retningslinjer", "tilbudsleder@demo.dk", "/cycle/?kilde=retningslinjer"),
    ("årshjul big home head", BIG_HOME_HEAD, "/cycle/"),
    ("dashboard big home head (cycle)", BIG_HOME_HEAD, "/"),
    ("mini-med meetings", "tilbudsleder@demo.dk", "/cycle/moeder"),
    ("calendar page", "medarbejder@demo.dk", "/cycle/kalender"),
    ("calendar download afdelingsleder", "afdelingsleder@demo.dk", "/cycle/kalender/aarshjul.ics"),
    ("calendar download big home head", BIG_HOME_HEAD, "/cycle/kalender/aarshjul.ics"),
]
