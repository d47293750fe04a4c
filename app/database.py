"""Database set-up that differs between SQLite and PostgreSQL: pragmas and Danish collation.

Names are sorted with a collation called "danish" on both engines (Æ, Ø, Å after Z): PostgreSQL
gets an ICU collation, SQLite a Python one registered on every connection.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

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


def _danish_compare(left: str, right: str) -> int:
    a, b = danish_key(left), danish_key(right)
    return (a > b) - (a < b)


def danish(column):
    """Use in order_by: `order_by(danish(User.name))`."""
    return column.collate("danish")


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection, connection_record):
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        dbapi_connection.create_collation("danish", _danish_compare)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


CREATE_PG_COLLATION = "CREATE COLLATION IF NOT EXISTS danish (provider = icu, locale = 'da-DK')"


@event.listens_for(db.metadata, "before_create")
def _create_pg_collation(target, connection, **kw):
    if connection.dialect.name == "postgresql":
        connection.execute(text(CREATE_PG_COLLATION))


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
