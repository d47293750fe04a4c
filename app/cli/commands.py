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


def backup_dir() -> Path:
    """Where backups go: KP_BACKUP_DIR, else backups/ in the instance folder."""
    from flask import current_app

    return Path(current_app.config.get("BACKUP_DIR") or Path(current_app.instance_path) / "backups")


@bp.cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--verify", is_flag=True,
              help="Do not back up: restore PATH into a scratch database and compare the row counts.")
def backup(path: Path | None, verify: bool) -> None:
    """Write every record to a backup file, mode 0600 (default: KP_BACKUP_DIR/kompetenceportalen-<time>.json.gz).

    Login sessions are left out, so after a restore everybody logs in again.
    """
    from app.cli.backup import BackupError, verify_backup, write_backup

    if verify:
        if path is None or not path.is_file():
            raise click.UsageError("--verify needs the backup file to check")
        try:
            problems = verify_backup(path)
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        for problem in problems:
            click.echo(f"Mismatch: {problem}", err=True)
        if problems:
            raise click.ClickException(f"{path} did not verify: {len(problems)} table(s) differ; do not rely on it")
        click.echo(f"{path} verified: it restores into a scratch database with every table's row count intact.")
        return
    if path is None:
        stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
        path = backup_dir() / f"kompetenceportalen-{stamp}.json.gz"
    counts = write_backup(path)
    click.echo(f"Wrote {sum(counts.values())} records from {len(counts)} tables to {path}")


@bp.cli.group("cache")
def cache_group() -> None:
    """The cache of derived data (app/cache.py)."""


@cache_group.command("reset")
def cache_reset() -> None:
    """Make every running server drop its cached data: run after pg_restore or a change made directly in SQL."""
    from app import cache

    with db.engine.begin() as connection:
        cache.new_epoch(connection)
    cache.clear()
    click.echo("New cache epoch written; every server recomputes on its next request.")


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
