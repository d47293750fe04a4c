"""The shared form helpers: the fast checkbox list writes exactly what WTForms' own widgets would, and every
text field of every form refuses control characters."""

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, Form, FormField, StringField, TextAreaField
from wtforms.widgets import ListWidget

from app.forms import Form as AppForm  # the app's base form, beside WTForms' own Form
from app.forms import MultiCheckboxField, choices


class _People(Form):
    people = MultiCheckboxField("Deltagere", coerce=int)


@pytest.mark.parametrize("picked", [[], [2], [1, 3]])
def test_checkbox_list_matches_the_wtforms_markup(picked):
    form = _People(MultiDict([("people", str(p)) for p in picked]))
    form.people.choices = choices([(1, "Åse <Ø>"), (2, 'Bo "B" & co'), (3, "Carl")])
    fast = str(form.people(**{"aria-describedby": "hint"}))
    general = str(ListWidget(prefix_label=False)(form.people, **{"aria-describedby": "hint"}))
    assert fast == general
    assert fast.count(" checked ") == len(picked)
    assert "&lt;Ø&gt;" in fast and "&#34;B&#34; &amp; co" in fast


class _Line(Form):
    text = StringField()


class _Page(AppForm):
    class Meta:
        csrf = False

    title = StringField()
    body = TextAreaField()
    lines = FieldList(FormField(_Line), min_entries=1)


def _errors(app, **data):
    with app.test_request_context(method="POST", data=data):
        form = _Page()
        form.validate()
        return dict(form.errors)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f"])
def test_control_characters_are_refused_in_every_text_field(app, char):
    errors = _errors(app, title=f"Kursus{char}", body=f"Linje{char}", **{"lines-0-text": f"a{char}"})
    assert set(errors) == {"title", "body", "lines"}
    assert "usynlige kontroltegn" in str(errors["title"][0])


def test_long_text_keeps_tab_and_newlines_and_one_line_text_does_not(app):
    assert _errors(app, title="Kursus", body="Linje 1\r\n\tLinje 2\n", **{"lines-0-text": "ok"}) == {}
    assert set(_errors(app, title="Kur\tsus", **{"lines-0-text": "a\nb"})) == {"title", "lines"}
    assert _errors(app, title="Æble ~ ÿ", body="€ – “ok”") == {}  # printable text at the edges of the ranges


def test_every_form_of_the_app_is_an_app_form(app):
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    forms = [cls for cls in subclasses(FlaskForm) if cls.__module__.startswith("app.")]
    assert len(forms) > 30
    assert [cls.__qualname__ for cls in forms if not issubclass(cls, AppForm)] == []
