"""The tilbudsplan's readers and its method decisions (the revision itself is TilbudsplanVersion in models.py)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.competence.models import TilbudsplanVersion
from app.dbtypes import UTCDateTime
from app.extensions import db

KEEP, PHASE_OUT, INTRODUCE = "keep", "phase_out", "introduce"
METHOD_ACTION_LABELS = {KEEP: "Fastholdes", PHASE_OUT: "Udfases", INTRODUCE: "Indføres"}


class TilbudsplanAck(db.Model):
    """A person's "Læst og forstået" for one published revision (as guideline_acknowledgements)."""

    __tablename__ = "tilbudsplan_acknowledgements"
    __table_args__ = (UniqueConstraint("version_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("tilbudsplan_versions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    version: Mapped[TilbudsplanVersion] = relationship()
    user = relationship("User")


class TilbudsplanMethodDecision(db.Model):
    """The December revision of one department's method: keep, phase out or introduce, from the plan's year on.

    `applied_on` is the day the decision changed the department's method list (1 January of the plan's year
    at the earliest); an introduced method's row is linked once it exists."""

    __tablename__ = "tilbudsplan_method_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("tilbudsplan_versions.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    method_id: Mapped[int | None] = mapped_column(ForeignKey("methods.id"))
    name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))
    decided_on: Mapped[date] = mapped_column(Date)
    applied_on: Mapped[date | None] = mapped_column(Date)

    version: Mapped[TilbudsplanVersion] = relationship()
    department = relationship("Department")
    method = relationship("Method")

    @property
    def action_label(self) -> str:
        return METHOD_ACTION_LABELS.get(self.action, self.action)

    @property
    def takes_effect_on(self) -> date:
        """A decision in the plan for year Y changes the method list from 1 January of Y."""
        return date(self.version.year, 1, 1)
