"""Helpers every feature's forms share."""

import re
from collections.abc import Iterable

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import FieldList, FormField, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget, html_params

from app.exports import CONTROL_CHARACTERS
from app.wtforms_da import TRANSLATIONS

REQUIRED = _l("Feltet skal udfyldes.")
BAD_DATE = _l("Skriv en gyldig dato.")
CONTROL_CHARACTERS_REFUSED = _l("Feltet indeholder usynlige kontroltegn (fx fra en kopieret tekst). "
                                "Skriv teksten igen uden dem.")

#: Control characters no text field takes: C0 (NUL, ESC, ...), DEL and C1. Long text keeps tab and newlines.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_LONG_TEXT = CONTROL_CHARACTERS  # what no export cell may hold either (app/exports.py)


def has_control_characters(text: str, *, long_text: bool = False) -> bool:
    """Whether `text` holds a control character a field of its kind refuses (long text allows tab and newlines).
    For input read outside a form (``request.form``)."""
    return bool((_CONTROL_IN_LONG_TEXT if long_text else _CONTROL).search(text))


def _refuse_control_characters(fields) -> bool:
    valid = True
    for field in fields:
        if isinstance(field, FormField):
            valid = _refuse_control_characters(field.form) and valid
        elif isinstance(field, FieldList):
            if not _refuse_control_characters(field.entries):
                field.errors = [entry.errors for entry in field.entries]  # as FieldList.validate builds it
                valid = False
        elif (isinstance(field, StringField) and isinstance(field.data, str)
              and has_control_characters(field.data, long_text=isinstance(field, TextAreaField))):
            field.errors = [*field.errors, CONTROL_CHARACTERS_REFUSED]
            valid = False
    return valid


class CheckboxList(ListWidget):
    """The markup of ``ListWidget(prefix_label=False)`` with ``CheckboxInput`` options, written straight from the
    choices: WTForms builds a subfield per option, which is most of a page's time when the list holds every temp
    of a home. Choices with their own render_kw go the general way."""

    def __init__(self):
        super().__init__(prefix_label=False)

    def __call__(self, field, **kwargs):
        options = list(field.iter_choices())
        if any(option.render_kw for option in options):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        name = escape(field.name)
        parts = [f"<ul {html_params(**kwargs)}>"]
        for index, option in enumerate(options):
            option_id = escape(f"{field.id}-{index}")
            checked = "checked " if option.selected else ""
            value, label = escape(str(option.value)), escape(option.label)
            parts.append(f'<li><input {checked}id="{option_id}" name="{name}" type="checkbox" value="{value}"> '
                         f'<label for="{option_id}">{label}</label></li>')
        parts.append("</ul>")
        return Markup("".join(parts))  # noqa: S704  # nosec B704 - every value above is escaped


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes (keyboard- and tablet-friendly, unlike a multi-select)."""

    widget = CheckboxList()
    option_widget = CheckboxInput()


def choices(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices; labels may be lazy strings."""
    return [SelectChoice(value, str(label)) for value, label in pairs]


class _DanishMeta:
    def get_translations(self, form):
        return TRANSLATIONS


class Form(FlaskForm):
    """The base of every form in the app: WTForms' own messages in Danish (app/wtforms_da.py), and besides its
    own checks no text field (in sub-forms too) takes control characters, which nobody types and which break
    exports and other programs."""

    Meta = _DanishMeta
    #: A form that shares its page with other forms sets this, so its fields' ids (not their names) are unique
    #: on the page and each label points at its own field ("beslutning-note", not a second "note").
    id_prefix: str = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.id_prefix:
            for field in self:
                field.id = f"{self.id_prefix}-{field.id}"
                field.label.field_id = field.id

    def hidden_tag(self, *fields):
        """The hidden fields (CSRF token, versions) without ids: nothing labels them, and a page with several forms
        would repeat them."""
        return Markup("\n").join(f(id=False) for f in (fields or self) if isinstance(f.widget, HiddenInput))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return _refuse_control_characters(self) and valid


class SubForm(wtforms.Form):
    """The base of a form nested in another (FormField, FieldList): no CSRF token of its own, Danish messages."""

    Meta = _DanishMeta
