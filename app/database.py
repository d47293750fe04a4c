"""Database set-up that differs between SQLite and PostgreSQL (pragmas), and the Danish sort key.

Names are sorted the Danish way (Æ, Ø, Å after Z) by a stored key column next to the name
(`danish_sort_key_column("name")`), written whenever the name is: the database sorts plain bytes, the same
on both engines, and an index can serve the ORDER BY. No Python runs inside a query.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import LargeBinary, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import mapped_column

from app.extensions import db

_DANISH_TAIL = {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"}


def danish_key(value: str) -> tuple[str, str]:
    """A sort key that orders strings the Danish way: a-z, then æ, ø, å; case and accents decide only ties."""
    folded = []
    for char in (value or "").casefold():
        if char in _DANISH_TAIL:
            folded.append(_DANISH_TAIL[char])
            continue
        base = unicodedata.normalize("NFD", char)[0]
        folded.append(base)
    return "".join(folded), value or ""


def danish_sort_key(value: str | None) -> bytes:
    """`danish_key` as bytes that sort the same way byte by byte (both engines compare bytes with memcmp).

    The NUL between the folded text and the original sorts a name before every longer name it starts.
    """
    folded, original = danish_key(value)
    return folded.encode() + b"\x00" + original.encode()


_SORT_SOURCE = "danish_sort_of"


def danish_sort_key_column(source: str):
    """The stored Danish sort key of the column `source`; ORDER BY it instead of the name.

    The ORM writes it before every insert and update (`_write_sort_keys`); a Core insert gets it from the
    column default. A Core UPDATE of the name must set it too. Nullable only so that a migration can add it
    to a table with rows without rebuilding the table on SQLite; every write fills it.
    """

    def default(context) -> bytes:
        return danish_sort_key(context.get_current_parameters().get(source))

    return mapped_column(LargeBinary, default=default, index=True, info={_SORT_SOURCE: source})


_sort_keys_by_mapper: dict = {}


def _sort_key_columns(mapper) -> list[tuple[str, str]]:
    found = _sort_keys_by_mapper.get(mapper)
    if found is None:
        found = [(prop.key, prop.columns[0].info[_SORT_SOURCE]) for prop in mapper.column_attrs
                 if _SORT_SOURCE in prop.columns[0].info]
        _sort_keys_by_mapper[mapper] = found
    return found


@event.listens_for(db.Model, "before_insert", propagate=True)
@event.listens_for(db.Model, "before_update", propagate=True)
def _write_sort_keys(mapper, connection, target) -> None:
    for key, source in _sort_key_columns(mapper):
        setattr(target, key, danish_sort_key(getattr(target, source)))


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection, connection_record):
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def init_app(app) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite") and ":memory:" not in uri:
        with app.app_context(), db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")


def render_migration_item(type_, obj, autogen_context):
    """Autogenerate writes our UTCDateTime as a plain DateTime, so migrations never import app code."""
    if type_ == "type" and obj.__class__.__name__ == "UTCDateTime":
        return "sa.DateTime()"
    return False
