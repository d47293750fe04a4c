"""The annual cycle's own records: Mini-MED meetings (and, added by the cycle feature, task completions)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import db


class MiniMedAttendance(db.Model):
    __tablename__ = "mini_med_attendances"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("mini_med_meetings.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class MiniMedMeeting(db.Model):
    """A meeting of the joint staff-management committee. The year's first and last ones carry duties."""

    __tablename__ = "mini_med_meetings"
    __table_args__ = (UniqueConstraint("home_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(160), default="Mini-MED-møde")
    minutes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    attendees = relationship("User", secondary="mini_med_attendances", order_by="User.name")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_held(self) -> bool:
        """A meeting counts as held from its day on."""
        return self.held_on <= clock.today()
