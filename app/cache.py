"""A per-process cache of derived data that is never stale: every entry is tied to the data versions of what
it derives from. What may be cached, and the rules, are in docs/DEVELOPING.md ("Cache rules"); today that is
the home's tasks (hooks.tasks_for_home).

- `data_version` is one row: `value` goes up with every write (in the same transaction, hooked on the session's
  ``before_commit``, so a rolled-back transaction never bumps it), `shared` only with a write that belongs to no
  one home (a region, a regional guideline, a bulk statement, raw SQL), and a random `epoch` that every restore
  changes (`new_epoch`, also `flask cache reset`): a restore puts the numbers back, and later writes would count
  up through numbers a running server has already cached other data under.
- `home_data_versions` holds one counter per (home, area): the home a written row belongs to (its `home_id`, or
  that of the row it points to, e.g. a child's move -> the child -> its home) and the feature the row's model
  lives in (`competence`, `people`, ...). A wish in home 3 bumps (3, "competence") and nothing else of it.
- `cached(name, key, compute, home=...)` keeps ``compute()``'s result per (name, key) with the stamp it was
  computed under: (epoch, shared, the home's counters, today) for a home's data, (epoch, value, today) without
  a home. A newer stamp replaces the entry, so a store holds only values someone can still hit.

Writes to bookkeeping tables that no derived page reads (login sessions and attempts, audit entries, the
log of who read a child's record, reminder logs) do not bump anything. Cached values must be plain
data (dataclasses, tuples, numbers), never ORM objects, which belong to one request's session.
"""

from __future__ import annotations

import secrets
import sys
import threading
from collections.abc import Callable, Hashable
from dataclasses import fields, is_dataclass
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
    "home_data_versions",
})

#: The counters themselves: not records (a backup leaves them out).
COUNTER_TABLES = frozenset({"data_version", "home_data_versions"})

#: Bytes (estimated, see `estimate_size`) of derived data kept per process; the least recently used goes first.
MAX_BYTES = 16 * 2**20

#: A flush that writes more rows than this is not worth attributing row by row (demo data, imports): it counts
#: as a write to every home.
MAX_ATTRIBUTED_ROWS = 500

_ROW_ID = 1
_READ_VERSION = "SELECT epoch, value, shared FROM data_version WHERE id = 1"  # id = _ROW_ID
_CHANGED = "kp_data_changed"
_SHARED = "kp_shared_changed"
_HOMES = "kp_homes_changed"


class DataVersion(db.Model):
    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
    shared: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    epoch: Mapped[str | None] = mapped_column(String(32))


class HomeDataVersion(db.Model):
    """How often the records of one home in one area (a feature) have changed."""

    __tablename__ = "home_data_versions"

    home_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    area: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


_MISSING = object()
_SAMPLE = 8
_stores: list[Store] = []


def estimate_size(value, _seen: set[int] | None = None) -> int:
    """Roughly how many bytes a plain value holds (containers, dataclasses and named tuples followed)."""
    seen = set() if _seen is None else _seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    size = sys.getsizeof(value)
    if isinstance(value, (str, bytes, int, float, bool)) or value is None:
        return size
    # A long container is judged by a sample of its items: the estimate runs on every miss, so it must stay cheap.
    if isinstance(value, dict):
        items = list(value.items())
        sample = items[:_SAMPLE]
        part = sum(estimate_size(k, seen) + estimate_size(v, seen) for k, v in sample)
        return size + (part * len(items) // len(sample) if sample else 0)
    if isinstance(value, (list, tuple, set, frozenset)):
        sample = list(value)[:_SAMPLE] if isinstance(value, (set, frozenset)) else value[:_SAMPLE]
        part = sum(estimate_size(item, seen) for item in sample)
        return size + (part * len(value) // len(sample) if sample else 0)
    if is_dataclass(value):
        return size + sum(estimate_size(getattr(value, f.name, None), seen) for f in fields(value))
    if hasattr(value, "__dict__"):
        return size + estimate_size(vars(value), seen)
    return size


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
            try:
                self._entries[key] = value
            except ValueError:  # heavier than the limit alone
                self._entries.pop(key, None)

    @property
    def weight(self) -> int:
        return int(self._entries.currsize)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


#: (name, key) -> (stamp, value, size): one entry per key, replaced when its stamp moves on.
_store = Store(MAX_BYTES, weigh=lambda entry: entry[2])


def current_stamp() -> tuple[str, int, int]:
    """(epoch, version, shared version), read once per request (("", 0, 0) when the row does not exist yet)."""
    if has_app_context() and "kp_data_version" in g:
        return g.kp_data_version
    # Plain SQL on the session's connection (same transaction): this runs on nearly every request.
    row = db.session.connection().exec_driver_sql(_READ_VERSION).first()
    stamp = (row[0] or "", row[1] or 0, row[2] or 0) if row else ("", 0, 0)
    if has_app_context():
        g.kp_data_version = stamp
    return stamp


def current_version() -> int:
    """The data version, which every write raises (0 when the row does not exist yet)."""
    return current_stamp()[1]


def home_versions(home_id: int) -> tuple[tuple[str, int], ...]:
    """The home's (area, counter) pairs, read once per request and home."""
    known = g.setdefault("kp_home_versions", {}) if has_app_context() else {}
    if home_id not in known:
        rows = db.session.execute(HomeDataVersion.__table__.select()
                                  .with_only_columns(HomeDataVersion.area, HomeDataVersion.value)
                                  .where(HomeDataVersion.home_id == home_id).order_by(HomeDataVersion.area))
        known[home_id] = tuple((area, value) for area, value in rows)
    return known[home_id]


def home_stamp(home_id: int) -> tuple:
    """What a home's derived data depends on: the epoch, the shared version and the home's own counters."""
    epoch, _version, shared = current_stamp()
    return epoch, shared, home_id, home_versions(home_id)


def _home_id(home) -> int | None:
    return home if isinstance(home, int) or home is None else home.id


def cached(name: str, key: Hashable, compute: Callable[[], T], home=None) -> T:
    """compute() once per (name, key) and stamp, in this process. With `home` (a Home or its id), only writes
    to that home's records (or to nobody's, see the module docstring) make it compute again; without, any write."""
    home_id = _home_id(home)
    if home_id is None:
        epoch, version, _shared = current_stamp()
        stamp = (epoch, version, clock.today())
    else:
        stamp = (*home_stamp(home_id), clock.today())
    full_key = (name, key)
    entry = _store.get(full_key, _MISSING)
    if entry is not _MISSING and entry[0] == stamp:
        return entry[1]  # type: ignore[return-value]
    value = compute()
    _store.put(full_key, (stamp, value, estimate_size(value) + estimate_size(full_key)))
    return value


def clear() -> None:
    """Forget every entry of every store (tests, and after a restore in this process)."""
    for store in _stores:
        store.clear()
    if has_app_context():
        _forget_read_versions()


def _forget_read_versions() -> None:
    g.pop("kp_data_version", None)
    g.pop("kp_home_versions", None)


def bump(connection, home_areas=(), shared: bool = True) -> None:
    """Raise the data version inside the caller's transaction (creating the rows on first use): the given
    (home id, area) counters, and the shared one unless the write is known to belong to those homes alone.
    A write outside the ORM session calls it with no arguments: it counts for every home."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    table = HomeDataVersion.__table__
    # Always the same order (homes, then the one row): concurrent transactions cannot deadlock on PostgreSQL.
    for home_id, area in sorted(home_areas):
        statement = dialect.insert(table).values(home_id=home_id, area=area, value=1)
        connection.execute(statement.on_conflict_do_update(index_elements=[table.c.home_id, table.c.area],
                                                           set_={"value": table.c.value + 1}))
    _write_version(connection, {}, shared)


def new_epoch(connection) -> str:
    """Start a new epoch (and raise the version) inside the caller's transaction, so no server keeps using
    what it cached before: after every restore, and by `flask cache reset`."""
    epoch = secrets.token_hex(16)
    _write_version(connection, {"epoch": epoch}, shared=True)
    return epoch


def _write_version(connection, values: dict, shared: bool) -> None:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    table = DataVersion.__table__
    statement = dialect.insert(table).values(id=_ROW_ID, value=1, shared=int(shared), **values)
    moves = {"value": table.c.value + 1, **values}
    if shared:
        moves["shared"] = table.c.shared + 1
    connection.execute(statement.on_conflict_do_update(index_elements=[table.c.id], set_=moves))
    if has_app_context():
        _forget_read_versions()


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


def area_of(obj) -> str:
    """The feature a model belongs to: app.competence.models.CourseWish -> "competence"."""
    parts = type(obj).__module__.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "app" else parts[-1]


def _column_values(state, mapper, column) -> set:
    """The column's value now and, for a changed row, before (a row moved between homes changes both)."""
    prop = mapper.get_property_by_column(column)
    history = state.attrs[prop.key].history
    return {*history.added, *history.unchanged, *history.deleted}


def _homes_of(session, obj, memo: dict, depth: int = 0) -> frozenset[int] | None:
    """The homes a row belongs to, or None when it belongs to no single home (a region's, a regional
    guideline's) or cannot be told: its own `home_id`, else the homes of the rows its foreign keys point to."""
    state = inspect(obj)
    mapper = state.mapper
    table = mapper.local_table
    if table.name == "homes":
        return frozenset({obj.id})
    if "home_id" in table.c:
        values = _column_values(state, mapper, table.c.home_id)
        return None if not values or None in values else frozenset(values)
    if depth >= 3:
        return None
    homes: set[int] = set()
    for constraint in table.foreign_key_constraints:
        if len(constraint.columns) != 1:
            return None
        column = next(iter(constraint.columns))
        target = _mapper_for(constraint.referred_table)
        if target is None:
            return None
        for value in _column_values(state, mapper, column) - {None}:
            if (target.class_, value) not in memo:
                parent = session.get(target.class_, value)
                memo[(target.class_, value)] = None if parent is None else _homes_of(session, parent, memo, depth + 1)
            found = memo[(target.class_, value)]
            if found is None:
                return None
            homes |= found
    return frozenset(homes) or None


def _mapper_for(table):
    return next((m for m in db.Model.registry.mappers if m.local_table is table), None)


_REQUEST_MEMO = "kp_request_memo"


def per_request(name: str, key, compute):
    """`compute()` once per application context (a request, a CLI run) for (name, key), for derived data two
    parts of one page ask for (the indicators and the tasks both need the talk statuses). Forgotten at the
    next flush, so a write in the same request is always seen; outside an app context it is just computed."""
    if not has_app_context():
        return compute()
    memo = g.setdefault(_REQUEST_MEMO, {})
    if (name, key) not in memo:
        memo[(name, key)] = compute()
    return memo[(name, key)]


@event.listens_for(Session, "after_flush")
def _forget_request_memo(session, flush_context) -> None:
    if has_app_context():
        g.pop(_REQUEST_MEMO, None)


@event.listens_for(Session, "after_flush")
def _note_orm_changes(session, flush_context) -> None:
    # After the flush, so new rows have their keys and foreign keys; the session's lists still hold what was flushed.
    changed = [obj for obj in [*session.new, *session.dirty, *session.deleted] if _changes_data(session, obj)]
    if not changed:
        return
    session.info[_CHANGED] = True
    if len(changed) > MAX_ATTRIBUTED_ROWS:
        session.info[_SHARED] = True
        return
    memo: dict = {}
    noted = session.info.setdefault(_HOMES, set())
    for obj in changed:
        homes = _homes_of(session, obj, memo)
        if homes is None:
            session.info[_SHARED] = True
        else:
            noted.update((home_id, area_of(obj)) for home_id in homes)


@event.listens_for(Session, "do_orm_execute")
def _note_statement_changes(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is None or _touches_data([table.name]):
            state.session.info[_CHANGED] = True
            state.session.info[_SHARED] = True


@event.listens_for(Session, "before_commit")
def _bump_on_commit(session) -> None:
    # Flush first, so the bumps are the transaction's last statements: on PostgreSQL the counters' row locks are
    # then held only while committing and never while waiting for another row, so they cannot deadlock.
    # Flags left by a rolled-back transaction are not cleared: one needless bump costs a recomputation,
    # a missed one a stale page.
    session.flush()
    if session.info.pop(_CHANGED, False):
        bump(session.connection(), session.info.pop(_HOMES, ()), shared=session.info.pop(_SHARED, False))
