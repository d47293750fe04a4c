"""Backup and restore of every record, the same way on SQLite and PostgreSQL.

A backup is one gzip-compressed JSON file: the schema revision, then each table's columns and rows,
in foreign-key order, and the row count per table. All tables are read in one snapshot (on PostgreSQL a
SERIALIZABLE READ ONLY DEFERRABLE transaction, on SQLite one read transaction), so a backup taken while
people work restores with every reference intact. The file is created readable by its owner only (0600) and
holds no login sessions: after a restore everybody logs in again. Password hashes and the hashes of
calendar-feed and API tokens are kept (a hash does not log anybody in; feeds and BI tools keep working).

Restoring needs an empty database at the same schema revision (`flask db upgrade` first) and runs in one
transaction, so it either restores everything or nothing; it starts a new cache epoch, so running servers
drop what they cached. Because the format does not depend on the engine, a backup from SQLite also restores
into PostgreSQL (and back), and `verify_backup` can test one in a scratch SQLite database.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Date, DateTime, LargeBinary, Numeric, create_engine, func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from app import cache, clock
from app.extensions import db

FORMAT = "kompetenceportalen-backup"
FORMAT_VERSION = 1


#: Tables a backup leaves out: login sessions hold usable session tokens.
NOT_BACKED_UP = frozenset({"login_sessions"})


def _record_tables():
    """Every table that holds records; the data versions are cache counters, not records, and only move up."""
    return [t for t in db.metadata.sorted_tables if t.name not in cache.COUNTER_TABLES]


def backed_up_tables():
    """The tables a backup holds, in foreign-key order."""
    return [t for t in _record_tables() if t.name not in NOT_BACKED_UP]


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


def _snapshot(connection):
    """The connection set to read one consistent snapshot in its next transaction."""
    if connection.dialect.name == "postgresql":
        # Read only and deferrable: waits for a moment no concurrent transaction can make inconsistent, then
        # reads without taking locks or being cancelled.
        return connection.execution_options(isolation_level="SERIALIZABLE", postgresql_readonly=True,
                                            postgresql_deferrable=True)
    return connection


def write_backup(path: Path) -> dict[str, int]:
    """Write every backed-up table to `path` (mode 0600); returns the row count per table."""
    counts: dict[str, int] = {}
    tables: dict[str, dict] = {}
    with db.engine.connect() as plain, _snapshot(plain).begin():
        connection = plain
        if connection.dialect.name == "sqlite":
            # pysqlite starts no transaction for SELECTs, so each would read its own moment; BEGIN makes the
            # first read fix the snapshot (WAL) for all the others.
            connection.exec_driver_sql("BEGIN")
        revision = _revision(connection)
        for table in backed_up_tables():
            columns = [c.name for c in table.columns]
            order = list(table.primary_key.columns)
            rows = connection.execute(select(table).order_by(*order)).all()
            tables[table.name] = {"columns": columns, "rows": [[_encode(v) for v in row] for row in rows]}
            counts[table.name] = len(rows)
    document = {"format": FORMAT, "version": FORMAT_VERSION, "created_at": clock.now().isoformat(),
                "engine": db.engine.dialect.name, "revision": revision, "counts": counts, "tables": tables}
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    # Created 0600 before the first byte is written: never readable by others, not even for a moment.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as zipped:
        zipped.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode())
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
        counts = _load(connection, document)
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
        cache.new_epoch(connection)
    cache.clear()
    return counts


def _load(connection, document: dict) -> dict[str, int]:
    """Insert the backup's rows into empty tables; returns the row count per table."""
    counts: dict[str, int] = {}
    for table in backed_up_tables():
        data = document["tables"].get(table.name)
        if not data or not data["rows"]:
            counts[table.name] = 0
            continue
        decoders = [_decoder(table.columns[name]) for name in data["columns"]]
        rows = [{name: decode(value) for name, decode, value in zip(data["columns"], decoders, row, strict=True)}
                for row in data["rows"]]
        connection.execute(table.insert(), rows)
        counts[table.name] = len(rows)
    return counts


def verify_backup(path: Path) -> list[str]:
    """Restore a backup into a scratch SQLite database and count each table there; returns what does not match
    (empty when the backup is sound). Production is not touched beyond reading its schema revision."""
    document = read_backup(path)
    with db.engine.connect() as connection:
        revision = _revision(connection)
    if document["revision"] and revision and document["revision"] != revision:
        raise BackupError(f"the backup is from schema revision {document['revision']}, this app is at {revision}; "
                          "verify with the version of the app that made it")
    unknown = set(document["tables"]) - {t.name for t in _record_tables()}
    if unknown:
        raise BackupError(f"the backup has tables this version does not know: {', '.join(sorted(unknown))}")
    problems = []
    with tempfile.TemporaryDirectory(prefix="kp-verify-") as folder:
        scratch = create_engine(f"sqlite:///{Path(folder) / 'scratch.db'}")
        try:
            db.metadata.create_all(scratch)
            try:
                with scratch.begin() as connection:
                    _load(connection, document)
            except DBAPIError as error:
                return [f"the backup does not restore: {str(error.orig).splitlines()[0]}"]
            with scratch.connect() as connection:
                for table in backed_up_tables():
                    restored = connection.execute(select(func.count()).select_from(table)).scalar()
                    in_file = len(document["tables"].get(table.name, {}).get("rows", []))
                    expected = document.get("counts", {}).get(table.name, in_file)
                    if not restored == in_file == expected:
                        problems.append(f"{table.name}: {expected} rows when backed up, {in_file} in the file, "
                                        f"{restored} after restoring")
        finally:
            scratch.dispose()
    return problems


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
