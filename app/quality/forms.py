from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from app.forms import Form, choices
from app.quality import themes


class TokenForm(Form):
    label = StringField(_l("Navn på nøglen"), validators=[
        DataRequired(_l("Giv nøglen et navn, så I kan kende den igen.")),
        Length(max=120, message=_l("Navnet må højst være 120 tegn.")),
    ])
    submit = SubmitField(_l("Opret nøgle"))


class ThemeForm(Form):
    """Where one indicator gives evidence in Socialtilsynet's quality model; themes.check has the rule."""

    theme = SelectField(_l("Tema"), validate_choice=False)
    criterion = SelectField(_l("Kriterium"), validate_choice=False)
    note = StringField(_l("Note (valgfri)"), validators=[
        Length(max=300, message=_l("Noten må højst være 300 tegn.")),
    ])
    submit = SubmitField(_l("Gem placering"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme.choices = choices((str(number), f"{number} {title}") for number, title in themes.THEMES.items())
        self.criterion.choices = {
            f"Tema {number} {title}": choices((c.code, c.label) for c in themes.criteria_of(number))
            for number, title in themes.THEMES.items()
        }

    def validate_theme(self, field):
        if str(field.data or "").strip() not in {str(number) for number in themes.THEMES}:
            raise ValidationError(_l("Vælg et tema fra 1 til 7."))

    def validate_criterion(self, field):
        if self.theme.errors:
            return
        try:
            themes.check(self.theme.data, field.data)
        except themes.ThemeError as error:
            raise ValidationError(str(error)) from error
