"""Onboarding: checklist templates, the checklists assigned to people (copies), and temp meetings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.database import danish_sort_key_column
from app.dbtypes import UTCDateTime
from app.extensions import db
from app.onboarding.constants import BY_LEADER, BY_SELF


class ChecklistTemplate(db.Model):
    """A home's (or one department's) checklist for one kind of person: new hire, on-call temp or agency temp.

    Templates are never rewritten into checklists already assigned: assignment copies the items.
    """

    __tablename__ = "onboarding_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(160))
    name_sort_key: Mapped[bytes | None] = danish_sort_key_column("name")
    is_retired: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    department = relationship("Department")
    changed_by = relationship("User")
    items: Mapped[list[TemplateItem]] = relationship(
        back_populates="template", order_by="TemplateItem.position", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class TemplateItem(db.Model):
    __tablename__ = "onboarding_template_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("onboarding_templates.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300))
    completed_by: Mapped[str] = mapped_column(String(10), default=BY_SELF)
    needs_date: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_note: Mapped[bool] = mapped_column(Boolean, default=False)
    is_required: Mapped[bool] = mapped_column(Boolean, default=True)
    guideline_slug: Mapped[str | None] = mapped_column(String(120))
    #: Bilag A.4: a confirmation asked only of temps from an agency other than the home's framework agency.
    only_other_agency: Mapped[bool] = mapped_column(Boolean, default=False)

    template: Mapped[ChecklistTemplate] = relationship(back_populates="items")


class Checklist(db.Model):
    """One person's onboarding checklist, copied from a template revision when it was assigned. Never deleted."""

    __tablename__ = "onboarding_checklists"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("onboarding_templates.id"), index=True)
    template_revision: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(160))
    assigned_on: Mapped[date] = mapped_column(Date)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user = relationship("User", foreign_keys=[user_id])
    assigned_by = relationship("User", foreign_keys=[assigned_by_id])
    template = relationship("ChecklistTemplate")
    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="checklist", order_by="ChecklistItem.position", cascade="all, delete-orphan"
    )

    @property
    def required_items(self) -> list[ChecklistItem]:
        return [i for i in self.items if i.is_required]

    @property
    def done_count(self) -> int:
        return sum(1 for i in self.items if i.is_done)

    @property
    def is_complete(self) -> bool:
        """Complete when every required item is done (optional ones may stay open)."""
        return all(i.is_done for i in self.required_items)

    @property
    def last_activity_on(self) -> date:
        """The last day something happened on the checklist: its assignment or the latest tick."""
        days = [i.completed_on for i in self.items if i.completed_on is not None]
        return max([self.assigned_on, *days])


class ChecklistItem(db.Model):
    """An item copied into a person's checklist; completing it records who, when, and the date/note asked for."""

    __tablename__ = "onboarding_checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("onboarding_checklists.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300))
    completed_by: Mapped[str] = mapped_column(String(10), default=BY_SELF)
    needs_date: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_note: Mapped[bool] = mapped_column(Boolean, default=False)
    is_required: Mapped[bool] = mapped_column(Boolean, default=True)
    guideline_slug: Mapped[str | None] = mapped_column(String(120))
    done_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    completed_on: Mapped[date | None] = mapped_column(Date)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    checklist: Mapped[Checklist] = relationship(back_populates="items")
    completer = relationship("User")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None

    @property
    def is_leader_item(self) -> bool:
        """Signed off by a leader rather than ticked by the person themself."""
        return self.completed_by == BY_LEADER


class TempMeetingAttendance(db.Model):
    __tablename__ = "temp_meeting_attendances"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("temp_meetings.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)


class TempMeeting(db.Model):
    """A vikarmøde, held twice a year, for the whole home or one department, with the temps who attended."""

    __tablename__ = "temp_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    department = relationship("Department")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    attendees = relationship("User", secondary="temp_meeting_attendances", order_by="User.name_sort_key", viewonly=True)


class TempRestriction(db.Model):
    """A task temps may not do alone in this home, and how it is solved instead (Bilag A.3).

    Never deleted: a leader deactivates it, so the list a temp was shown stays in the history."""

    __tablename__ = "temp_restrictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    task: Mapped[str] = mapped_column(String(300))
    instead: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deactivated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
