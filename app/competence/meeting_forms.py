"""Forms for what the year's first and last Mini-MED meetings record, and for the departments' suggestions."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import BAD_DATE, Form, choices


class PlanApprovalForm(Form):
    id_prefix = "plangodkendelse"
    note = TextAreaField(_l("Referat af godkendelsen (valgfrit)"), validators=[Length(max=4000)])


class PresentationForm(Form):
    id_prefix = "fremlaeggelse"
    note = TextAreaField(_l("Bemærkninger fra mødet (valgfrit)"), validators=[Length(max=4000)])


class EvaluationForm(Form):
    id_prefix = "evaluering"
    evaluation = TextAreaField(_l("Evaluering af årets tilbudsplan"),
                               validators=[DataRequired(_l("Skriv evalueringen af årets tilbudsplan.")),
                                           Length(max=20000)])
    suggestions_note = TextAreaField(_l("Fremlagte ønsker og forslag til næste års tilbudsplan"),
                                     validators=[Length(max=20000)])


class SuggestionForm(Form):
    id_prefix = "forslag"
    department_id = SelectField(_l("Afdeling"), coerce=int)
    meeting_on = DateField(_l("Personalemødets dato"), validators=[DataRequired(BAD_DATE)])
    suggestions = TextAreaField(_l("Forslag til næste års tilbudsplan"), validators=[Length(max=20000)])
    methods_development = TextAreaField(_l("Udviklingstiltag inden for afdelingens tilgange og metoder"),
                                        validators=[Length(max=20000)])
    version = HiddenField()

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.department_id.choices = choices((d.id, d.name) for d in departments)
