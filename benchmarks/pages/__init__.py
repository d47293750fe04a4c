"""Pages to benchmark, one module per feature.

Each module here exposes ``PAGES = [(name, login_email_or_None, path), ...]`` and may name some of them in
``KEY_PAGES`` (a set of names): the pages the project's latency target is stated for (issue 2: the login page,
each role's dashboard and the employee list; issue 9: the quality report). Every page is measured and flagged
the same way; the summary lists key pages over the target separately. A path may contain
``{placeholders}``; the module then also defines ``resolve(session) -> dict`` that returns their values.
``session.get(path, email=None) -> (status, text)`` fetches a page, logged in as ``email`` when given
(logging in on first use and keeping the cookies), so resolve can read an id off a list page. The same
``resolve`` runs against the gunicorn server and against the Flask test client (for query counts), so
use only ``session.get``.

A page whose login does not exist in a database (e.g. a user only the region-scale data has) or whose
resolve fails is reported as skipped for that database, not as an error.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str
    email: str | None
    path: str  # may hold {placeholders}
    module: str
    is_key: bool = False


def discover() -> list[Page]:
    pages: list[Page] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: (i.name != "core", i.name)):
        module = importlib.import_module(f"{__name__}.{info.name}")
        key_pages = getattr(module, "KEY_PAGES", set())
        for name, email, path in getattr(module, "PAGES", []):
            pages.append(Page(name, email, path, module.__name__, name in key_pages))
    return pages


def resolve_paths(pages: list[Page], session) -> tuple[dict[str, str], dict[str, str]]:
    """Map page name -> concrete path, and page name -> reason for the pages that could not be resolved."""
    values_by_module: dict[str, dict | Exception] = {}
    resolved: dict[str, str] = {}
    skipped: dict[str, str] = {}
    for page in pages:
        if "{" not in page.path:
            resolved[page.name] = page.path
            continue
        if page.module not in values_by_module:
            module = importlib.import_module(page.module)
            try:
                values_by_module[page.module] = module.resolve(session)
            except Exception as error:  # noqa: BLE001 - a broken resolve skips its pages, it does not stop the run
                values_by_module[page.module] = error
        values = values_by_module[page.module]
        if isinstance(values, Exception):
            skipped[page.name] = f"resolve failed: {values!r}"[:120]
            continue
        try:
            resolved[page.name] = page.path.format(**values)
        except (KeyError, IndexError) as error:
            skipped[page.name] = f"no value for {error}"
    return resolved, skipped


def first_match(pattern: str, text: str) -> str:
    """Helper for resolve functions: the first group of the first match, or ValueError."""
    match = re.search(pattern, text)
    if not match:
        raise ValueError(f"no match for {pattern!r}")
    return match.group(1)
