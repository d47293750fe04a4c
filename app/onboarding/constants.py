"""Onboarding vocabulary and its Danish labels."""

from flask_babel import lazy_gettext as _l

from app.people.constants import EmploymentType

BY_SELF = "self"
BY_LEADER = "leader"

COMPLETED_BY_LABELS = {
    BY_SELF: _l("Personen selv"),
    BY_LEADER: _l("Leder kvitterer"),
}

#: The checklist kind for each employment type.
KIND_LABELS = {
    EmploymentType.PERMANENT: _l("Nyansat"),
    EmploymentType.ON_CALL: _l("Tilkaldevikar"),
    EmploymentType.AGENCY: _l("Vikar fra bureau"),
}

#: A checklist under way with nothing ticked for this many days counts as stuck.
STUCK_DAYS = 14

#: The new-hires indicator leaves out people hired in the last this many days (their introduction is running).
INTRODUCTION_GRACE_DAYS = 30
