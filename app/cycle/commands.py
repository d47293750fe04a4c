"""`flask reminders send`: the daily e-mail reminders (run it once a day from cron)."""

import click
from flask import current_app

from app.cycle import bp
from app.cycle.reminders import CLAIM_LEASE, outbox_dir, send_reminders


@bp.cli.command("send")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Send as if today were this day (YYYY-MM-DD); default: today in Europe/Copenhagen.")
def send(on) -> None:
    """Send today's reminders: 14 days and 1 day before each duty, weekly while it is overdue.

    Safe to run more than once a day or on several servers: a reminder is marked sent only once the SMTP
    server accepted it, and each person gets at most one e-mail a day. A reminder that could not be sent
    goes out on the next run. Without SMTP_HOST the messages are written as .eml files to the outbox folder.
    """
    day = on.date() if on else None
    from app.competence.tilbudsplan import apply_all_method_decisions

    applied = apply_all_method_decisions(day)
    if applied:
        click.echo(f"Method decisions of published tilbudsplans taking effect: {applied}.")
    base_url = current_app.config.get("BASE_URL") or "http://localhost"
    with current_app.test_request_context("/", base_url=base_url):
        result = send_reminders(day)
    where = current_app.config.get("MAIL_SERVER") or str(outbox_dir())
    for line in result.errors:
        click.echo(line, err=True)
    click.echo(f"Reminders sent: {result.sent} (in {len(result.messages)} e-mails) via {where}; "
               f"already sent: {result.skipped}; failed: {result.failed}.")
    if result.held:
        click.echo(f"{result.held} people's reminders are being sent by another run, or by a run that stopped "
                   f"less than {CLAIM_LEASE.seconds // 60} minutes ago; a later run sends what is left.")
    if result.failed:
        raise SystemExit(1)
