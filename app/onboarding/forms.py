from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import Form, SubForm, choices
from app.onboarding.constants import COMPLETED_BY_LABELS, KIND_LABELS

REQUIRED = _l("Feltet skal udfyldes.")
BAD_DATE = _l("Skriv en gyldig dato.")
#: Blank rows offered under a template's items, for adding new ones without JavaScript.
BLANK_ROWS = 3


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CompleteItemForm(Form):
    done_on = DateField(_l("Dato"), validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


class TemplateItemForm(SubForm):
    position = IntegerField(_l("Nr."), validators=[Optional(), NumberRange(1, 999)])
    text = StringField(_l("Punkt"), validators=[Length(max=300)])
    completed_by = SelectField(_l("Udføres af"), choices=choices(COMPLETED_BY_LABELS.items()))
    needs_date = BooleanField(_l("Kræver dato"))
    needs_note = BooleanField(_l("Kræver note"))
    is_required = BooleanField(_l("Obligatorisk"), default=True)
    only_other_agency = BooleanField(_l("Kun vikarer fra andet bureau end rammeaftalens"))
    guideline_slug = StringField(_l("Retningslinje (kortnavn)"), validators=[
        Optional(), Length(max=120),
        Regexp(r"^[a-z0-9-]+$", message=_l("Kortnavnet må kun have små bogstaver, tal og bindestreger."))])


class TemplateForm(Form):
    name = StringField(_l("Navn"), validators=[DataRequired(REQUIRED), Length(max=160)])
    kind = SelectField(_l("Til"), choices=choices((k.value, v) for k, v in KIND_LABELS.items()))
    department_id = SelectField(_l("Gælder for"), coerce=int)
    items = FieldList(FormField(TemplateItemForm), min_entries=1)
    submit = SubmitField(_l("Gem skabelon"))

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.department_id.choices = choices([(0, _l("Hele tilbuddet")), *((d.id, d.name) for d in departments)])

    def item_rows(self) -> list[dict]:
        """The filled-in rows, in the order of their numbers (rows without a number keep their place)."""
        rows = [(entry.form.position.data or n, n, entry.form.data) for n, entry in enumerate(self.items, start=1)]
        return [data for _, _, data in sorted(rows, key=lambda r: (r[0], r[1])) if (data["text"] or "").strip()]


class AssignForm(Form):
    user_id = SelectField(_l("Person"), coerce=int)
    template_id = SelectField(_l("Tjekliste"), coerce=int)
    submit = SubmitField(_l("Tildel tjekliste"))

    def __init__(self, *args, people=(), templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id.choices = choices((p.id, p.name) for p in people)
        self.template_id.choices = choices((t.id, t.name) for t in templates)


class MeetingForm(Form):
    held_on = DateField(_l("Holdt den"), validators=[DataRequired(BAD_DATE)])
    department_id = SelectField(_l("Afdeling"), coerce=int)
    attendees = MultiCheckboxField(_l("Deltagende vikarer"), coerce=int)
    note = TextAreaField(_l("Emner og noter"), validators=[Length(max=4000)])
    submit = SubmitField(_l("Registrér vikarmøde"))

    def __init__(self, *args, departments=(), temps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.department_id.choices = choices([(0, _l("Hele tilbuddet")), *((d.id, d.name) for d in departments)])
        self.attendees.choices = choices(
            (t.id, f"{t.name} ({', '.join(d.name for d in t.departments)})") for t in temps)


class RestrictionForm(Form):
    task = StringField(_l("Opgave vikarer ikke må varetage alene"), validators=[DataRequired(REQUIRED),
                                                                             Length(max=300)])
    instead = TextAreaField(_l("Sådan løses opgaven i stedet"), validators=[Length(max=4000)])
    submit = SubmitField(_l("Tilføj opgave"))
