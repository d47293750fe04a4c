"""The forms of the guideline library: editing a draft and recording a review without changes."""

from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import AppForm, choices
from app.people.constants import AUDIENCE_LABELS


class DraftForm(AppForm):
    title = StringField("Titel", validators=[DataRequired("Skriv en titel."), Length(max=200)])
    standard = StringField("Standard", validators=[DataRequired("Skriv standarden."), Length(max=120)])
    scope = TextAreaField("Anvendelsesområde", validators=[DataRequired("Skriv anvendelsesområdet.")])
    revision_responsible = SelectField("Revisionsansvarlig", choices=choices(AUDIENCE_LABELS.items()))
    body = TextAreaField("Tekst (Markdown)", validators=[DataRequired("Retningslinjen skal have en tekst.")],
                         render_kw={"rows": 24})
    change_note = TextAreaField("Hvad er ændret og hvorfor", validators=[Optional(), Length(max=2000)],
                                render_kw={"rows": 3})
    is_significant = BooleanField("Væsentlig ændring (alle i målgruppen skal bekræfte igen)")
    draft_id = HiddenField()
    lock_version = HiddenField()

    def hidden_int(self, field) -> int | None:
        try:
            return int(field.data) if field.data else None
        except (TypeError, ValueError):
            return None


class ReviewForm(AppForm):
    note = TextAreaField("Bemærkning", validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
