"""Links into other features that may not be there yet."""

from flask import url_for
from werkzeug.routing import BuildError


def guideline_url(slug: str | None) -> str | None:
    """The guideline's page, or None when there is no slug or the guidelines feature has no such page."""
    if not slug:
        return None
    try:
        return url_for("guidelines.show", slug=slug)
    except BuildError:
        return None
