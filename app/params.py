"""Numbers from the URL: an id in a path or a query parameter is a whole number a database column can hold.

Every id column is an INTEGER, 32 bits on PostgreSQL; a larger number (``99999999999999999999``) overflows
SQLite's and PostgreSQL's integers and the query fails with a 500. So:

- `BoundedIntConverter` is the app's ``<int:...>`` converter (registered in `create_app`): a larger number
  does not match the route, which is a 404.
- `int_arg` reads an integer query parameter: a 400 for anything that is not such a number.
- `parse_id` is for text read elsewhere (``?afdeling=`` checked by hand, a form's raw value).
"""

from __future__ import annotations

import builtins

from flask import abort, request
from werkzeug.routing import IntegerConverter

#: The largest value of a PostgreSQL INTEGER, the type of every id column.
MAX_ID = 2**31 - 1
#: Longer than any number up to MAX_ID: not even parsed.
_MAX_DIGITS = len(str(MAX_ID))


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` that matches only 0..MAX_ID (a route may still ask for a smaller max)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 - werkzeug's names
        bounded = MAX_ID if max is None else builtins.min(max, MAX_ID)
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=bounded, signed=signed)


def parse_id(text: str | None) -> int | None:
    """`text` as a number 0..MAX_ID (ASCII digits only), or None."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > _MAX_DIGITS:
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def int_arg(name: str, default: int | None = None) -> int | None:
    """The query parameter `name` as a number 0..MAX_ID; `default` when it is absent or empty; 400 otherwise."""
    raw = request.args.get(name, "")
    if not raw.strip():
        return default
    value = parse_id(raw)
    if value is None:
        abort(400)
    return value
