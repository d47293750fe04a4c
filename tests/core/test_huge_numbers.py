"""Numbers too large for an id column, in a path or a query parameter, answer 404 or 400 on every route and
never reach the database (where SQLite raises OverflowError and PostgreSQL NumericValueOutOfRange): one URL
converter and one query helper, app/params.py."""

from __future__ import annotations

import re

import pytest
from werkzeug.routing import IntegerConverter

from app.params import MAX_ID, BoundedIntConverter
from tests.core.test_fuzz import _crawl

HUGE = "99999999999999999999"
#: Every integer query parameter a page reads (app.params.int_arg), and the hand-checked ?afdeling=/?department=.
QUERY_INTS = ("aar", "afdeling", "for", "barn", "side", "fra", "til", "person", "department")
_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
ROLES = ("head", "admin", "employee")


def _int_routes(app):
    for rule in app.url_map.iter_rules():
        if any(isinstance(conv, IntegerConverter) for conv in rule._converters.values()):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def _url(rule, number: str) -> str:
    def fill(match):
        converter, name = match.groups()
        return number if converter == "int" else "x"

    return _ARGUMENT.sub(fill, rule.rule)


def test_the_converter_is_used_by_every_int_route(app):
    routes = list(_int_routes(app))
    assert len(routes) > 30
    assert not [rule.rule for rule, _ in routes
                if not all(isinstance(c, BoundedIntConverter) for c in rule._converters.values()
                           if isinstance(c, IntegerConverter))]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("number", [HUGE, str(MAX_ID + 1)], ids=["20 digits", "max+1"])
def test_a_huge_id_in_the_path_is_not_found(app, demo, make_client, role, number):
    client = make_client(role)
    for rule, method in _int_routes(app):
        response = client.open(_url(rule, number), method=method)
        assert response.status_code == 404, (method, rule.rule, response.status_code)


def test_the_largest_id_a_column_holds_is_looked_up_and_not_found(app, demo, make_client):
    client = make_client("head")
    for rule, method in _int_routes(app):
        response = client.open(_url(rule, str(MAX_ID)), method=method)
        assert response.status_code < 500, (method, rule.rule)


@pytest.mark.parametrize("role", ["head", "leader"])
def test_a_huge_number_in_a_query_parameter_is_refused_on_every_page(app, demo, make_client, role):
    client = make_client(role)
    _forms, pages = _crawl(app, client)
    refused = 0
    for page in sorted(pages):
        joiner = "&" if "?" in page else "?"
        for name in QUERY_INTS:
            response = client.get(f"{page}{joiner}{name}={HUGE}")
            assert response.status_code < 500, (page, name)
            refused += response.status_code in (400, 404)
    assert refused > 10


def test_int_arg_boundaries(app, demo, make_client):
    client = make_client("head")
    assert client.get(f"/people/?side={MAX_ID}").status_code == 200
    assert client.get(f"/people/?side={MAX_ID + 1}").status_code == 400
    assert client.get("/people/?side=-1").status_code == 400
    assert client.get("/people/?side=").status_code == 200
    assert client.get(f"/quality/?afdeling={HUGE}").status_code == 404
