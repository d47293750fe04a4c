"""No form answers in English: WTForms' own messages come from app/wtforms_da.py, for every form in the app."""

import inspect
import re
from pathlib import Path

import pytest
import wtforms
from werkzeug.datastructures import MultiDict
from wtforms import SelectFieldBase

from app.forms import Form, SubForm
from app.wtforms_da import MESSAGES, PLURALS, TRANSLATIONS

POT = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"
#: Words that only an English message would hold.
ENGLISH = re.compile(r"\b(field|must|valid|invalid|choice|required|number|value|token|characters?)\b", re.I)


def _catalogue():
    """(msgid, msgid_plural or None) for every message in WTForms' template catalogue."""
    text = POT.read_text(encoding="utf-8")
    found = []
    for block in text.split("\n\n"):
        single = re.search(r'^msgid "(.+)"$', block, re.M)
        plural = re.search(r'^msgid_plural "(.+)"$', block, re.M)
        if single:
            found.append((single.group(1).replace('\\"', '"'), plural.group(1) if plural else None))
    return found


def _all_forms():
    seen, todo = [], list(wtforms.Form.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.append(cls)
            todo.extend(cls.__subclasses__())
    return [cls for cls in seen if cls.__module__.startswith("app.")]


def test_every_wtforms_message_has_a_danish_text():
    catalogue = _catalogue()
    assert len(catalogue) >= 39  # the parser really read the catalogue
    for msgid, plural in catalogue:
        if plural is None:
            assert msgid in MESSAGES, msgid
            assert TRANSLATIONS.gettext(msgid) != msgid
        else:
            assert (msgid, plural) in PLURALS, msgid
            assert TRANSLATIONS.ngettext(msgid, plural, 1) != msgid
            assert TRANSLATIONS.ngettext(msgid, plural, 2) != plural


def test_placeholders_are_kept():
    for msgid, danish in MESSAGES.items():
        assert sorted(re.findall(r"%\(\w+\)\w|%s", msgid)) == sorted(re.findall(r"%\(\w+\)\w|%s", danish)), msgid


def test_every_form_in_the_app_uses_the_danish_messages(app):
    forms = _all_forms()
    assert len(forms) > 20
    assert [cls.__qualname__ for cls in forms if not issubclass(cls, (Form, SubForm))] == []


@pytest.mark.parametrize("value", ["", "x", "-1", "99999999999999999999", "2026-02-30", "1e9"])
def test_no_form_answers_in_english(app, value):
    """Every form, posted with every field empty or holding a wrong type, answers only in Danish."""
    checked = 0
    with app.test_request_context("/", method="POST"):
        app.config["WTF_CSRF_ENABLED"] = False
        try:
            for cls in _all_forms():
                required = {name: 0 for name, parameter in inspect.signature(cls.__init__).parameters.items()
                            if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty}
                form = cls(formdata=None, **required)
                data = MultiDict((field.name, value) for field in form)
                form = cls(formdata=data, **required)
                for field in form:
                    if isinstance(field, SelectFieldBase) and getattr(field, "choices", None) is None:
                        field.choices = []
                form.validate()
                messages = [str(m) for errors in form.errors.values() for m in
                            (errors if isinstance(errors, list) else [errors])]
                english = [m for m in messages if ENGLISH.search(m)]
                assert english == [], f"{cls.__qualname__}: {english}"
                checked += 1
        finally:
            app.config["WTF_CSRF_ENABLED"] = True
    assert checked == len(_all_forms())
