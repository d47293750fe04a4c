"""Closed vocabularies for people: roles, employment types, professions, with their Danish labels."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    EMPLOYEE = "employee"
    DEPARTMENT_LEADER = "department_leader"
    HEAD = "head"
    MINI_MED = "mini_med"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.EMPLOYEE: _l("Medarbejder"),
    Role.DEPARTMENT_LEADER: _l("Afdelingsleder"),
    Role.HEAD: _l("Tilbudsleder"),
    Role.MINI_MED: _l("Mini-MED-medlem"),
    Role.ADMIN: _l("Administrator"),
}

# Role codes used by guideline front matter and the annual cycle: the stored roles plus two groups.
AUDIENCE_LABELS = {
    "employee": _l("Medarbejder"),
    "temp": _l("Vikar (ikke-fastansat)"),
    "department_leader": _l("Afdelingsleder"),
    "head": _l("Tilbudsleder"),
    "leader_group": _l("Ledergruppen"),
    "mini_med": _l("Mini-MED"),
    "admin": _l("Administrator"),
}


class EmploymentType(StrEnum):
    PERMANENT = "permanent"
    ON_CALL = "on_call"
    AGENCY = "agency"


#: Temps are the non-permanent staff: on-call and agency.
TEMP_EMPLOYMENT_TYPES = (EmploymentType.ON_CALL, EmploymentType.AGENCY)


EMPLOYMENT_LABELS = {
    EmploymentType.PERMANENT: _l("Fastansat"),
    EmploymentType.ON_CALL: _l("Tilkaldevikar"),
    EmploymentType.AGENCY: _l("Vikar fra bureau"),
}


class Profession(StrEnum):
    PAEDAGOG = "paedagog"
    SOSU_ASSISTANT = "sosu_assistant"
    SOSU_HELPER = "sosu_helper"
    CARE_ASSISTANT = "care_assistant"
    PAEDAGOG_ASSISTANT = "paedagog_assistant"
    NURSE = "nurse"
    PHYSIOTHERAPIST = "physiotherapist"
    OTHER = "other"


PROFESSION_LABELS = {
    Profession.PAEDAGOG: _l("Pædagog"),
    Profession.SOSU_ASSISTANT: _l("Social- og sundhedsassistent"),
    Profession.SOSU_HELPER: _l("Social- og sundhedshjælper"),
    Profession.CARE_ASSISTANT: _l("Omsorgsmedhjælper"),
    Profession.PAEDAGOG_ASSISTANT: _l("Pædagogmedhjælper"),
    Profession.NURSE: _l("Sygeplejerske"),
    Profession.PHYSIOTHERAPIST: _l("Fysioterapeut"),
    Profession.OTHER: _l("Andet"),
}

# Settings every home has, with their defaults. Features read them through Home.setting().
HOME_SETTING_DEFAULTS: dict[str, object] = {
    "wish_deadline_day": 1,
    "wish_deadline_month": 10,
    "temp_meeting_months": [3, 9],
    "contact_team_min": 2,
    "plan_interval_months": 3,
    "physio_interval_months": 6,
    "quality_green": 95,
    "quality_yellow": 80,
    "guideline_due_days": 60,
    "framework_agency": "",
    #: Months from hiring to someone's first MU/LU talk: the guideline's yearly interval unless the home shortens
    #: it (app/appraisals/status.first_talk_months reads it).
    "first_talk_months": 12,
}
