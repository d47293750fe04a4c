from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.appraisals.models import MUS_EVENT_LABELS, NEURO_LABELS
from app.forms import Form, choices

BAD_DATE = _l("Skriv en gyldig dato.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TalkForm(Form):
    version = HiddenField()
    planned_on = DateField(_l("Planlagt dato"), validators=[Optional()])
    held_on = DateField(_l("Holdt den"), validators=[Optional()])
    held_by = SelectField(_l("Holdt af"), coerce=int, validators=[Optional()])
    development_points = TextAreaField(_l("Aftalte udviklingspunkter"), validators=[Length(max=1000)],
                                       description=_l("Kort tekst; f.eks. kursusønsker, der følger af samtalen."))
    written_agreement = TextAreaField(_l("Skriftlig aftale"), validators=[Length(max=5000)])
    is_completed = BooleanField(_l("Samtalen er afsluttet"))
    wishes = MultiCheckboxField(_l("Kursusønsker, der følger af samtalen"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Gem samtale"))

    def __init__(self, *args, leaders=(), wishes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.wishes.choices = choices(wishes)
        self.held_by.choices = choices([(0, _l("(den der registrerer)"))] + [(p.id, p.name) for p in leaders])

    def held_by_id(self) -> int | None:
        return self.held_by.data or None


class NeuroForm(Form):
    status = SelectField(_l("Trin"), choices=choices(NEURO_LABELS.items()))
    happened_on = DateField(_l("Dato"), validators=[DataRequired(BAD_DATE)])
    note = StringField(_l("Note (valgfri)"), validators=[Length(max=300)])
    submit = SubmitField(_l("Registrér"))


class MusDocumentForm(Form):
    id_prefix = "koncept"
    guideline_slug = StringField(_l("Retningslinje (kortnavn)"), validators=[DataRequired(_l("Feltet skal udfyldes.")),
                                                                          Length(max=120)],
                                 description=_l("Kortnavnet fra retningslinjebiblioteket, f.eks. mus-og-lus."))
    note = StringField(_l("Note (valgfri)"), validators=[Length(max=300)])
    submit = SubmitField(_l("Gem som gældende MUS-koncept"))


class MusEventForm(Form):
    id_prefix = "punkt"
    kind = SelectField(_l("Punkt"), choices=choices(MUS_EVENT_LABELS.items()))
    meeting = SelectField(_l("Mini-MED-møde"), coerce=int, validators=[Optional()])
    held_on = DateField(_l("Dato (hvis mødet ikke er i listen)"), validators=[Optional()])
    note = TextAreaField(_l("Referat / note"), validators=[Length(max=5000)])
    submit = SubmitField(_l("Registrér"))

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting.choices = choices([(0, _l("(intet møde valgt)"))] + [(m.id, f"{m.title} {m.held_on:%d.%m.%Y}")
                                                                           for m in meetings])
