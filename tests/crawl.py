"""Walk every page a logged-in person can reach by following links from the front page, as the test client.

Only GET links (`href`) on the same site are followed; forms are not sent, so the walk changes nothing but the
read logs. Downloads (xlsx, csv, pdf, ics) are fetched for their status but not read for links or words. Year
navigation (`?aar=`) is followed within two years of today: every year's page is the same page, and the years at
the edges of what the pages answer are tested where they are drawn."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

from app import clock

#: Links not to follow: assets, and leaving (logging out is a form, but a link would end the walk).
SKIP_PREFIXES = ("/static/", "/auth/logout")

#: English a Danish user must never meet: WTForms' and Flask's own messages and the usual button words.
ENGLISH = ("This field", "Not a valid", "Field must", "Invalid", "is required", "must be between", "Submit",
           "Edit", "Delete", "Save", "Cancel", "Next", "Previous", "Back", "Search", "Login", "Log in", "Logout",
           "Sign in", "Password", "Please", "Internal Server Error", "Forbidden", "Not Found", "Bad Request",
           "Unauthorized", "Method Not Allowed", "Page not found", "Error", "Loading", "Close", "Yes", "No data")
ENGLISH_PATTERN = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")
#: Text that may hold words of any language: e-mail addresses (names and domains) and addresses.
NOT_WORDS = re.compile(r"[\w.+-]+@[\w.-]+|https?://\S+|/\S*")
#: Dates a Danish reader must never meet: ISO (2026-08-09) and day/month year (1/10 2026, 1/10/2026). Running text
#: says "1. oktober 2026", a table "01.10.2026" (app/web.py); ISO belongs in attributes and input values only.
FOREIGN_DATES = re.compile(r"(?<![\d-])\d{4}-\d{1,2}-\d{1,2}(?![\d-])|(?<![\d/])\d{1,2}/\d{1,2}[/ ]\d{4}(?![\d/])")
#: Text that may hold digits that are no date: e-mail addresses and full addresses (a feed's URL).
NOT_DATES = re.compile(r"[\w.+-]+@[\w.-]+|https?://\S+")
#: Status shown in colour must be said in words too (WCAG 1.4.1): a badge or traffic light holds its own text (or an
#: aria-label), and a row marked in colour by its status (a coloured border or text) holds one that says it.
SIGNS = {"badge", "light", "status-text"}  # status-text: a visually hidden word where a heading says it to the eye
COLOURED_ROWS = re.compile(r"^(?:overdue|soon|due|done|todo|talk-\w+|row-\w+)$")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Walk:
    seen: set[str] = field(default_factory=set)
    #: (url, status, the page it was linked from) for every answer that is not a page or a redirect.
    failed: list[tuple[str, int, str]] = field(default_factory=list)
    #: (url, the English words found in its visible text).
    english: list[tuple[str, list[str]]] = field(default_factory=list)
    #: (url, element ids used more than once on the page).
    duplicate_ids: list[tuple[str, list[str]]] = field(default_factory=list)
    #: (url, the names of form fields nothing labels: no <label for>, no wrapping label, no aria-label).
    unlabelled: list[tuple[str, list[str]]] = field(default_factory=list)
    #: (url, the ISO or day/month-year dates in its visible text).
    dates: list[tuple[str, list[str]]] = field(default_factory=list)
    #: (url, the badges and lights without words, and the rows coloured by a status no badge on them names).
    colour_only: list[tuple[str, list[str]]] = field(default_factory=list)


class _Text(HTMLParser):
    """The text a person sees or hears: text nodes (not in script or style) and the attributes read out."""

    SPOKEN = ("title", "alt", "placeholder", "aria-label")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.fields: list[tuple[str, str, bool]] = []  # (id, name, labelled by itself or a wrapping label)
        self.colour_only: list[str] = []
        self._hidden = 0
        self._in_label = 0
        self._open: list[list] = []  # [tag, "sign"/"row"/None, where its text starts, what it is, named]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "label":
            self._in_label += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit", "button", "reset"):
            self.fields.append((attrs.get("id") or "", attrs.get("name") or "?",
                                bool(self._in_label or attrs.get("aria-label") or attrs.get("aria-labelledby"))))
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self.parts.extend(attrs[a] for a in self.SPOKEN if attrs.get(a))
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.parts.append(attrs["value"])
        if tag not in VOID:
            classes = (attrs.get("class") or "").split()
            kind = ("sign" if SIGNS & set(classes) else
                    "row" if tag in ("tr", "li") and any(COLOURED_ROWS.match(c) for c in classes) else None)
            self._open.append([tag, kind, len(self.parts), f"{tag}.{'.'.join(classes)}",
                               bool(attrs.get("aria-label"))])

    def handle_endtag(self, tag):
        if tag == "label" and self._in_label:
            self._in_label -= 1
        if any(entry[0] == tag for entry in self._open):
            while True:
                entry = self._open.pop()
                self._close(entry)
                if entry[0] == tag:
                    break
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)

    def _close(self, entry: list) -> None:
        _tag, kind, start, what, named = entry
        if kind == "sign":
            if named or "".join(self.parts[start:]).strip():
                for row in self._open:
                    row[4] = row[4] or row[1] == "row"
            else:
                self.colour_only.append(what)
        elif kind == "row" and not named:
            self.colour_only.append(f"{what} without a badge")


def _parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def _form_problems(parser: _Text) -> tuple[list[str], list[str]]:
    """(ids used more than once, names of fields without a label) on a page."""
    counts = Counter(parser.ids)
    unlabelled = [name for id_, name, labelled in parser.fields if not labelled and id_ not in parser.label_for]
    return sorted(i for i, n in counts.items() if n > 1), unlabelled


def english_in(text: str) -> list[str]:
    return sorted(set(ENGLISH_PATTERN.findall(NOT_WORDS.sub(" ", text))))


def foreign_dates_in(text: str) -> list[str]:
    return sorted(set(FOREIGN_DATES.findall(NOT_DATES.sub(" ", text))))


def _near_today(query: str, years: int) -> bool:
    return all(not value.isdigit() or abs(int(value) - clock.today().year) <= years
               for value in parse_qs(query).get("aar", []))


REDIRECTS = (301, 302, 303, 307, 308)


def pages(client, start: str = "/", years: int = 2) -> Iterator[tuple[str, str, object, _Text | None]]:
    """Every address reachable from `start`, breadth first, as (url, the page that links to it, the response, the
    parsed page if it is an HTML page, else None). A redirect is followed like a link; leave the loop to stop."""
    seen, queue = set(), deque([(start, start)])
    while queue:
        url, source = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        parser, targets = None, []
        if response.status_code in REDIRECTS:
            targets = [response.headers["Location"]]
        elif response.status_code == 200 and response.mimetype == "text/html":
            parser = _parse(response.get_data(as_text=True))
            targets = parser.links
        yield url, source, response, parser
        for target in targets:
            parts = urlsplit(urljoin(url, target))
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
                continue
            if not _near_today(parts.query, years):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if not local.startswith(SKIP_PREFIXES) and local not in seen:
                queue.append((local, url))


def walk(client, start: str = "/", limit: int = 2000, years: int = 2) -> Walk:
    """Every page reachable from `start`, with what is wrong on each."""
    result = Walk()
    for url, source, response, parser in pages(client, start, years):
        assert len(result.seen) < limit, f"the walk stopped at {limit} pages"
        result.seen.add(url)
        if response.status_code not in (200, *REDIRECTS):
            result.failed.append((url, response.status_code, source))
        if parser is None:
            continue
        text = " ".join(parser.parts)
        if words := english_in(text):
            result.english.append((url, words))
        if dates := foreign_dates_in(text):
            result.dates.append((url, dates))
        if parser.colour_only:
            result.colour_only.append((url, sorted(set(parser.colour_only))))
        duplicates, unlabelled = _form_problems(parser)
        if duplicates:
            result.duplicate_ids.append((url, duplicates))
        if unlabelled:
            result.unlabelled.append((url, unlabelled))
    return result
