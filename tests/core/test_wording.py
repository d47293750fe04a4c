"""One word for one thing across the UI, and Danish possessives (issue 17)."""

import re
from pathlib import Path

import pytest
from flask import render_template_string

APP = Path(__file__).resolve().parents[2] / "app"

# Term the UI settled on -> spellings it replaced.
BANNED = {
    "Rediger": [r"Redigér", r"[>'\"]Ret[<'\" ]"],
    "Udsat": [r"Udskudt", r"udskudt"],
    "introduktion (the guideline's word)": [r"(?<!introduktion og )[Oo]plæring"],
}


def _ui_files():
    for path in APP.rglob("*"):
        if path.suffix in (".html", ".py") and path.is_file():
            yield path


@pytest.mark.parametrize("term", BANNED)
def test_the_ui_uses_one_word(term):
    found = []
    for path in _ui_files():
        text = path.read_text(encoding="utf-8")
        for pattern in BANNED[term]:
            for match in re.finditer(pattern, text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(APP)}:{line}: {match.group(0)!r}")
    assert not found, f"use {term}: " + "; ".join(found)


@pytest.mark.parametrize(("name", "expected"), [
    ("Jens", "Jens'"), ("Max", "Max'"), ("Schultz", "Schultz'"), ("Lars Hansen", "Lars Hansens"),
    ("Anne", "Annes"), ("JENS", "JENS'"), ("Skoven", "Skovens"), ("", ""), (None, ""),
])
def test_genitive_filter(app, name, expected):
    with app.test_request_context():
        assert render_template_string("{{ name|genitive }}", name=name) == expected.replace("'", "&#39;")
