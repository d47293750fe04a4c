"""Competence development: course wishes, October overviews, the fund distribution and its Mini-MED
decisions, supervision, completed courses with implementation agreements, the written plan and needs.

Money is Numeric(12, 2) kroner, never float. A "funds year" is the year the money is spent in; wishes
for it are due by the home's deadline (default 1 October) in the year before.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, attributes, mapped_column, relationship

from app import clock
from app.cycle.models import MiniMedMeeting
from app.dbtypes import UTCDateTime
from app.extensions import db

Money = Numeric(12, 2)

wish_methods = Table(
    "course_wish_methods",
    db.metadata,
    Column("wish_id", ForeignKey("course_wishes.id", ondelete="CASCADE"), primary_key=True),
    Column("method_id", ForeignKey("methods.id"), primary_key=True),
)


class WishKind:
    COURSE = "course"
    EDUCATION = "education"
    METHOD_TRAINING = "method_training"


WISH_KIND_LABELS = {
    WishKind.COURSE: "Kursus",
    WishKind.EDUCATION: "Uddannelse",
    WishKind.METHOD_TRAINING: "Metodetræning",
}

OUTCOME_LABELS = {
    "approved": "Godkendt",
    "approved_in_part": "Delvist godkendt",
    "rejected": "Afvist",
    "postponed": "Udsat",
}


def wish_deadline(home, funds_year: int) -> date:
    """The last day to submit wishes for a funds year: the home's deadline day in the year before."""
    return date(funds_year - 1, int(home.setting("wish_deadline_month")), int(home.setting("wish_deadline_day")))


class CourseWish(db.Model):
    """A wish for next year's competence funds: an employee's own, or the department's (user_id empty)."""

    __tablename__ = "course_wishes"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(20), default=WishKind.COURSE)
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200), default="")
    cost: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    days: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    hours: Mapped[Decimal | None] = mapped_column(Numeric(7, 1))
    responsibility_areas: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    priority: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_reason: Mapped[str] = mapped_column(Text, default="")
    outcome_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    user = relationship("User", foreign_keys=[user_id])
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    department = relationship("Department")
    home = relationship("Home")
    methods = relationship("Method", secondary=wish_methods, order_by="Method.name_sort_key")

    __mapper_args__ = {"version_id_col": version}

    @property
    def deadline(self) -> date:
        return wish_deadline(self.home, self.year)

    @property
    def is_late(self) -> bool:
        """A wish submitted after the deadline day's end (Europe/Copenhagen) is late."""
        return clock.is_after_deadline(self.submitted_at, self.deadline)

    @property
    def is_department_wish(self) -> bool:
        return self.user_id is None

    @property
    def is_withdrawn(self) -> bool:
        return self.status == "withdrawn"

    @property
    def kind_label(self) -> str:
        return WISH_KIND_LABELS.get(self.kind, self.kind)

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome or "", "Afventer beslutning")


class DepartmentOverview(db.Model):
    """A department's October overview of wishes for a funds year; forwarding locks it."""

    __tablename__ = "department_overviews"
    __table_args__ = (UniqueConstraint("department_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    recommendation: Mapped[str] = mapped_column(Text, default="")
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    forwarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    department = relationship("Department")
    forwarded_by = relationship("User", foreign_keys=[forwarded_by_id])
    reopened_by = relationship("User", foreign_keys=[reopened_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_locked(self) -> bool:
        """A forwarded overview is locked until the tilbudsleder reopens it."""
        return self.forwarded_at is not None

    @property
    def duty_year(self) -> int:
        """The overview of wishes for funds year Y answers the October duty of year Y-1."""
        return self.year - 1


LINE_CATEGORIES = {
    "wish": "Ønsker fra medarbejdere",
    "department": "Afdelingens initiativer",
    "common": "Fælles kurser for hele tilbuddet",
    "supervision": "Ekstern supervision",
}


class Distribution(db.Model):
    """One revision of the distribution of a home's competence funds for a year ("Fordeling af midler")."""

    __tablename__ = "distributions"
    __table_args__ = (UniqueConstraint("home_id", "year", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    budget: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    lines: Mapped[list[DistributionLine]] = relationship(
        back_populates="distribution", cascade="all, delete-orphan",
        order_by="(DistributionLine.category, DistributionLine.id)")
    decisions: Mapped[list[Decision]] = relationship(back_populates="distribution", order_by="Decision.id")
    created_by = relationship("User")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_locked(self) -> bool:
        """An approved revision is locked; changes go into a new revision."""
        return self.status == "approved"

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0"))

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.total

    @property
    def is_over_budget(self) -> bool:
        """Planned spending above the budget cannot be approved."""
        return self.total > self.budget

    def totals_by_category(self) -> dict[str, Decimal]:
        totals = {key: Decimal("0") for key in LINE_CATEGORIES}
        for line in self.lines:
            totals[line.category] = totals.get(line.category, Decimal("0")) + line.amount
        return totals

    def totals_by_department(self) -> dict[int | None, Decimal]:
        totals: dict[int | None, Decimal] = {}
        for line in self.lines:
            totals[line.department_id] = totals.get(line.department_id, Decimal("0")) + line.amount
        return totals


class DistributionLine(db.Model):
    """A line of a distribution: a wish's outcome, a department initiative, a common course or supervision."""

    __tablename__ = "distribution_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    distribution_id: Mapped[int] = mapped_column(ForeignKey("distributions.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    wish_id: Mapped[int | None] = mapped_column(ForeignKey("course_wishes.id"))
    title: Mapped[str] = mapped_column(String(200))
    supervisor: Mapped[str] = mapped_column(String(200), default="")
    sessions: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(7, 1))
    amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    wish_outcome: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    distribution: Mapped[Distribution] = relationship(back_populates="lines")
    department = relationship("Department")
    wish = relationship("CourseWish")

    @property
    def category_label(self) -> str:
        return LINE_CATEGORIES.get(self.category, self.category)

    @property
    def wish_outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.wish_outcome or "", "")


DECISION_LABELS = {
    "approved": "Godkendt",
    "approved_with_changes": "Godkendt med ændringer",
    "postponed": "Udsat",
}


class Decision(db.Model):
    """Mini-MED's decision on a distribution revision, recorded with the meeting it was taken at."""

    __tablename__ = "competence_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    distribution_id: Mapped[int] = mapped_column(ForeignKey("distributions.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("mini_med_meetings.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    distribution: Mapped[Distribution] = relationship(back_populates="decisions")
    meeting = relationship(MiniMedMeeting)
    decided_by = relationship("User")

    @property
    def outcome_label(self) -> str:
        return DECISION_LABELS.get(self.outcome, self.outcome)


class SupervisionSession(db.Model):
    """External supervision a department has used (held sessions), against the distribution's plan."""

    __tablename__ = "supervision_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    sessions: Mapped[int] = mapped_column(Integer, default=1)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(7, 1))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    department = relationship("Department")


class CourseCompletion(db.Model):
    """A course an employee has completed; it needs an implementation agreement."""

    __tablename__ = "course_completions"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    wish_id: Mapped[int | None] = mapped_column(ForeignKey("course_wishes.id"))
    title: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[date] = mapped_column(Date)
    is_neuropedagogy: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user = relationship("User", foreign_keys=[user_id])
    wish = relationship("CourseWish")
    agreement: Mapped[ImplementationAgreement | None] = relationship(back_populates="completion", uselist=False)

    @property
    def needs_agreement(self) -> bool:
        """A course taken without an implementation agreement is flagged."""
        return self.agreement is None


class ImplementationAgreement(db.Model):
    """How the knowledge from a course is implemented and kept alive in the department."""

    __tablename__ = "implementation_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    completion_id: Mapped[int] = mapped_column(ForeignKey("course_completions.id"), unique=True)
    description: Mapped[str] = mapped_column(Text)
    resource_topic: Mapped[str] = mapped_column(String(160))
    agreed_on: Mapped[date] = mapped_column(Date)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    completion: Mapped[CourseCompletion] = relationship(back_populates="agreement")
    leader = relationship("User")


class CompetenceNeed(db.Model):
    """A competence gap recorded for a department, or a need raised when a child is admitted."""

    __tablename__ = "competence_needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    source: Mapped[str] = mapped_column(String(20), default="gap")
    description: Mapped[str] = mapped_column(Text)
    raised_on: Mapped[date] = mapped_column(Date)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_note: Mapped[str] = mapped_column(Text, default="")

    department = relationship("Department")
    raised_by = relationship("User")

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


PLAN_SECTIONS = {
    "future_tasks": "Sådan ser fremtidens opgaver ud (tilgange, metoder og målgruppe)",
    "competences_present": "Er kompetencerne til stede i afdelingerne, eller skal de opbygges?",
    "priority_target_group": "Prioriterede indsatser: målgruppe",
    "priority_methods": "Prioriterede indsatser: tilgange og metoder",
    "priority_documentation": "Prioriterede indsatser: dokumentation",
    "priority_work_environment": "Prioriterede indsatser: arbejdsmiljø",
    "priority_conflict_handling": "Prioriterede indsatser: konflikthåndtering",
}


class CompetencePlan(db.Model):
    """The written competence development plan for a year, written by the leader group in December."""

    __tablename__ = "competence_plans"
    __table_args__ = (UniqueConstraint("home_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    future_tasks: Mapped[str] = mapped_column(Text, default="")
    competences_present: Mapped[str] = mapped_column(Text, default="")
    priority_target_group: Mapped[str] = mapped_column(Text, default="")
    priority_methods: Mapped[str] = mapped_column(Text, default="")
    priority_documentation: Mapped[str] = mapped_column(Text, default="")
    priority_work_environment: Mapped[str] = mapped_column(Text, default="")
    priority_conflict_handling: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    finished_by = relationship("User")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def is_empty(self) -> bool:
        """A plan with no text in any of its sections is empty and cannot be finished."""
        return not any((getattr(self, key) or "").strip() for key in PLAN_SECTIONS)

    @property
    def duty_year(self) -> int:
        """The plan for year Y is the one the leader group finishes in December of year Y-1."""
        return self.year - 1


TILBUDSPLAN_STATUS_LABELS = {
    "draft": "Kladde",
    "finished": "Færdiggjort",
    "approved": "Fremlagt i Mini-MED",
    "published": "Offentliggjort",
    "superseded": "Erstattet",
}


class TilbudsplanVersion(db.Model):
    """One revision of a home's tilbudsplan for a year (what the home offers: courses, development, methods).

    The text is free Markdown; like a guideline version it is rendered and sanitised once, when written.
    Revisions are numbered per home and year; an approved or published revision is locked, and changes go
    into a new draft revision, so the history stays readable.
    """

    __tablename__ = "tilbudsplan_versions"
    __table_args__ = (UniqueConstraint("home_id", "year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str | None] = mapped_column(Text)
    change_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The Mini-MED meeting it was presented at (the year's first); set by tilbudsplan.mark_presented.
    presented_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("mini_med_meetings.id"))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by = relationship("User", foreign_keys=[created_by_id])
    finished_by = relationship("User", foreign_keys=[finished_by_id])
    published_by = relationship("User", foreign_keys=[published_by_id])
    presented_meeting = relationship(MiniMedMeeting)

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def is_locked(self) -> bool:
        """Only a draft can be edited; an approved, published or superseded text never changes."""
        return self.status != "draft"

    @property
    def status_label(self) -> str:
        return TILBUDSPLAN_STATUS_LABELS.get(self.status, self.status)

    @property
    def is_empty(self) -> bool:
        """A plan with no text cannot be finished."""
        return not (self.body or "").strip()

    @property
    def duty_year(self) -> int:
        """The tilbudsplan for year Y is the one the leader group writes in December of year Y-1."""
        return self.year - 1

    @property
    def html(self):
        from markupsafe import Markup

        return Markup(self.body_html or "")  # noqa: S704  # nosec B704  # sanitised by nh3 when written


@event.listens_for(TilbudsplanVersion, "before_insert")
@event.listens_for(TilbudsplanVersion, "before_update")
def _render_tilbudsplan(mapper, connection, version: TilbudsplanVersion) -> None:
    """Render the Markdown with the guidelines' sanitising renderer when the text is written."""
    if version.body_html is None or attributes.get_history(version, "body").has_changes():
        from app.guidelines.rendering import render_markdown

        version.body_html = str(render_markdown(version.body or ""))
