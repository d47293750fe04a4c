"""The organisation: regions, homes, departments and their methods, and the people who work there."""

from __future__ import annotations

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.database import danish_sort_key_column
from app.dbtypes import UTCDateTime
from app.extensions import db
from app.people.constants import HOME_SETTING_DEFAULTS, TEMP_EMPLOYMENT_TYPES, EmploymentType, Role


class Region(db.Model):
    """A sektor: several homes run by one region."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    homes: Mapped[list[Home]] = relationship(back_populates="region", order_by="Home.name_sort_key")


class Home(db.Model):
    """A tilbud: one children's home with its own departments, people and settings."""

    __tablename__ = "homes"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_sort_key: Mapped[bytes | None] = danish_sort_key_column("name")
    settings: Mapped[dict] = mapped_column(JSON, default=dict)

    region: Mapped[Region] = relationship(back_populates="homes")
    departments: Mapped[list[Department]] = relationship(back_populates="home", order_by="Department.name_sort_key")

    def setting(self, key: str):
        """A home setting, or its default when the home has not chosen one."""
        return (self.settings or {}).get(key, HOME_SETTING_DEFAULTS[key])


class Department(db.Model):
    """An afdeling of a home, with its chosen approaches and methods."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("home_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_sort_key: Mapped[bytes | None] = danish_sort_key_column("name")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    home: Mapped[Home] = relationship(back_populates="departments")
    methods: Mapped[list[Method]] = relationship(
        back_populates="department", order_by="Method.name_sort_key", cascade="all, delete-orphan"
    )


class Method(db.Model):
    """A faglig tilgang eller metode chosen by a department (e.g. KRAP, low arousal)."""

    __tablename__ = "methods"
    __table_args__ = (UniqueConstraint("department_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_sort_key: Mapped[bytes | None] = danish_sort_key_column("name")
    description: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    department: Mapped[Department] = relationship(back_populates="methods")


class Membership(db.Model):
    """A person's place in a department."""

    __tablename__ = "memberships"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True, index=True)


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(30), primary_key=True)


class ResourceFunction(db.Model):
    """A special function that makes someone a resource person colleagues can draw on."""

    __tablename__ = "resource_functions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    topic: Mapped[str] = mapped_column(String(160))
    topic_sort_key: Mapped[bytes | None] = danish_sort_key_column("topic")
    since_on: Mapped[date | None] = mapped_column(Date)

    user: Mapped[User] = relationship(back_populates="resource_functions")


class User(UserMixin, db.Model):
    """An employee, temp or leader of one home. The e-mail is the login. People leave; they are never deleted."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    name_sort_key: Mapped[bytes | None] = danish_sort_key_column("name")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    must_set_password: Mapped[bool] = mapped_column(Boolean, default=True)
    employment_type: Mapped[str] = mapped_column(String(20), default=EmploymentType.PERMANENT)
    #: The temp agency an agency temp comes from (blank for everyone else).
    agency: Mapped[str] = mapped_column(String(160), default="")
    profession: Mapped[str] = mapped_column(String(30))
    is_skilled: Mapped[bool] = mapped_column(Boolean, default=False)
    hired_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    is_disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The directory's stable id for this person (the claim KP_OIDC_MATCH_CLAIM names), stored at the first
    #: single sign-on; later sign-ons match on it whatever the e-mail has become.
    sso_subject: Mapped[str | None] = mapped_column(String(255), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    home: Mapped[Home] = relationship()
    departments: Mapped[list[Department]] = relationship(secondary="memberships", order_by="Department.name_sort_key")
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan")
    resource_functions: Mapped[list[ResourceFunction]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="ResourceFunction.topic_sort_key"
    )

    __mapper_args__ = {"version_id_col": version}

    #: The login session this object was loaded for; set by the auth feature.
    session_token = None

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return any(row.role in roles for row in self.role_rows)

    @property
    def is_leader(self) -> bool:
        return self.has_role(Role.DEPARTMENT_LEADER, Role.HEAD)

    @property
    def is_temp(self) -> bool:
        """Temps are the non-permanent staff: on-call and agency."""
        return self.employment_type in TEMP_EMPLOYMENT_TYPES

    def has_left(self, on: date | None = None) -> bool:
        """Someone has left from their leaving date on."""
        return has_left_on(self.left_on, on or clock.today())

    @property
    def is_current(self) -> bool:
        return is_current_on(self.left_on, self.is_disabled, clock.today())

    @property
    def is_active(self) -> bool:  # Flask-Login: only current people may log in
        return self.is_current

    @property
    def department_ids(self) -> set[int]:
        return {d.id for d in self.departments}

    def set_roles(self, roles: set[str]) -> None:
        wanted = set(roles)
        self.role_rows = [row for row in self.role_rows if row.role in wanted]
        for role in sorted(wanted - self.roles):
            self.role_rows.append(UserRole(role=role))


def has_left_on(left_on: date | None, on: date) -> bool:
    """Someone has left from their leaving date on (the rule for a person's plain column values)."""
    return left_on is not None and left_on <= on


def is_current_on(left_on: date | None, is_disabled: bool, on: date) -> bool:
    """Someone may log in and is counted until their leaving date, unless their account is disabled."""
    return not has_left_on(left_on, on) and not is_disabled


def current_staff_query(home_id: int, on: date | None = None):
    """People of a home who have not left on a day (default today)."""
    on = on or clock.today()
    return select(User).where(
        User.home_id == home_id, (User.left_on.is_(None)) | (User.left_on > on), User.is_disabled.is_(False)
    )
