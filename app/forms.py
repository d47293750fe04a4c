"""Helpers every feature's forms share."""

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

REQUIRED = _l("Feltet skal udfyldes.")
BAD_DATE = _l("Skriv en gyldig dato.")


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes (keyboard- and tablet-friendly, unlike a multi-select)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def choices(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices; labels may be lazy strings."""
    return [SelectChoice(value, str(label)) for value, label in pairs]
