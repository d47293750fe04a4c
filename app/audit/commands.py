"""`flask audit export`: the audit trail as JSON lines, for the region's log system."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

import click
from sqlalchemy import select

from app import clock
from app.audit import bp
from app.audit.models import AuditEntry
from app.extensions import db

BATCH = 1000


def entry_line(entry: AuditEntry) -> str:
    """One entry as one JSON object: ids and the action, the same fields the audit page shows."""
    return json.dumps({
        "id": entry.id, "at": entry.at.isoformat(), "home_id": entry.home_id, "actor_id": entry.actor_id,
        "action": entry.action, "object_type": entry.object_type, "object_id": entry.object_id,
        "summary": entry.summary, "detail": entry.detail or {},
    }, ensure_ascii=False, sort_keys=True, default=str)


@bp.cli.command("export")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
              help="First day to export (YYYY-MM-DD, Copenhagen time), inclusive.")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write; default standard output.")
def export(since: datetime, output) -> None:
    """Write every audit entry from --since on as JSON lines, oldest first."""
    start = datetime.combine(date(since.year, since.month, since.day), time.min, clock.TZ).astimezone(UTC)
    last_id, count = 0, 0
    while True:
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.at >= start, AuditEntry.id > last_id)
            .order_by(AuditEntry.id).limit(BATCH)
        ).all()
        if not entries:
            break
        for entry in entries:
            output.write(entry_line(entry) + "\n")
        count += len(entries)
        last_id = entries[-1].id
        db.session.expunge_all()
    click.echo(f"{count} audit entries since {since:%Y-%m-%d}.", err=True)
