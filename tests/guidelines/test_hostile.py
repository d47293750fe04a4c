"""Hostile values on every guideline form: never a 500, never unescaped markup."""

from __future__ import annotations

import pytest

HOSTILE = ["<script>fz(1)</script>", '"><img src=x onerror=fz(2)>', "javascript:fz(3)", "\x00\x01\x1b[31m",
           "A" * 5000, "-1", "99999999999999999999", "NaN", "", " ", "ÆØÅ æøå"]
FIELDS = ["title", "standard", "scope", "revision_responsible", "body", "change_note", "is_significant",
          "draft_id", "lock_version"]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_on_guideline_forms(app, demo, make_client, value):
    head = make_client("head")
    for field in FIELDS:
        data = {"title": "T", "standard": "S", "scope": "A", "revision_responsible": "head", "body": "B",
                field: value}
        response = head.post("/guidelines/mus-og-lus/edit", data=data)
        assert response.status_code < 500, (field, value)
        html = response.get_data(as_text=True)
        assert "<script>fz" not in html and "<img src=x onerror" not in html, (field, value)
    for url in ("/guidelines/mus-og-lus/review", "/guidelines/mus-og-lus/approve",
                "/guidelines/mus-og-lus/acknowledge"):
        response = head.post(url, data={"note": value})
        assert response.status_code < 500, url
    page = head.get("/guidelines/mus-og-lus/history").get_data(as_text=True)
    assert "<script>fz" not in page and "<img src=x onerror" not in page
