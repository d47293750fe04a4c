"""Children: the minimum the checks need, and nothing more (no CPR numbers, diagnoses or case notes).

The case system (Nexus, Sensum, Bosted…) holds the case itself; here a child is a display name or
initials, an internal reference, a department, a placement basis and the dates of admission and leaving,
plus the dates that show the contact team and the plans are kept current. Every read is logged.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.database import danish_sort_key_column
from app.dbtypes import UTCDateTime
from app.extensions import db

PLACEMENT_LABELS = {"66": "Servicelovens § 66", "107": "Servicelovens § 107"}
GOAL_STATUS_LABELS = {"active": "I gang", "achieved": "Nået", "paused": "Sat på pause"}


class Child(db.Model):
    """A child or young person placed in one of the home's departments. Leaving is recorded, never deleted."""

    __tablename__ = "children"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(60))
    display_name_sort_key: Mapped[bytes | None] = danish_sort_key_column("display_name")
    reference: Mapped[str] = mapped_column(String(40), default="")
    placement_basis: Mapped[str] = mapped_column(String(10))
    admitted_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    department = relationship("Department")

    __mapper_args__ = {"version_id_col": version}

    def has_left(self, on: date | None = None) -> bool:
        """A child has left from the leaving date on (and drops out of every check that day)."""
        on = on or clock.today()
        return self.left_on is not None and self.left_on <= on

    def is_placed(self, on: date | None = None) -> bool:
        """Placed in the home on a day: admitted on or before it and not yet left."""
        on = on or clock.today()
        return self.admitted_on <= on and not self.has_left(on)

    @property
    def placement_label(self) -> str:
        return PLACEMENT_LABELS.get(self.placement_basis, self.placement_basis)


class ChildMove(db.Model):
    """A move between two departments of the same home."""

    __tablename__ = "child_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    from_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    to_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    moved_on: Mapped[date] = mapped_column(Date)
    moved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    from_department = relationship("Department", foreign_keys=[from_department_id])
    to_department = relationship("Department", foreign_keys=[to_department_id])
    moved_by = relationship("User")


class ContactTeamMember(db.Model):
    """A person's place on a child's contact team, from one day until (not including) another: history is kept."""

    __tablename__ = "contact_team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    is_coordinator: Mapped[bool] = mapped_column(Boolean, default=False)
    from_on: Mapped[date] = mapped_column(Date)
    to_on: Mapped[date | None] = mapped_column(Date)

    user = relationship("User")

    def is_current(self, on: date) -> bool:
        """On the team from from_on up to the day before to_on."""
        return self.from_on <= on and (self.to_on is None or on < self.to_on)


class IndividualPlanUpdate(db.Model):
    """The individual plan was updated on a day (the plan itself lives in the case system)."""

    __tablename__ = "individual_plan_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    updated_on: Mapped[date] = mapped_column(Date)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    updated_by = relationship("User")
    goals: Mapped[list[PlanGoal]] = relationship(order_by="PlanGoal.position", cascade="all, delete-orphan")


class PlanGoal(db.Model):
    """A goal or sub-goal of a plan update, as a short title with a status: no case detail."""

    __tablename__ = "plan_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_update_id: Mapped[int] = mapped_column(ForeignKey("individual_plan_updates.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(120))
    is_sub_goal: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="active")

    @property
    def status_label(self) -> str:
        return GOAL_STATUS_LABELS.get(self.status, self.status)


class HandoverRead(db.Model):
    """Someone (typically a temp) confirmed having read the handover of a plan update."""

    __tablename__ = "handover_reads"
    __table_args__ = (UniqueConstraint("plan_update_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_update_id: Mapped[int] = mapped_column(ForeignKey("individual_plan_updates.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class PhysioReferral(db.Model):
    """A child referred (visiteret) to physiotherapy, until the referral ends."""

    __tablename__ = "physio_referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    referred_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    plan_updates: Mapped[list[PhysioPlanUpdate]] = relationship(
        back_populates="referral", order_by="PhysioPlanUpdate.updated_on")

    def is_active(self, on: date) -> bool:
        """Active from the referral day up to the day before it ended."""
        return self.referred_on <= on and (self.ended_on is None or on < self.ended_on)


class PhysioPlanUpdate(db.Model):
    """The physiotherapy treatment plan was made or updated on a day, with its next follow-up."""

    __tablename__ = "physio_plan_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("physio_referrals.id"), index=True)
    updated_on: Mapped[date] = mapped_column(Date)
    next_follow_up_on: Mapped[date] = mapped_column(Date)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    referral: Mapped[PhysioReferral] = relationship(back_populates="plan_updates")
    updated_by = relationship("User")


class ChildAccessLog(db.Model):
    """Who looked at which child's page, when (UTC) and which view. Append-only: no route changes it."""

    __tablename__ = "child_access_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    view: Mapped[str] = mapped_column(String(30))

    user = relationship("User")
    child = relationship("Child")
