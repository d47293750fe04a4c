"""`flask quality snapshot`: store this month's figure for every indicator, home and department (for cron)."""

from __future__ import annotations

import click

from app import clock
from app.quality import bp, services
from app.quality.services import QualityError

bp.cli.short_help = "Kvalitetsovervågning: månedlige øjebliksbilleder af indikatorerne."


@bp.cli.command("snapshot")
@click.option("--month", "month", metavar="YYYY-MM", default=None,
              help="Back-fill a past month (measured on its last day); default: the current month, measured today.")
def snapshot(month: str | None) -> None:
    """Store one row per home × indicator × department (and the whole home) for the month. Safe to run again
    and from several machines at once: rows that exist are left as they are."""
    try:
        month_on = services.parse_month(month, clock.today())
        added = services.take_snapshots(month_on)
    except QualityError as error:
        raise click.ClickException(str(error)) from error
    label = (month_on or clock.today()).strftime("%Y-%m")
    click.echo(f"Quality snapshot {label}: {added} new row(s).")
