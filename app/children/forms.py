"""Forms for children's records. Every one derives from ChildrenForm, which refuses a CPR-shaped value in
any text field (also inside sub-forms)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.children.models import GOAL_STATUS_LABELS, PLACEMENT_LABELS
from app.children.validators import CPR_MESSAGE, contains_cpr
from app.forms import AppForm, choices

REQUIRED = _l("Feltet skal udfyldes.")
BAD_DATE = _l("Skriv en gyldig dato.")


def _text_fields(form):
    for item in form:
        if isinstance(item, FieldList):
            for entry in item.entries:
                if isinstance(entry, FormField):
                    yield from _text_fields(entry.form)
                else:
                    yield entry
        elif isinstance(item, FormField):
            yield from _text_fields(item.form)
        else:
            yield item


def cpr_errors(form) -> bool:
    """Add the CPR message to every text field that holds a CPR-shaped value; True when any did."""
    found = False
    for item in _text_fields(form):
        if item.type in ("CSRFTokenField", "SubmitField"):
            continue
        values = [item.raw_data[0]] if item.raw_data else []
        values.append(item.data)
        if any(contains_cpr(v) for v in values):
            item.errors = [*item.errors, CPR_MESSAGE] if isinstance(item.errors, list) else [CPR_MESSAGE]
            found = True
    return found


class ChildrenForm(AppForm):
    """Base of every children form: the usual validation plus the shared CPR check on every field."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return not cpr_errors(self) and valid


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ChildForm(ChildrenForm):
    display_name = StringField(_l("Visningsnavn eller initialer"), validators=[DataRequired(REQUIRED), Length(max=60)],
                               description=_l("Fx fornavn eller initialer, som tilbuddet har valgt."))
    reference = StringField(_l("Intern reference"), validators=[Optional(), Length(max=40)],
                            description=_l("Tilbuddets eget løbenummer, fx fra journalsystemet."))
    department_id = SelectField(_l("Afdeling"), coerce=int, validate_choice=False)
    placement_basis = SelectField(_l("Anbringelsesgrundlag"), choices=choices(PLACEMENT_LABELS.items()))
    admitted_on = DateField(_l("Indskrevet den"), validators=[DataRequired(BAD_DATE)])
    version = HiddenField()
    submit = SubmitField(_l("Gem"))

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.department_id.choices = choices((d.id, d.name) for d in departments)


class MoveForm(ChildrenForm):
    department_id = SelectField(_l("Ny afdeling"), coerce=int, validate_choice=False)
    moved_on = DateField(_l("Flyttet den"), validators=[DataRequired(BAD_DATE)])
    submit = SubmitField(_l("Flyt barnet"))

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.department_id.choices = choices((d.id, d.name) for d in departments)


class LeaveForm(ChildrenForm):
    left_on = DateField(_l("Fraflyttet den"), validators=[DataRequired(BAD_DATE)])
    submit = SubmitField(_l("Registrér fraflytning"))


class TeamForm(ChildrenForm):
    members = MultiCheckboxField(_l("Kontaktteamets medlemmer"), coerce=int, validate_choice=False)
    coordinator = SelectField(_l("Koordinator"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Gem kontaktteam"))

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members.choices = choices((u.id, u.name) for u in staff)
        self.coordinator.choices = choices([(0, "Vælg koordinator"), *((u.id, u.name) for u in staff)])


class GoalForm(Form):
    title = StringField(_l("Mål eller delmål (kort titel)"), validators=[Optional(), Length(max=120)])
    is_sub_goal = BooleanField(_l("Delmål"))
    status = SelectField(_l("Status"), choices=choices(GOAL_STATUS_LABELS.items()), default="active")


class PlanForm(ChildrenForm):
    updated_on = DateField(_l("Planen er opdateret den"), validators=[DataRequired(BAD_DATE)])
    goals = FieldList(FormField(GoalForm), min_entries=5, max_entries=12)
    submit = SubmitField(_l("Registrér opdatering"))


class ReferralForm(ChildrenForm):
    referred_on = DateField(_l("Henvist til fysioterapi den"), validators=[DataRequired(BAD_DATE)])
    submit = SubmitField(_l("Registrér henvisning"))


class EndReferralForm(ChildrenForm):
    ended_on = DateField(_l("Henvisningen afsluttet den"), validators=[DataRequired(BAD_DATE)])
    submit = SubmitField(_l("Afslut henvisning"))


class PhysioPlanForm(ChildrenForm):
    updated_on = DateField(_l("Behandlingsplanen er lavet/opdateret den"), validators=[DataRequired(BAD_DATE)])
    next_follow_up_on = DateField(_l("Næste opfølgning"), validators=[Optional()],
                                  description=_l("Tom: tilbuddets interval for fysioterapeutiske planer."))
    submit = SubmitField(_l("Registrér behandlingsplan"))


#: Every form in this feature, for the test that walks each text field with a CPR number.
ALL_FORMS = (ChildForm, MoveForm, LeaveForm, TeamForm, PlanForm, ReferralForm, EndReferralForm, PhysioPlanForm)
