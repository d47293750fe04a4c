from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.forms import AppForm


class TokenForm(AppForm):
    label = StringField(_l("Navn på nøglen"), validators=[
        DataRequired(_l("Giv nøglen et navn, så I kan kende den igen.")),
        Length(max=120, message=_l("Navnet må højst være 120 tegn.")),
    ])
    submit = SubmitField(_l("Opret nøgle"))
