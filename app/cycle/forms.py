from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app import clock
from app.forms import AppForm, choices


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MeetingForm(AppForm):
    held_on = DateField(_l("Dato"), validators=[DataRequired(_l("Skriv en gyldig dato."))])
    title = StringField(_l("Titel"), validators=[Optional(), Length(max=160)],
                        description=_l("F.eks. \u201eÅrets første Mini-MED-møde\u201c."))
    minutes = TextAreaField(_l("Referat"), validators=[Length(max=20000)],
                            description=_l("Skrives efter mødet."))
    attendees = MultiCheckboxField(_l("Deltagere"), coerce=int, validators=[Optional()])
    version = HiddenField()
    submit = SubmitField(_l("Gem mødet"))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.attendees.choices = choices((p.id, p.name) for p in people)

    def validate_held_on(self, field):
        if field.data and abs(field.data.year - clock.today().year) > 2:
            raise ValidationError(_l("Vælg en dato inden for to år fra i dag."))
