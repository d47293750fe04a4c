"""What Mini-MED's first and last meetings of a year record about the year's documents, and the departments'
autumn suggestions for next year's tilbudsplan.

Each is its own record: the written competence plan's approval and the tilbudsplan's presentation on the
year's first meeting (beside the distribution's `Decision`), the evaluation of the tilbudsplan on the year's
last meeting, and one suggestion record per department and year from its October/November staff meeting.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.competence.models import CompetencePlan, TilbudsplanVersion
from app.cycle.models import MiniMedMeeting
from app.dbtypes import UTCDateTime
from app.extensions import db


class CompetencePlanApproval(db.Model):
    """Mini-MED's approval of the written competence plan for a year, at that year's first meeting."""

    __tablename__ = "competence_plan_approvals"
    __table_args__ = (UniqueConstraint("meeting_id"), UniqueConstraint("plan_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("competence_plans.id"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("mini_med_meetings.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    plan = relationship(CompetencePlan)
    meeting = relationship(MiniMedMeeting)
    decided_by = relationship("User")


class TilbudsplanPresentation(db.Model):
    """The year's tilbudsplan presented at the year's first Mini-MED meeting (a presentation, not an approval)."""

    __tablename__ = "tilbudsplan_presentations"
    __table_args__ = (UniqueConstraint("meeting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    tilbudsplan_version_id: Mapped[int] = mapped_column(ForeignKey("tilbudsplan_versions.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("mini_med_meetings.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    tilbudsplan = relationship(TilbudsplanVersion)
    meeting = relationship(MiniMedMeeting)
    recorded_by = relationship("User")


class TilbudsplanEvaluation(db.Model):
    """At the year's last Mini-MED meeting: the evaluation of the year's tilbudsplan, and that the suggestions
    for next year's plan were presented (`suggestions_note` says what was presented)."""

    __tablename__ = "tilbudsplan_evaluations"
    __table_args__ = (UniqueConstraint("meeting_id"), UniqueConstraint("home_id", "year"))

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("mini_med_meetings.id"))
    year: Mapped[int] = mapped_column(Integer)
    evaluation: Mapped[str] = mapped_column(Text)
    suggestions_note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    meeting = relationship(MiniMedMeeting)
    recorded_by = relationship("User")


class DepartmentSuggestion(db.Model):
    """A department's staff meeting's suggestions for next year's tilbudsplan and for development work on its
    approaches and methods; `year` is the year of the meeting (the plan it feeds is for year + 1)."""

    __tablename__ = "department_suggestions"
    __table_args__ = (UniqueConstraint("department_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    year: Mapped[int] = mapped_column(Integer)
    meeting_on: Mapped[date] = mapped_column(Date)
    suggestions: Mapped[str] = mapped_column(Text, default="")
    methods_development: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    department = relationship("Department")
    recorded_by = relationship("User")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_outside_season(self) -> bool:
        """The guideline puts the staff meeting in October or November; another day is shown as such."""
        return not date(self.year, 10, 1) <= self.meeting_on <= date(self.year, 11, 30)

    @property
    def season_label(self) -> str:
        if self.meeting_on > date(self.year, 11, 30):
            return "For sent: holdt efter november"
        if self.meeting_on < date(self.year, 10, 1):
            return "Holdt før oktober"
        return ""
