from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.auth.services import MIN_PASSWORD_LENGTH
from app.forms import AppForm


class LoginForm(AppForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Skriv din e-mail.")), Length(max=254)])
    password = PasswordField(_l("Adgangskode"), validators=[DataRequired(_l("Skriv din adgangskode.")),
                                                            Length(max=200)])
    submit = SubmitField(_l("Log ind"))


class NewPasswordForm(AppForm):
    password = PasswordField(
        _l("Ny adgangskode"),
        validators=[DataRequired(_l("Skriv en adgangskode.")),
                    Length(min=MIN_PASSWORD_LENGTH, max=200,
                           message=_l("Adgangskoden skal være mindst 8 tegn."))],
    )
    confirm = PasswordField(
        _l("Gentag ny adgangskode"),
        validators=[DataRequired(_l("Gentag adgangskoden.")),
                    EqualTo("password", message=_l("De to adgangskoder er ikke ens."))],
    )
    submit = SubmitField(_l("Gem adgangskode"))


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Nuværende adgangskode"),
                            validators=[DataRequired(_l("Skriv din nuværende adgangskode.")), Length(max=200)])
