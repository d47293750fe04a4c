"""Quality monitoring's own records: monthly snapshots of every indicator, and API tokens for BI tools."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import db


class QualitySnapshot(db.Model):
    """One indicator's count for one home (scope 0) or one department (scope = its id) in one month.

    The unique constraint makes `flask quality snapshot` idempotent, also when two runs race.
    """

    __tablename__ = "quality_snapshots"
    __table_args__ = (UniqueConstraint("home_id", "indicator_key", "scope", "month_on",
                                       name="uq_quality_snapshots_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    indicator_key: Mapped[str] = mapped_column(String(80))
    #: 0 for the whole home, otherwise the department's id (kept as a plain integer so 0 can stand for "all").
    scope: Mapped[int] = mapped_column(Integer, default=0)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    #: The first day of the month the snapshot stands for.
    month_on: Mapped[date] = mapped_column(Date)
    measured_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200), default="")
    met: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    @property
    def share(self) -> float | None:
        """Share met, 0-100, or None when nothing was counted."""
        return None if self.total == 0 else round(100 * self.met / self.total, 1)


class QualityApiToken(db.Model):
    """A read-only key to a home's indicators for the region's BI tools. Only a hash of the key is stored."""

    __tablename__ = "quality_api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the key, so people can tell their keys apart without it being stored.
    hint: Mapped[str] = mapped_column(String(12))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: The first use on the day a key was last used: bookkeeping, written at most once a day.
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    #: No page derives anything from when a key was last used: noting it does not change the data version.
    cache_ignored_columns = frozenset({"last_used_at"})

    def note_use(self) -> bool:
        """Note that the key is used today (Europe/Copenhagen); False when today's use is already noted, so a
        BI tool polling every minute writes once a day."""
        if self.last_used_at is not None and clock.to_local(self.last_used_at).date() == clock.today():
            return False
        self.last_used_at = clock.now()
        return True

    @property
    def is_active(self) -> bool:
        """A key works until it is revoked."""
        return self.revoked_at is None


class IndicatorTheme(db.Model):
    """A home's own placement of one quality indicator in Socialtilsynet's quality model (theme and criterion),
    replacing the shipped default in app/quality/themes.py. Edited, never deleted: the last change is kept."""

    __tablename__ = "quality_indicator_themes"
    __table_args__ = (UniqueConstraint("home_id", "indicator_key", name="uq_quality_indicator_themes_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    indicator_key: Mapped[str] = mapped_column(String(80))
    theme: Mapped[int] = mapped_column(Integer)
    criterion: Mapped[str] = mapped_column(String(8))
    note: Mapped[str] = mapped_column(String(300), default="")
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
