"""The shared form helpers: the fast checkbox list writes exactly what WTForms' own widgets would."""

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.widgets import ListWidget

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
