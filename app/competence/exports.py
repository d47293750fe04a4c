"""The competence pages' spreadsheets (wishes, the distribution); tables and files are app/exports.py's."""

from __future__ import annotations

from decimal import Decimal

from app.exports import Table, respond  # noqa: F401 - the competence routes call exports.respond
from app.web import dadate


def wish_table(wishes, title: str) -> Table:
    table = Table(title, ["Afdeling", "Medarbejder", "Type", "Ønske", "Udbyder", "Pris (kr.)", "Dage", "Timer",
                          "Metoder", "Ansvarsområder", "Begrundelse", "Prioritet", "Indsendt", "For sent",
                          "Udfald"])
    total = Decimal("0")
    for wish in wishes:
        total += wish.cost
        table.rows.append([
            wish.department.name, wish.user.name if wish.user else "Afdelingens ønske", wish.kind_label, wish.title,
            wish.provider, wish.cost, wish.days, wish.hours, ", ".join(m.name for m in wish.methods),
            wish.responsibility_areas, wish.reason, wish.priority, dadate(wish.submitted_at, "short"),
            "Ja" if wish.is_late else "Nej", wish.outcome_label if wish.outcome else ""])
    table.totals = ["I alt", f"{len(table.rows)} ønsker", "", "", "", total] + [""] * 9
    return table


def distribution_table(dist, departments_by_id: dict) -> Table:
    table = Table(f"Fordeling {dist.year} rev. {dist.revision}",
                  ["Kategori", "Afdeling", "Titel", "Supervisor", "Sessioner", "Timer", "Udfald", "Beløb (kr.)",
                   "Bemærkning"])
    from app.competence.models import OUTCOME_LABELS

    for line in dist.lines:
        department = departments_by_id.get(line.department_id)
        table.rows.append([line.category_label, department.name if department else "Hele tilbuddet", line.title,
                           line.supervisor, line.sessions, line.hours, OUTCOME_LABELS.get(line.wish_outcome or "", ""),
                           line.amount, line.note])
    table.rows.append([])
    table.rows.append(["Ramme", "", "", "", "", "", "", dist.budget, ""])
    table.rows.append(["Rest", "", "", "", "", "", "", dist.remaining, ""])
    table.totals = ["I alt", "", "", "", "", "", "", dist.total, ""]
    return table
