"""Forms of the tilbudsplan pages: the draft's text, and one method decision."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.competence.tilbudsplan_models import METHOD_ACTION_LABELS
from app.forms import BAD_DATE, Form, choices


class TilbudsplanForm(Form):
    id_prefix = "plan"
    body = TextAreaField(_l("Tilbudsplanens tekst (Markdown)"), validators=[Length(max=100_000)])
    change_note = StringField(_l("Ændringsnote"), validators=[Length(max=500)])
    version_id = HiddenField()
    lock_version = HiddenField()


class MethodDecisionForm(Form):
    id_prefix = "metode"
    department_id = SelectField(_l("Afdeling"), coerce=int)
    action = SelectField(_l("Beslutning"), choices=choices(METHOD_ACTION_LABELS.items()))
    method_id = SelectField(_l("Metode (fastholdes eller udfases)"), coerce=int, validate_choice=False)
    name = StringField(_l("Ny metode (indføres)"), validators=[Length(max=120)])
    decided_on = DateField(_l("Besluttet den"), validators=[DataRequired(BAD_DATE)])

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.department_id.choices = choices((d.id, d.name) for d in departments)
        self.method_id.choices = choices([(0, "– ny metode –")] + [
            (m.id, f"{m.name} ({d.name})") for d in departments for m in d.methods if m.is_active])


def hidden_int(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isdecimal() and len(text) < 10 else None
