"""What every spreadsheet export (xlsx and csv) writes into a cell: user text stays text, and stored text never
breaks the file.

- Text starting with ``= + - @``, a tab or a carriage return is what Excel and LibreOffice read as a formula
  (``=HYPERLINK(...)`` sends a cell's neighbours to another site); it gets a leading apostrophe, the
  spreadsheet programs' own "this is text" mark.
- Control characters other than tab, newline and carriage return are removed: the xlsx format cannot hold
  them (openpyxl raises ``IllegalCharacterError``), and they mean nothing in a csv cell. The forms refuse them
  (``app.forms``), but data stored before that, or by an import, must still export.

Numbers, dates and None pass through unchanged, so numbers stay numbers.
"""

from __future__ import annotations

import re

#: Characters no cell may hold: C0 controls except tab, newline and carriage return, DEL and the C1 controls.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Characters an xlsx sheet title cannot hold, and its length limit.
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_TITLE_MAX = 31


def clean_text(text: str) -> str:
    """`text` without the control characters a spreadsheet cannot hold."""
    return CONTROL_CHARACTERS.sub("", text)


def cell(value):
    """`value` as a spreadsheet cell: text cleaned and kept from being read as a formula, anything else as is."""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def row(values) -> list:
    """Every value of a row through `cell`."""
    return [cell(value) for value in values]


def sheet_title(text: str) -> str:
    """A valid xlsx sheet title from user text (a department's name may hold ``/`` or ``:``)."""
    title = _SHEET_TITLE_FORBIDDEN.sub("-", clean_text(text)).strip("'")[:_SHEET_TITLE_MAX]
    return title or "Ark"
