"""Turning guideline text and metadata into safe HTML and Danish words."""

from __future__ import annotations

import difflib

import markdown
import nh3
from markupsafe import Markup

from app.people.constants import AUDIENCE_LABELS
from app.web import monthname

STATUS_LABELS = {"current": "Gældende", "due": "Snart til revision", "overdue": "Overskredet"}
LEVEL_LABELS = {"local": "Lokal", "regional": "Fælles regional"}
VERSION_STATUS_LABELS = {"draft": "Udkast", "published": "Gældende", "superseded": "Erstattet"}


def render_markdown(text: str) -> Markup:
    """Markdown to HTML, then sanitised with nh3: no scripts, no event handlers, no javascript: links.

    Called when a version's text is written; the HTML is stored with the version (GuidelineVersion.body_html).
    A change here needs a migration that renders the stored versions again.
    """
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(html, url_schemes={"http", "https", "mailto"})
    return Markup(clean)  # noqa: S704  # nosec B704  # sanitised by nh3


def role_label(code: str) -> str:
    return str(AUDIENCE_LABELS.get(code, code))


def _months(months: list[int]) -> str:
    names = [monthname(m) for m in months]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def when_words(when: dict) -> str:
    """A cycle entry's `when` in Danish: "senest 1. oktober", "i oktober", "på årets første Mini-MED-møde"..."""
    if "day" in when:
        return f"senest {when['day']}. {monthname(when['month'])}"
    if "month" in when:
        return f"i {monthname(when['month'])}"
    if "months" in when:
        return f"i {_months(when['months'])}"
    if "meeting" in when:
        return "på årets første Mini-MED-møde" if when["meeting"] == "mini_med_first" else \
            "på årets sidste Mini-MED-møde"
    if "twice_a_year" in when:
        return "to gange om året (vikarmøder)"
    return ""


def review_words(review: dict) -> str:
    if "every_months" in review:
        n = review["every_months"]
        return "hver måned" if n == 1 else f"hver {n}. måned"
    return f"hvert år i {monthname(review['month'])}"


def diff_lines(old: str, new: str) -> list[tuple[str, str]]:
    """A unified diff as (kind, text) pairs: kind is 'add', 'del', 'hunk' or 'same'; the template escapes text."""
    lines = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        lines.append((kind, line))
    return lines
