"""`flask setup`: the first home, its departments and the first person on an empty database."""

from __future__ import annotations

import click
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from app import clock
from app.audit.services import record
from app.cli import bp
from app.extensions import db
from app.people.constants import ROLE_LABELS, EmploymentType, Profession, Role
from app.people.models import Home, Region
from app.people.services import PeopleError, create_employee, save_department

FIRST_ROLES = {"head": Role.HEAD, "admin": Role.ADMIN}


def _split(values: tuple[str, ...]) -> list[str]:
    """Department names from repeated options and/or comma-separated lists, tidied, without repeats."""
    names: list[str] = []
    for value in values:
        for part in value.split(","):
            name = " ".join(part.split())
            if name and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
    return names


def _email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="--email") from error


@bp.cli.command("setup")
@click.option("--region", "region_name", help="The region the home belongs to.")
@click.option("--home", "home_name", help="The home's name.")
@click.option("--department", "departments", multiple=True,
              help="A department (afdeling); repeat the option or separate names with commas.")
@click.option("--name", "person_name", help="The first person's name.")
@click.option("--email", help="The first person's e-mail.")
@click.option("--role", type=click.Choice(sorted(FIRST_ROLES)), default="head", show_default=True,
              help="head: tilbudsleder; admin: technical administrator.")
def setup(region_name: str | None, home_name: str | None, departments: tuple[str, ...], person_name: str | None,
          email: str | None, role: str) -> None:
    """Create the first home, its departments and its first head or administrator, who gets a one-time start
    code. Refuses a database that already has a home. Every option can be given, for scripts; missing ones
    are asked for."""
    if db.session.scalar(select(func.count(Home.id))):
        raise click.ClickException("The database already has a home; nothing was changed. "
                                   "Add departments and people in the app (Organisation).")
    # Asked only now, so nobody types it all in to be refused.
    region_name = region_name or click.prompt("Region (sektor)")
    home_name = home_name or click.prompt("Name of the home (tilbud)")
    names = _split(departments) or _split((click.prompt("Departments (separated by commas)"),))
    person_name = person_name or click.prompt("First person's full name")
    email = email or click.prompt("First person's e-mail (the login)")
    region_name, home_name, person_name = (" ".join(v.split()) for v in (region_name, home_name, person_name))
    if not (region_name and home_name and person_name and names):
        raise click.ClickException("Region, home, at least one department and the person's name are all needed.")
    email = _email(email)

    region = db.session.scalar(select(Region).where(Region.name == region_name)) or Region(name=region_name)
    home = Home(region=region, name=home_name, settings={})
    db.session.add(home)
    db.session.flush()
    record("org.home_created", home, summary=home.name, home_id=home.id)
    try:
        created = [save_department(home, None, name, []) for name in names]
        person, start_code = create_employee(home, {
            "name": person_name, "email": email, "employment_type": EmploymentType.PERMANENT,
            "profession": Profession.OTHER, "is_skilled": False, "hired_on": clock.today(),
            "departments": [d.id for d in created],
        }, [], clock.today(), roles=set(), actor=None)
        # The first person has nobody to be granted a role by: the operator grants it here, and it is audited
        # like every other grant (people.grants for everyone after).
        first_role = FIRST_ROLES[role]
        person.set_roles({first_role})
        db.session.flush()
        record("people.role_granted", person, summary=f"{ROLE_LABELS[first_role]}: {person.name}", role=first_role,
               departments=None, by="flask setup")
    except PeopleError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created the home {home.name!r} in {region.name!r} with {len(created)} department(s): "
               + ", ".join(d.name for d in created) + ".")
    click.echo(f"First login: {person.email} ({role}). One-time start code (shown only now): {start_code}")
    click.echo("They choose their own password at first login. Next: flask --app wsgi guidelines import guidelines/")
