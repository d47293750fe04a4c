"""The guideline library: guidelines, their versions, reviews without changes and read-acknowledgements.

A local guideline belongs to one home (home_id set); a regional one belongs to the region (home_id NULL)
and applies to every home in it. `scope_key` ("home:<id>" or "region:<id>") makes the slug unique per
scope on every engine (a NULL home_id would not take part in a unique constraint).
"""

from __future__ import annotations

from datetime import date, datetime

from markupsafe import Markup
from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, and_, event
from sqlalchemy.orm import Mapped, attributes, mapped_column, relationship

from app import clock
from app.dbtypes import UTCDateTime
from app.extensions import db

DRAFT, PUBLISHED, SUPERSEDED = "draft", "published", "superseded"
LEVELS = ("local", "regional")

#: The front matter fields in the order they are written back on export.
FRONT_MATTER_FIELDS = ("title", "document_type", "level", "standard", "scope", "target_group",
                       "revision_responsible", "approved_by", "effective_from", "review", "related", "cycle")


def scope_key(home_id: int | None, region_id: int) -> str:
    return f"home:{home_id}" if home_id is not None else f"region:{region_id}"


def next_review_after(base: date, review: dict) -> date:
    """The review date a guideline reviewed (or taking effect) on `base` gets from its `review` rule.

    {every_months: N}: N months after base. {month: M}: the end of month M in base's year when base
    lies before that month, otherwise in the following year (a review made in December moves the next
    one to the next December).
    """
    if "every_months" in review:
        return clock.add_months(base, int(review["every_months"]))
    month = int(review["month"])
    year = base.year if base.month < month else base.year + 1
    return clock.last_day_of_month(year, month)


class ReviewSchedule:
    """The review rules of a guideline, read from its `last_reviewed_on` and its `published` version (its
    `effective_from` and `review`): shared by the model and the plain rows the lists show
    (services.GuidelineSummary)."""

    @property
    def review_base_on(self) -> date | None:
        """The review clock starts at the later of the published version's effective date and the last review."""
        if self.published is None:
            return None
        base = self.published.effective_from
        if self.last_reviewed_on and self.last_reviewed_on > base:
            base = self.last_reviewed_on
        return base

    @property
    def next_review_on(self) -> date | None:
        """Next review = the `review` rule applied to the last approval, review or effective date."""
        base = self.review_base_on
        return None if base is None else next_review_after(base, self.published.review)

    def status_on(self, today: date, due_days: int = 60) -> str:
        """Overdue after its review date; due within `due_days` (setting guideline_due_days) of it; else current."""
        due = self.next_review_on
        if due is None:
            return "current"
        if today > due:
            return "overdue"
        if (due - today).days <= due_days:
            return "due"
        return "current"


class Guideline(ReviewSchedule, db.Model):
    """One guideline document of a home (local) or a region (regional); its text lives in its versions."""

    __tablename__ = "guidelines"
    __table_args__ = (UniqueConstraint("scope_key", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    home_id: Mapped[int | None] = mapped_column(ForeignKey("homes.id"), index=True)
    scope_key: Mapped[str] = mapped_column(String(40))
    slug: Mapped[str] = mapped_column(String(120), index=True)
    level: Mapped[str] = mapped_column(String(20))
    #: The day of the last approval or review without changes; the next review is counted from it.
    last_reviewed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    versions: Mapped[list[GuidelineVersion]] = relationship(
        back_populates="guideline", order_by="GuidelineVersion.number", cascade="all, delete-orphan"
    )
    published: Mapped[GuidelineVersion | None] = relationship(
        primaryjoin=lambda: and_(GuidelineVersion.guideline_id == Guideline.id,
                                 GuidelineVersion.status == PUBLISHED),
        viewonly=True, uselist=False,
    )
    draft: Mapped[GuidelineVersion | None] = relationship(
        primaryjoin=lambda: and_(GuidelineVersion.guideline_id == Guideline.id, GuidelineVersion.status == DRAFT),
        viewonly=True, uselist=False,
    )
    reviews: Mapped[list[GuidelineReview]] = relationship(
        back_populates="guideline", order_by="GuidelineReview.id", cascade="all, delete-orphan"
    )


class GuidelineVersion(db.Model):
    """One text of a guideline with its full front matter: a draft, the published one, or a superseded one."""

    __tablename__ = "guideline_versions"
    __table_args__ = (UniqueConstraint("guideline_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guideline_id: Mapped[int] = mapped_column(ForeignKey("guidelines.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=DRAFT, index=True)
    title: Mapped[str] = mapped_column(String(200))
    document_type: Mapped[str] = mapped_column(String(60))
    standard: Mapped[str] = mapped_column(String(120), index=True)
    scope: Mapped[str] = mapped_column(Text)
    target_group: Mapped[list] = mapped_column(JSON, default=list)
    revision_responsible: Mapped[str] = mapped_column(String(30))
    approver_role: Mapped[str] = mapped_column(String(30))
    effective_from: Mapped[date] = mapped_column(Date)
    review: Mapped[dict] = mapped_column(JSON, default=dict)
    related: Mapped[list] = mapped_column(JSON, default=list)
    cycle: Mapped[list] = mapped_column(JSON, default=list)
    body: Mapped[str] = mapped_column(Text)
    #: The body as safe HTML, rendered when the body is written (`_render_body`), so no view renders Markdown.
    body_html: Mapped[str | None] = mapped_column(Text)
    change_note: Mapped[str] = mapped_column(Text, default="")
    is_significant: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Acknowledgements of versions numbered from this one on count for this version (minor changes carry them).
    ack_from_number: Mapped[int] = mapped_column(Integer, default=1)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When it became the published version (approval in the app, or import).
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(20), default="app")
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    guideline: Mapped[Guideline] = relationship(back_populates="versions")
    author = relationship("User", foreign_keys=[author_id])
    approved_by_user = relationship("User", foreign_keys=[approved_by_id])

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def level(self) -> str:
        return self.guideline.level

    @property
    def html(self) -> Markup:
        """The body as HTML, sanitised when it was rendered (app/guidelines/rendering.render_markdown)."""
        return Markup(self.body_html or "")  # noqa: S704  # nosec B704  # sanitised by nh3 when written

    def front_matter(self) -> dict:
        """The document's front matter as in guidelines/README.md (empty optional lists left out)."""
        data = {
            "title": self.title, "document_type": self.document_type, "level": self.guideline.level,
            "standard": self.standard, "scope": self.scope, "target_group": list(self.target_group),
            "revision_responsible": self.revision_responsible, "approved_by": self.approver_role,
            "effective_from": self.effective_from, "review": dict(self.review),
            "related": list(self.related or []), "cycle": [dict(e) for e in (self.cycle or [])],
        }
        for optional in ("related", "cycle"):
            if not data[optional]:
                del data[optional]
        return data


@event.listens_for(GuidelineVersion, "before_insert")
@event.listens_for(GuidelineVersion, "before_update")
def _render_body(mapper, connection, version: GuidelineVersion) -> None:
    """Render the Markdown once, when a version's text is written; a version's text never changes once published."""
    if version.body_html is None or attributes.get_history(version, "body").has_changes():
        from app.guidelines.rendering import render_markdown

        version.body_html = str(render_markdown(version.body))


class GuidelineReview(db.Model):
    """A review without changes ("Revideret uden ændringer"): who, when, why. It moves the review date."""

    __tablename__ = "guideline_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    guideline_id: Mapped[int] = mapped_column(ForeignKey("guidelines.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("guideline_versions.id"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    guideline: Mapped[Guideline] = relationship(back_populates="reviews")
    version: Mapped[GuidelineVersion] = relationship()
    reviewed_by = relationship("User")


class Acknowledgement(db.Model):
    """A person's "Læst og forstået" for one version."""

    __tablename__ = "guideline_acknowledgements"
    __table_args__ = (UniqueConstraint("version_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("guideline_versions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    version: Mapped[GuidelineVersion] = relationship()
    user = relationship("User")
