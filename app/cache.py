"""A per-process cache of derived data that is never stale: every entry is tied to the database's data version.

Pages such as the dashboard, the årshjul and the quality report derive a lot from a home's records (every
task of the year, sixteen indicators). Many people of the same home ask for the same derived data, and the
records change far less often than they are read. So:

- `data_version` is one row whose number goes up in the same transaction as any write (hooked on the
  session's ``before_commit``, so a rolled-back transaction never bumps it, and a reader that sees the new
  number also sees the new data).
- `cached(name, key, compute)` keeps ``compute()``'s result per (name, key, data version, today) in this
  process, so several gunicorn workers stay correct without talking to each other: a worker that sees a
  new version recomputes. Reading the version costs one small query per request.
- The version row also holds a random `epoch`. A restore puts the number back (to the backup's, or whatever
  a pg_dump held), and the next writes would count up through numbers a running server has already cached
  other data under; so every restore writes a new epoch (`new_epoch`, also `flask cache reset` for an
  operator after a pg_restore or a change made in SQL), and entries are kept per (epoch, version).

Writes to bookkeeping tables that no derived page reads (login sessions and attempts, audit entries, the
log of who read a child's record, reminder logs) do not bump the version. Cached values must be plain
data (dataclasses, tuples, numbers), never ORM objects, which belong to one request's session.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from cachetools import LRUCache
from flask import g, has_app_context
from sqlalchemy import BigInteger, Integer, String, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from app import clock
from app.extensions import db

T = TypeVar("T")

#: Tables whose writes never change derived data (see the module docstring).
BOOKKEEPING_TABLES = frozenset({
    "login_sessions", "login_attempts", "audit_entries", "child_access_logs", "reminder_logs", "data_version",
})

#: Entries kept per process; the least recently used goes first. A region has a handful of homes, each with
#: a few derived sets (tasks per window, report per department), plus one dashboard per person who has
#: looked at theirs since the data last changed (a few kB each).
MAX_ENTRIES = 1024

_ROW_ID = 1
_READ_VERSION = "SELECT epoch, value FROM data_version WHERE id = 1"  # id = _ROW_ID
_CHANGED = "kp_data_changed"


class DataVersion(db.Model):
    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
    epoch: Mapped[str | None] = mapped_column(String(32))


_MISSING = object()
_stores: list[Store] = []


class Store:
    """A map kept in this process that forgets its least recently used entries beyond `limit` (cachetools'
    LRUCache); `weigh` gives each value's share of the limit (1 per entry unless told, e.g. ``len`` to bound
    bytes); a value heavier than the whole limit is not kept. `clear()` below empties every store.
    A lock guards it: LRUCache is not thread-safe, and gunicorn's gthread workers serve requests in threads."""

    def __init__(self, limit: int, weigh: Callable[[object], int] = lambda value: 1):
        self._entries: LRUCache = LRUCache(maxsize=limit, getsizeof=weigh)
        self._lock = threading.Lock()
        _stores.append(self)

    def get(self, key: Hashable, default=None):
        with self._lock:
            return self._entries.get(key, default)

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            if key in self._entries:
                return
            try:
                self._entries[key] = value
            except ValueError:  # heavier than the limit alone
                return

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_store = Store(MAX_ENTRIES)

def current_stamp() -> tuple[str, int]:
    """The (epoch, data version), read once per request (("", 0) when the row does not exist yet)."""
    if has_app_context() and "kp_data_version" in g:
        return g.kp_data_version
    # Plain SQL on the session's connection (same transaction): this runs on nearly every request.
    row = db.session.connection().exec_driver_sql(_READ_VERSION).first()
    stamp = (row[0] or "", row[1] or 0) if row else ("", 0)
    if has_app_context():
        g.kp_data_version = stamp
    return stamp


def current_version() -> int:
    """The data version (0 when the row does not exist yet)."""
    return current_stamp()[1]


def cached(name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """compute() once per (name, key, epoch and data version, today) in this process."""
    full_key = (name, key, current_stamp(), clock.today())
    value = _store.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        _store.put(full_key, value)
    return value  # type: ignore[return-value]


def clear() -> None:
    """Forget every entry of every store (tests, and after a restore in this process)."""
    for store in _stores:
        store.clear()
    if has_app_context():
        g.pop("kp_data_version", None)


def bump(connection) -> None:
    """Raise the data version inside the caller's transaction (creating the row on first use)."""
    _write_version(connection, {})


def new_epoch(connection) -> str:
    """Start a new epoch (and raise the version) inside the caller's transaction, so no server keeps using
    what it cached before: after every restore, and by `flask cache reset`."""
    epoch = secrets.token_hex(16)
    _write_version(connection, {"epoch": epoch})
    return epoch


def _write_version(connection, values: dict) -> None:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    table = DataVersion.__table__
    statement = dialect.insert(table).values(id=_ROW_ID, value=1, **values)
    statement = statement.on_conflict_do_update(index_elements=[table.c.id],
                                                set_={"value": table.c.value + 1, **values})
    connection.execute(statement)
    if has_app_context():
        g.pop("kp_data_version", None)


def _touches_data(table_names) -> bool:
    return any(name not in BOOKKEEPING_TABLES for name in table_names)


def _changes_data(session, obj) -> bool:
    """Whether flushing this object changes derived data. A model may name columns no page derives from in
    ``cache_ignored_columns`` (e.g. when a calendar feed was last fetched); an update of only those does not count."""
    if not _touches_data([getattr(obj, "__tablename__", "")]):
        return False
    ignored = getattr(type(obj), "cache_ignored_columns", frozenset())
    if not ignored or obj in session.new or obj in session.deleted:
        return True
    return any(attr.history.has_changes() for attr in inspect(obj).attrs if attr.key not in ignored)


@event.listens_for(Session, "before_flush")
def _note_orm_changes(session, flush_context, instances) -> None:
    if any(_changes_data(session, obj) for obj in [*session.new, *session.dirty, *session.deleted]):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement_changes(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is None or _touches_data([table.name]):
            state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _bump_on_commit(session) -> None:
    # Flush first, so the bump is the transaction's last statement: on PostgreSQL the counter's row lock is
    # then held only while committing and never while waiting for another row, so it cannot deadlock.
    # A flag left by a rolled-back transaction is not cleared: one needless bump costs a recomputation,
    # a missed one a stale page.
    session.flush()
    if session.info.pop(_CHANGED, False):
        bump(session.connection())
