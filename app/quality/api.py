"""Read-only JSON and CSV of a home's indicators for the region's BI tools, behind a per-home API key.

The key goes in an `Authorization: Bearer <key>` header, and only there: a key in the URL ends up in access
logs, proxy logs and browser histories.
Every refusal is a short JSON error with no data: 401 for a missing, unknown or revoked key, 404 for a
department that is not the key's home's, 400 for a malformed or future month.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, jsonify, request

from app import clock
from app import exports as spreadsheet
from app.extensions import db
from app.params import parse_id
from app.quality import bp, services, themes
from app.quality.services import QualityError

FORMATS = ("json", "csv")
#: At most this many months of history in one request.
MAX_MONTHS = 120


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _error(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="kvalitetsovervaagning"'
    return response


def _home():
    header = request.headers.get("Authorization", "")
    raw = header[7:].strip() if header.lower().startswith("bearer ") else None
    token = services.token_for(raw)
    if token is None:
        raise ApiError(401, "Ugyldig eller tilbagekaldt API-nøgle.")
    if token.note_use():
        db.session.commit()
    from app.people.models import Home

    return db.session.get(Home, token.home_id)


def _department(home):
    raw = request.args.get("department", "").strip()
    if not raw:
        return None
    department_id = parse_id(raw)
    if department_id is None:
        raise ApiError(404, "Afdelingen findes ikke.")
    try:
        return services.department_of(home, department_id)
    except QualityError as error:
        raise ApiError(404, "Afdelingen findes ikke.") from error


def _month(name: str, today: date) -> date | None:
    try:
        return services.parse_month(request.args.get(name), today)
    except QualityError as error:
        raise ApiError(400, str(error)) from error


def _csv(columns: list[str], rows: list[dict], filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else spreadsheet.cell(row[c]) for c in columns])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _respond(fmt: str, payload: dict, columns: list[str], filename: str) -> Response:
    response = jsonify(payload) if fmt == "json" else _csv(columns, payload["rows"], filename)
    response.headers["Cache-Control"] = "no-store"
    return response


CURRENT_COLUMNS = ["on", "department_id", "department", "key", "title", "guideline", "theme", "theme_title",
                   "criterion", "met", "total", "share", "light"]
HISTORY_COLUMNS = ["month", "department_id", "department", "key", "title", "theme", "theme_title", "criterion", "met",
                   "total", "share", "measured_on"]


def _theme(placed: dict, key: str) -> dict:
    """The indicator's place in Socialtilsynet's quality model today (None for one without a theme)."""
    placement = placed.get(key)
    return {"theme": placement.theme if placement else None,
            "theme_title": placement.theme_title if placement else None,
            "criterion": placement.criterion if placement else None}


@bp.get("/api/current.<fmt>")
def api_current(fmt: str):
    """Today's figure for every indicator, for the home or ?department=<id>."""
    if fmt not in FORMATS:
        return _error(404, "Formatet findes ikke; brug .json eller .csv.")
    try:
        home = _home()
        department = _department(home)
    except ApiError as error:
        return _error(error.status, error.message)
    today = clock.today()
    placed = themes.placements(home)
    rows = [
        {"on": today.isoformat(), "department_id": department.id if department else None,
         "department": department.name if department else None, "key": row.key, "title": row.title,
         "guideline": row.indicator.guideline_slug, **_theme(placed, row.key),
         "met": row.result.met if row.result else None,
         "total": row.result.total if row.result else None, "share": row.share, "light": row.light}
        for row in services.evaluate(home, department.id if department else None, today)
    ]
    payload = {"home": home.name, "home_id": home.id, "on": today.isoformat(), "rows": rows}
    return _respond(fmt, payload, CURRENT_COLUMNS, f"kvalitet-{today}.csv")


@bp.get("/api/history.<fmt>")
def api_history(fmt: str):
    """Stored monthly snapshots, ?from=YYYY-MM&to=YYYY-MM (default the last 12 months), for the home, one
    ?department=<id>, or every scope with ?department=all."""
    if fmt not in FORMATS:
        return _error(404, "Formatet findes ikke; brug .json eller .csv.")
    today = clock.today()
    try:
        home = _home()
        every = request.args.get("department", "").strip() == "all"
        department = None if every else _department(home)
        last = _month("to", today) or services.first_of_month(today)
        first = _month("from", today) or services.months_back(last)[0]
    except ApiError as error:
        return _error(error.status, error.message)
    if first > last:
        return _error(400, "Startmåneden ligger efter slutmåneden.")
    if (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
        return _error(400, f"Højst {MAX_MONTHS} måneder ad gangen.")
    names = {d.id: d.name for d in home.departments}
    scope = None if every else (department.id if department else 0)
    placed = themes.placements(home)
    rows = [
        {"month": s.month_on.strftime("%Y-%m"), "department_id": s.department_id,
         "department": names.get(s.department_id) if s.department_id else None, "key": s.indicator_key,
         "title": s.title, **_theme(placed, s.indicator_key), "met": s.met, "total": s.total, "share": s.share,
         "measured_on": s.measured_on.isoformat()}
        for s in services.history(home, scope, first, last)
    ]
    payload = {"home": home.name, "home_id": home.id, "from": first.strftime("%Y-%m"), "to": last.strftime("%Y-%m"),
               "rows": rows}
    return _respond(fmt, payload, HISTORY_COLUMNS, f"kvalitet-historik-{first:%Y-%m}-{last:%Y-%m}.csv")
