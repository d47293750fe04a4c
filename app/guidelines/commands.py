"""`flask guidelines import|export`: the guideline files in and out of the database."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import select

from app.extensions import db
from app.guidelines import bp
from app.guidelines.importer import DocumentError, export_to, import_documents, read_documents
from app.guidelines.services import guideline_records_for_home
from app.people.models import Home


def _homes(name: str | None) -> list[Home]:
    query = select(Home).order_by(Home.id)
    if name:
        query = query.where(Home.name == name)
    homes = list(db.session.scalars(query))
    if not homes:
        raise click.ClickException(f"No home is called {name!r}." if name else (
            "The database has no home yet: run `flask setup` first (see the README)."))
    return homes


@bp.cli.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--home", "home_name", help="Import into this home only (its name); default every home.")
@click.option("--minor", is_flag=True, help="Changed documents are minor changes: confirmations carry over.")
def import_command(paths: tuple[Path, ...], home_name: str | None, minor: bool) -> None:
    """Validate every guideline file under PATHS (default guidelines/) and import them in one transaction."""
    homes = _homes(home_name)
    try:
        documents = read_documents(list(paths) or [Path("guidelines")])
    except DocumentError as error:
        for message in error.errors:
            click.echo(f"ERROR {message}", err=True)
        raise click.ClickException(f"{len(error.errors)} error(s); nothing was imported.") from error
    try:
        counts = import_documents(documents, homes, significant=not minor)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    click.echo(f"{len(documents)} document(s) read: {counts['created']} created, {counts['updated']} new version(s), "
               f"{counts['unchanged']} unchanged.")


@bp.cli.command("export")
@click.argument("path", type=click.Path(path_type=Path), default=Path("guidelines-export"))
@click.option("--home", "home_name", help="The home whose guidelines (local and regional) to export.")
def export_command(path: Path, home_name: str | None) -> None:
    """Write the published version of every guideline of a home (default the first) to PATH as Markdown."""
    home = _homes(home_name)[0]
    written = export_to(path, guideline_records_for_home(home))
    click.echo(f"{len(written)} guideline(s) written to {path}.")
