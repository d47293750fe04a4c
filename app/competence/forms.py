"""Forms for the competence pages. Amounts are text fields: the services parse Danish amounts
("4.500,50") into Decimal and refuse negative or non-numeric ones with a Danish message."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.competence.models import DECISION_LABELS, LINE_CATEGORIES, OUTCOME_LABELS, WISH_KIND_LABELS
from app.forms import BAD_DATE, REQUIRED, Form, MultiCheckboxField, choices


class WishForm(Form):
    department_id = SelectField(_l("Afdeling"), coerce=int)
    year = IntegerField(_l("Ønsket gælder år"), validators=[DataRequired(_l("Skriv et årstal.")),
                                                           NumberRange(2000, 2100, _l("Skriv et gyldigt årstal."))])
    kind = SelectField(_l("Type"), choices=choices(WISH_KIND_LABELS.items()))
    title = StringField(_l("Hvad ønsker du?"), validators=[DataRequired(REQUIRED), Length(max=200)])
    provider = StringField(_l("Udbyder"), validators=[Length(max=200)])
    cost = StringField(_l("Forventet pris (kr.)"), validators=[DataRequired(REQUIRED), Length(max=30)])
    days = StringField(_l("Antal dage"), validators=[Length(max=10)])
    hours = StringField(_l("Antal timer"), validators=[Length(max=10)])
    methods = MultiCheckboxField(_l("Afdelingens tilgange og metoder, som ønsket bygger på"), coerce=int)
    responsibility_areas = TextAreaField(_l("Dine ansvarsområder, som ønsket understøtter"),
                                         validators=[Length(max=2000)])
    reason = TextAreaField(_l("Begrundelse"), validators=[Length(max=4000)])
    version = HiddenField()

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.department_id.choices = choices((d.id, d.name) for d in departments)
        self.methods.choices = choices(
            (m.id, f"{m.name} ({d.name})" if len(departments) > 1 else m.name)
            for d in departments for m in d.methods if m.is_active)


class OwnWishForm(WishForm):
    """An employee's own new wish: its round is the open one, carried in the form (not chosen), so a wish sent
    after that round's deadline is refused and shown again for the next round rather than moved there unseen."""

    year = HiddenField()

    def validate_year(self, field):
        text = str(field.data or "").strip()
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            raise ValidationError(_l("Ønskets år mangler. Åbn formularen igen."))
        field.data = int(text)


class OverviewForm(Form):
    recommendation = TextAreaField(_l("Afdelingslederens anbefaling"), validators=[Length(max=8000)])
    version = HiddenField()


class StartDistributionForm(Form):
    id_prefix = "ny-fordeling"
    budget = StringField(_l("Tilbuddets samlede ramme (kr.)"), validators=[DataRequired(REQUIRED)])


class BudgetForm(Form):
    id_prefix = "ramme"
    budget = StringField(_l("Ramme (kr.)"), validators=[DataRequired(REQUIRED)])
    note = TextAreaField(_l("Bemærkning"), validators=[Length(max=4000)])
    version = HiddenField()


class LineForm(Form):
    id_prefix = "linje"
    category = SelectField(_l("Kategori"), choices=choices(LINE_CATEGORIES.items()))
    wish_id = SelectField(_l("Ønske"), coerce=int, validate_choice=False)
    wish_outcome = SelectField(_l("Udfald for ønsket"), choices=choices(OUTCOME_LABELS.items()))
    department_id = SelectField(_l("Afdeling"), coerce=int, validate_choice=False)
    title = StringField(_l("Titel"), validators=[Length(max=200)])
    supervisor = StringField(_l("Supervisor"), validators=[Length(max=200)])
    sessions = StringField(_l("Sessioner"), validators=[Length(max=10)])
    hours = StringField(_l("Timer"), validators=[Length(max=10)])
    amount = StringField(_l("Beløb (kr.)"), validators=[DataRequired(REQUIRED), Length(max=30)])
    note = StringField(_l("Begrundelse / bemærkning"), validators=[Length(max=2000)])
    version = HiddenField()

    def __init__(self, *args, departments=(), wishes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.department_id.choices = choices([(0, "– hele tilbuddet –")] + [(d.id, d.name) for d in departments])
        self.wish_id.choices = choices([(0, "– intet ønske –")] + [
            (w.id, f"{w.department.name}: {w.user.name if w.user else 'Afdelingen'} – {w.title} ({w.cost:.0f} kr.)")
            for w in wishes])


class DecisionForm(Form):
    id_prefix = "beslutning"
    meeting_id = SelectField(_l("Mini-MED-møde"), coerce=int, validate_choice=False)
    new_meeting_on = DateField(_l("… eller registrér et nyt møde den"), validators=[Optional()])
    outcome = SelectField(_l("Beslutning"), choices=choices(DECISION_LABELS.items()))
    note = TextAreaField(_l("Referat af beslutningen"), validators=[Length(max=4000)])
    version = HiddenField()


class SupervisionForm(Form):
    department_id = SelectField(_l("Afdeling"), coerce=int)
    held_on = DateField(_l("Dato"), validators=[DataRequired(BAD_DATE)])
    sessions = IntegerField(_l("Sessioner"), validators=[Optional(), NumberRange(min=0, max=100)])
    hours = StringField(_l("Timer"), validators=[Length(max=10)])
    note = StringField(_l("Bemærkning"), validators=[Length(max=2000)])


class CompletionForm(Form):
    user_id = SelectField(_l("Medarbejder"), coerce=int)
    title = StringField(_l("Kursus"), validators=[DataRequired(REQUIRED), Length(max=200)])
    completed_on = DateField(_l("Afsluttet den"), validators=[DataRequired(BAD_DATE)])
    is_neuropedagogy = BooleanField(_l("Neuropædagogisk efteruddannelse"))


class AgreementForm(Form):
    description = TextAreaField(_l("Sådan implementeres og holdes den nye viden levende i afdelingen"),
                                validators=[DataRequired(REQUIRED), Length(max=8000)])
    resource_topic = StringField(_l("Emne som ressourceperson"), validators=[DataRequired(REQUIRED), Length(max=160)])
    agreed_on = DateField(_l("Aftalt den"), validators=[DataRequired(BAD_DATE)])


class NeedForm(Form):
    department_id = SelectField(_l("Afdeling"), coerce=int)
    source = SelectField(_l("Anledning"), choices=choices([
        ("admission", _l("Indskrivning af barn med behov, vi mangler kompetence til")),
        ("gap", _l("Kompetencegab i afdelingen"))]))
    description = TextAreaField(_l("Behovet (ingen navne, CPR eller diagnoser på barnet)"),
                                validators=[DataRequired(REQUIRED), Length(max=4000)])


class PlanForm(Form):
    future_tasks = TextAreaField(validators=[Length(max=20000)])
    competences_present = TextAreaField(validators=[Length(max=20000)])
    priority_target_group = TextAreaField(validators=[Length(max=20000)])
    priority_methods = TextAreaField(validators=[Length(max=20000)])
    priority_documentation = TextAreaField(validators=[Length(max=20000)])
    priority_work_environment = TextAreaField(validators=[Length(max=20000)])
    priority_conflict_handling = TextAreaField(validators=[Length(max=20000)])
    version = HiddenField()
