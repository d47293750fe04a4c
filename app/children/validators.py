"""The one check every children form runs on every text field: no CPR numbers in the portal."""

from __future__ import annotations

import re

#: ddmmyy-xxxx or ddmmyyxxxx, with an optional space or dash, not part of a longer number.
CPR_PATTERN = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[ \-]?\d{4}(?!\d)")

CPR_MESSAGE = "Skriv ikke CPR-numre i portalen. Feltet ligner et CPR-nummer; brug initialer eller en intern reference."


def contains_cpr(value) -> bool:
    """True when a text holds something shaped like a Danish CPR number."""
    return isinstance(value, str) and CPR_PATTERN.search(value) is not None
