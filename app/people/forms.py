from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from app.extensions import db
from app.forms import BAD_DATE, REQUIRED, Form, MultiCheckboxField, choices
from app.people.constants import EMPLOYMENT_LABELS, PROFESSION_LABELS, ROLE_LABELS
from app.people.models import User


class RolesField(MultiCheckboxField):
    """The roles the person filling in the form may grant or remove (people.grants); others are not offered."""

    def pre_validate(self, form):
        offered = {choice.value for choice in self.choices}
        for value in self.data or []:
            if value not in offered:
                label = ROLE_LABELS.get(value)
                raise ValidationError(_l("Du kan ikke give eller fjerne rollen %(role)s.", role=label) if label
                                      else _l("Vælg kun blandt de viste roller."))


class EmployeeForm(Form):
    name = StringField(_l("Navn"), validators=[DataRequired(REQUIRED), Length(max=160)])
    email = EmailField(_l("E-mail (login)"), validators=[DataRequired(REQUIRED), Length(max=254),
                                                        Email(_l("Skriv en gyldig e-mailadresse."))])
    employment_type = SelectField(_l("Ansættelsesform"),
                                  choices=choices((k.value, v) for k, v in EMPLOYMENT_LABELS.items()))
    profession = SelectField(_l("Faggruppe"), choices=choices((k.value, v) for k, v in PROFESSION_LABELS.items()))
    is_skilled = BooleanField(_l("Faglært"))
    agency = StringField(_l("Vikarbureau"), validators=[Length(max=160)],
                         description=_l("Kun for vikarer fra bureau: hvilket bureau vikaren kommer fra."))
    hired_on = DateField(_l("Ansat fra"), validators=[DataRequired(BAD_DATE)])
    left_on = DateField(_l("Fratrådt den"), validators=[Optional()])
    departments = MultiCheckboxField(_l("Afdeling(er)"), coerce=int)
    roles = RolesField(_l("Roller"))
    resource_functions = TextAreaField(
        _l("Ressourcepersonfunktioner (én pr. linje)"), validators=[Length(max=2000)],
        description=_l("F.eks. konflikthåndteringsvejleder, DKM, forflytningsinstruktør."))
    submit = SubmitField(_l("Gem"))

    def __init__(self, *args, person: User | None = None, home_id: int, departments=(), grantable=(),
                 actor: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._person = person
        self._home_id = home_id
        self.departments.choices = choices((d.id, d.name) for d in departments)
        self.roles.choices = choices((role, ROLE_LABELS[role]) for role in grantable)
        #: Roles the person holds that the form does not offer: they stay as they are.
        self.kept_roles = sorted(set(person.roles if person is not None else ()) - set(grantable))
        self._is_self = person is not None and actor is not None and person.id == actor.id
        #: What a request sent for a roles field the form does not have (one's own roles): refused in validate().
        self._unoffered_roles = list(self.roles.data or []) if not grantable else []
        if not grantable:
            del self.roles

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self._unoffered_roles and set(self._unoffered_roles) != set(self.kept_roles):
            self.form_errors.append(_l("Du kan ikke ændre dine egne roller.") if self._is_self
                                    else _l("Du kan ikke give eller fjerne roller."))
            return False
        return valid

    def wanted_roles(self) -> set[str]:
        """The roles the person should hold after saving: the ticked ones and those the form did not offer."""
        ticked = set(self.roles.data or []) if "roles" in self else set()
        return ticked | set(self.kept_roles)

    def validate_email(self, field):
        email = (field.data or "").strip().lower()
        query = select(User.id).where(func.lower(User.email) == email)
        if self._person is not None:
            query = query.where(User.id != self._person.id)
        if db.session.scalar(query) is not None:
            raise ValidationError(_l("Der findes allerede en person med den e-mail."))

    def validate_departments(self, field):
        if not field.data:
            raise ValidationError(_l("Vælg mindst én afdeling."))

    def validate_left_on(self, field):
        if field.data and self.hired_on.data and field.data < self.hired_on.data:
            raise ValidationError(_l("Fratrædelsesdatoen kan ikke ligge før ansættelsesdatoen."))

    def resource_topics(self) -> list[str]:
        seen: list[str] = []
        for line in (self.resource_functions.data or "").splitlines():
            topic = " ".join(line.split())[:160]
            if topic and topic not in seen:
                seen.append(topic)
        return seen


class LeaveForm(Form):
    left_on = DateField(_l("Fratrådt den"), validators=[DataRequired(BAD_DATE)])
    submit = SubmitField(_l("Registrér fratrædelse"))


class DepartmentForm(Form):
    name = StringField(_l("Afdelingens navn"), validators=[DataRequired(REQUIRED), Length(max=120)])
    methods = TextAreaField(_l("Faglige tilgange og metoder (én pr. linje)"), validators=[Length(max=4000)])
    submit = SubmitField(_l("Gem afdeling"))

    def method_names(self) -> list[str]:
        names: list[str] = []
        for line in (self.methods.data or "").splitlines():
            name = " ".join(line.split())[:120]
            if name and name.casefold() not in [n.casefold() for n in names]:
                names.append(name)
        return names


class HomeSettingsForm(Form):
    name = StringField(_l("Tilbuddets navn"), validators=[DataRequired(REQUIRED), Length(max=120)])
    wish_deadline_day = IntegerField(_l("Frist for kursusønsker: dag"), validators=[DataRequired(), NumberRange(1, 28)])
    wish_deadline_month = IntegerField(_l("Frist for kursusønsker: måned"),
                                       validators=[DataRequired(), NumberRange(1, 12)])
    temp_meeting_first = IntegerField(_l("Vikarmøde 1 (måned)"), validators=[DataRequired(), NumberRange(1, 12)])
    temp_meeting_second = IntegerField(_l("Vikarmøde 2 (måned)"), validators=[DataRequired(), NumberRange(1, 12)])
    contact_team_min = IntegerField(_l("Mindste antal i et kontaktteam"), validators=[DataRequired(),
                                                                                      NumberRange(1, 10)])
    plan_interval_months = IntegerField(_l("Opfølgning på individuel plan (måneder)"),
                                        validators=[DataRequired(), NumberRange(1, 24)])
    physio_interval_months = IntegerField(_l("Opfølgning på fysioterapeutisk plan (måneder)"),
                                          validators=[DataRequired(), NumberRange(1, 24)])
    first_talk_months = IntegerField(
        _l("Første MU/LU-samtale: måneder efter ansættelsen (højst 12)"),
        validators=[Optional(),
                    NumberRange(1, 12, _l("Den første samtale skal holdes 1–12 måneder efter ansættelsen; "
                                          "retningslinjen siger en samtale om året."))])
    quality_green = IntegerField(_l("Grøn fra (%)"), validators=[DataRequired(), NumberRange(1, 100)])
    quality_yellow = IntegerField(_l("Gul fra (%)"), validators=[DataRequired(), NumberRange(1, 100)])
    framework_agency = StringField(
        _l("Vikarbureau med rammeaftale"), validators=[Length(max=160)],
        description=_l("Vikarer fra et andet bureau får bureauets ekstra bekræftelser på deres tjekliste."))
    submit = SubmitField(_l("Gem indstillinger"))

    def validate_temp_meeting_second(self, field):
        if field.data == self.temp_meeting_first.data:
            raise ValidationError(_l("Vælg to forskellige måneder."))

    def validate_quality_yellow(self, field):
        if self.quality_green.data is not None and field.data is not None and field.data > self.quality_green.data:
            raise ValidationError(_l("Gul skal være lavere end grøn."))
