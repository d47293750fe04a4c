"""Appraisal talks (MU and LU), neuropedagogy records and the MUS concept's yearly Mini-MED items."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, and_, or_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.cycle.models import MiniMedMeeting
from app.dbtypes import UTCDateTime
from app.extensions import db

MU = "mu"
LU = "lu"
TALK_KINDS = (MU, LU)
TALK_LABELS = {MU: "MU-samtale", LU: "LU-samtale"}

#: A talk is expected this many months after the last complete one.
INTERVAL_MONTHS = 12
#: Someone who has never had a talk is expected one this many months after hiring: the guideline's yearly
#: interval, unless the home sets otherwise (Home.settings[FIRST_TALK_SETTING]).
FIRST_TALK_MONTHS = INTERVAL_MONTHS
FIRST_TALK_SETTING = "first_talk_months"
#: A talk is "due" from this many days before it is expected.
DUE_DAYS = 30


class Talk(db.Model):
    """An MU talk (employee with their department leader) or an LU talk (leader with the tilbudsleder)."""

    __tablename__ = "appraisal_talks"
    __table_args__ = (Index("ix_appraisal_talks_employee_kind_held", "employee_id", "kind", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    kind: Mapped[str] = mapped_column(String(2))
    employee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    held_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    planned_on: Mapped[date | None] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date)
    development_points: Mapped[str] = mapped_column(String(1000), default="")
    written_agreement: Mapped[str] = mapped_column(Text, default="")
    is_completed: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Ids of the employee's course wishes (competence.CourseWish) that follow from the talk; kept loosely.
    wish_ids: Mapped[list] = mapped_column(JSON, default=list)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    employee = relationship("User", foreign_keys=[employee_id])
    held_by = relationship("User", foreign_keys=[held_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return TALK_LABELS[self.kind]

    @hybrid_property
    def is_complete(self) -> bool:
        """A talk counts once held; an LU talk only when it is also closed with a written agreement."""
        if self.held_on is None:
            return False
        if self.kind == LU:
            return bool(self.is_completed and (self.written_agreement or "").strip())
        return True

    @is_complete.inplace.expression
    @classmethod
    def _is_complete_expression(cls):
        return and_(cls.held_on.is_not(None),
                    or_(cls.kind == MU, and_(cls.is_completed.is_(True), cls.written_agreement != "")))

    @property
    def is_incomplete_lu(self) -> bool:
        """An LU talk that was held but has no written agreement yet: it does not count."""
        return self.kind == LU and self.held_on is not None and not self.is_complete

    @property
    def next_due_on(self) -> date | None:
        """The next talk is expected 12 months after a complete one."""
        return clock.add_months(self.held_on, INTERVAL_MONTHS) if self.is_complete else None


NEURO_OFFERED = "offered"
NEURO_STARTED = "started"
NEURO_COMPLETED = "completed"
NEURO_LABELS = {NEURO_OFFERED: "Tilbudt", NEURO_STARTED: "Påbegyndt", NEURO_COMPLETED: "Gennemført"}


class NeuroRecord(db.Model):
    """One step of a person's neuropedagogical further education (offered, started, completed), kept as history."""

    __tablename__ = "appraisal_neuro_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    happened_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(300), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    @property
    def label(self) -> str:
        return NEURO_LABELS[self.status]


class MusConceptDocument(db.Model):
    """Which guideline is the home's current MUS concept; the newest row is current, older ones are history."""

    __tablename__ = "appraisal_mus_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    guideline_slug: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(String(300), default="")
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    set_by = relationship("User")


MUS_EVALUATION = "evaluation"
MUS_BRIEFING = "briefing"
MUS_EVENT_LABELS = {MUS_EVALUATION: "Mini-MED's evaluering af MUS-konceptet (oktober)",
                    MUS_BRIEFING: "Mini-MED orienteres om næste års MUS-koncept (december)"}
MUS_EVENT_NAMES = {MUS_EVALUATION: "appraisals.mus_concept_evaluated", MUS_BRIEFING: "appraisals.mus_concept_briefed"}


class MusConceptEvent(db.Model):
    """Mini-MED's October evaluation or December briefing on the MUS concept, once per year each."""

    __tablename__ = "appraisal_mus_events"
    __table_args__ = (UniqueConstraint("home_id", "kind", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date] = mapped_column(Date)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("mini_med_meetings.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    meeting = relationship(MiniMedMeeting)
    recorded_by = relationship("User")

    @property
    def label(self) -> str:
        return MUS_EVENT_LABELS[self.kind]
