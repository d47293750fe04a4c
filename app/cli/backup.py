"""Backup and restore of every record, the same way on SQLite and PostgreSQL.

A backup is one gzip-compressed JSON file: the schema revision, then each table's columns and rows,
in foreign-key order. Restoring needs an empty database at the same schema revision (`flask db upgrade`
first) and runs in one transaction, so it either restores everything or nothing. Because the format does
not depend on the engine, a backup from SQLite also restores into PostgreSQL (and back).
"""

from __future__ import annotations

import base64
import gzip
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Date, DateTime, LargeBinary, Numeric, func, inspect, select, text

from app import cache, clock
from app.extensions import db

FORMAT = "kompetenceportalen-backup"
FORMAT_VERSION = 1


def _record_tables():
    """Every table that holds records; the data version is a cache counter, not a record, and only moves up."""
    return [t for t in db.metadata.sorted_tables if t.name != cache.DataVersion.__tablename__]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


def _revision(connection) -> str | None:
    """The schema revision, or None for a database built without migrations (as in tests)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _encode(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _decoder(column):
    kind = column.type
    impl = getattr(kind, "impl", kind)
    if isinstance(impl, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(impl, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(impl, Numeric):
        return lambda v: None if v is None else Decimal(v)
    if isinstance(impl, LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v)
    return lambda v: v


def write_backup(path: Path) -> dict[str, int]:
    """Write every table to `path`; returns the row count per table."""
    counts: dict[str, int] = {}
    tables: dict[str, dict] = {}
    # One transaction, so the backup is one consistent moment even while people work.
    with db.engine.connect() as connection, connection.begin():
        revision = _revision(connection)
        for table in _record_tables():
            columns = [c.name for c in table.columns]
            order = list(table.primary_key.columns)
            rows = connection.execute(select(table).order_by(*order)).all()
            tables[table.name] = {"columns": columns, "rows": [[_encode(v) for v in row] for row in rows]}
            counts[table.name] = len(rows)
    document = {"format": FORMAT, "version": FORMAT_VERSION, "created_at": clock.now().isoformat(),
                "engine": db.engine.dialect.name, "revision": revision, "tables": tables}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with gzip.open(tmp, "wt", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, separators=(",", ":"))
    tmp.replace(path)
    return counts


def read_backup(path: Path) -> dict:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError) as error:
        raise BackupError(f"{path} is not a Kompetenceportalen backup: {error}") from error
    if document.get("format") != FORMAT or document.get("version") != FORMAT_VERSION:
        raise BackupError(f"{path} is not a Kompetenceportalen backup of format version {FORMAT_VERSION}")
    return document


def restore_backup(path: Path, *, replace: bool = False) -> dict[str, int]:
    """Load a backup into this database in one transaction; refuses a non-empty database unless `replace`."""
    document = read_backup(path)
    known = {t.name: t for t in _record_tables()}
    unknown = set(document["tables"]) - set(known)
    if unknown:
        raise BackupError(f"the backup has tables this version does not know: {', '.join(sorted(unknown))}")
    counts: dict[str, int] = {}
    with db.engine.connect() as connection, connection.begin():
        revision = _revision(connection)
        if document["revision"] and revision and document["revision"] != revision:
            raise BackupError(f"the backup is from schema revision {document['revision']}, this database is "
                              f"at {revision}; restore with the version of the app that made it")
        existing = sum(connection.execute(select(func.count()).select_from(t)).scalar() for t in known.values())
        if existing and not replace:
            raise BackupError("the database is not empty; restore into an empty database or pass --replace")
        for table in reversed(_record_tables()):
            connection.execute(table.delete())
        for table in _record_tables():
            data = document["tables"].get(table.name)
            if not data or not data["rows"]:
                counts[table.name] = 0
                continue
            decoders = [_decoder(table.columns[name]) for name in data["columns"]]
            rows = [{name: decode(value) for name, decode, value in zip(data["columns"], decoders, row,
                                                                          strict=True)}
                    for row in data["rows"]]
            connection.execute(table.insert(), rows)
            counts[table.name] = len(rows)
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
        cache.bump(connection)
    cache.clear()
    return counts


_RESET_SEQUENCE = ("SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                   "COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")


def _reset_sequences(connection) -> None:
    """After inserting explicit ids, move each serial sequence past the highest id so new rows do not clash."""
    for table in db.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or key[0].name != "id":
            continue
        # Table names come from our own metadata, never from input.
        connection.execute(text(_RESET_SEQUENCE.format(table=f'"{table.name}"')))
