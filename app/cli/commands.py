"""Top-level flask commands: the demo data set, backup and restore (`flask setup` is in app/cli/setup.py)."""

import random
import time
from pathlib import Path

import click
from sqlalchemy import func, select

from app import clock
from app.cli import bp
from app.cli import setup as _setup  # noqa: F401 - registers `flask setup`
from app.extensions import db
from app.hooks import demo_loaders
from app.people.demo import DEMO_LOGINS, DEMO_PASSWORD, build
from app.people.models import Home


@bp.cli.command("demo")
@click.option("--scale", type=click.Choice(["home", "region"]), default="home",
              help="home: the demo home of ~50 people; region: 5 homes and ~3,000 people for benchmarks.")
@click.option("--seed", type=int, default=2026, show_default=True)
def demo(scale: str, seed: int) -> None:
    """Load the demo home "Specialbørnehjemmene" into an empty database."""
    if db.session.scalar(select(func.count(Home.id))):
        click.echo("The database already has data; the demo was not loaded.")
        return
    started = time.perf_counter()
    today = clock.today()
    homes = build(scale, today, seed)
    rng = random.Random(seed)  # nosec B311  # demo data, not security
    for loader in demo_loaders():
        for home in homes:
            loader(home, rng, scale)
            db.session.flush()
    db.session.commit()
    click.echo(f"Loaded {len(homes)} home(s) at scale '{scale}' in {time.perf_counter() - started:.1f} s.")
    click.echo(f"Demo logins (password {DEMO_PASSWORD}):")
    for email, role in DEMO_LOGINS:
        click.echo(f"  {email:<26} {role}")


@bp.cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False)
def backup(path: Path | None) -> None:
    """Write every record to a backup file (default: instance/backups/kompetenceportalen-<time>.json.gz)."""
    from flask import current_app

    from app.cli.backup import write_backup

    if path is None:
        stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
        path = Path(current_app.instance_path) / "backups" / f"kompetenceportalen-{stamp}.json.gz"
    counts = write_backup(path)
    click.echo(f"Wrote {sum(counts.values())} records from {len(counts)} tables to {path}")


@bp.cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Empty a database that already has data before restoring.")
def restore(path: Path, replace: bool) -> None:
    """Restore a backup file into this database (run `flask db upgrade` on a new database first)."""
    from app.cli.backup import BackupError, restore_backup

    try:
        counts = restore_backup(path, replace=replace)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {sum(counts.values())} records into {len(counts)} tables from {path}")
