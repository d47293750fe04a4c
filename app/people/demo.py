"""The demo home (and a region-sized data set for benchmarks): departments, methods and people."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert
from werkzeug.security import generate_password_hash

from app import clock
from app.extensions import db
from app.people.constants import EmploymentType, Profession, Role
from app.people.models import Department, Home, Membership, Method, Region, ResourceFunction, User, UserRole

DEMO_PASSWORD = "demo1234"  # noqa: S105  # nosec B105  # documented demo login, loaded only by `flask demo`

FIRST_NAMES = ["Anne", "Bo", "Camilla", "Dorthe", "Emil", "Frida", "Gitte", "Hans", "Ida", "Jens", "Karen",
               "Lars", "Mette", "Niels", "Ole", "Pia", "Rasmus", "Signe", "Thomas", "Ulla", "Vibeke",
               "Ærenlund", "Øjvind", "Åse", "Zenia", "Søren", "Birthe", "Mads", "Louise", "Kasper"]
LAST_NAMES = ["Andersen", "Bech", "Christensen", "Dahl", "Eriksen", "Frandsen", "Hansen", "Jensen", "Kristensen",
              "Larsen", "Madsen", "Nielsen", "Olsen", "Pedersen", "Rasmussen", "Sørensen", "Thomsen", "Vestergaard",
              "Ærø", "Østergaard", "Ågård", "Zacho", "Holm", "Lund"]
DEPARTMENTS = [
    ("Skovbrynet", ["Neuropædagogik", "Low arousal", "Totalkommunikation"]),
    ("Fyrtårnet", ["KRAP", "TEACCH"]),
    ("Østerled", ["Neuropædagogik", "Marte Meo", "Low arousal", "Sansemotorik"]),
    ("Åbakken", ["TEACCH", "Totalkommunikation", "Low arousal"]),
]
RESOURCE_TOPICS = ["Konflikthåndteringsvejleder", "DKM (dokumentation)", "Forflytningsinstruktør",
                   "Sygepleje og medicin", "Fysioterapi", "Marte Meo-terapeut", "Neuropædagogik"]
SKILLED = {Profession.PAEDAGOG, Profession.SOSU_ASSISTANT, Profession.SOSU_HELPER, Profession.NURSE,
           Profession.PHYSIOTHERAPIST}

DEMO_LOGINS = [
    ("tilbudsleder@demo.dk", "Tilbudsleder"),
    ("afdelingsleder@demo.dk", "Afdelingsleder"),
    ("medarbejder@demo.dk", "Medarbejder"),
    ("vikar@demo.dk", "Tilkaldevikar"),
    ("minimed@demo.dk", "Mini-MED-medlem (TR)"),
    ("admin@demo.dk", "Administrator"),
]


class _Builder:
    """Collects people as plain rows and writes them with a few bulk inserts (the region has ~3,000)."""

    def __init__(self, home: Home, rng: random.Random, today: date, password_hash: str, email_domain: str):
        self.home, self.rng, self.today = home, rng, today
        self.password_hash, self.domain = password_hash, email_domain
        self.count = 0
        self.users: list[dict] = []
        self.memberships: list[tuple[str, Department]] = []
        self.roles: list[tuple[str, str]] = []
        self.resources: list[tuple[str, str]] = []

    def name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def person(self, departments, *, email=None, name=None, roles=(Role.EMPLOYEE,),
               employment=EmploymentType.PERMANENT, profession=None, hired_years=None, left_on=None,
               agency="") -> str:
        self.count += 1
        profession = profession or self.rng.choice(list(Profession))
        hired_days = int((hired_years if hired_years is not None else self.rng.uniform(0.1, 12)) * 365)
        email = email or f"person{self.count}@{self.domain}"
        user = {
            "home_id": self.home.id, "email": email, "name": name or self.name(),
            "password_hash": self.password_hash, "employment_type": employment, "profession": profession,
            # A trained temp is skilled too (the share of skilled staff counts everyone on the rota).
            "is_skilled": profession in SKILLED,
            "hired_on": self.today - timedelta(days=hired_days), "left_on": left_on, "is_disabled": False,
            "created_at": clock.now(), "version": 1, "agency": agency,
        }
        user["must_set_password"] = False  # apart, as bandit B105 takes a False under a password-named key for one
        self.users.append(user)
        self.memberships += [(email, d) for d in departments]
        self.roles += [(email, str(r)) for r in set(roles)]
        return email

    def resource(self, email: str, topic: str) -> None:
        self.resources.append((email, topic))

    def write(self) -> None:
        ids = dict(db.session.execute(
            insert(User).returning(User.email, User.id, sort_by_parameter_order=True), self.users).all())
        db.session.execute(insert(Membership), [{"user_id": ids[e], "department_id": d.id}
                                                for e, d in self.memberships])
        db.session.execute(insert(UserRole), [{"user_id": ids[e], "role": r} for e, r in self.roles])
        if self.resources:
            db.session.execute(insert(ResourceFunction), [
                {"user_id": ids[e], "topic": t, "since_on": self.today - timedelta(days=200)}
                for e, t in self.resources])


def build_home(region: Region, name: str, rng: random.Random, today: date, password_hash: str, *,
               staff_per_department: int, with_demo_logins: bool, email_domain: str) -> Home:
    home = Home(region=region, name=name, settings={"framework_agency": "Vikarkompagniet"})
    db.session.add(home)
    departments = []
    for dep_name, methods in DEPARTMENTS:
        department = Department(home=home, name=dep_name, methods=[Method(name=m) for m in methods])
        departments.append(department)
        db.session.add(department)
    db.session.flush()
    b = _Builder(home, rng, today, password_hash, email_domain)
    first, second = departments[0], departments[1]
    if with_demo_logins:
        b.person([first], email="tilbudsleder@demo.dk", name="Tove Tilbudsleder", roles=(Role.HEAD, Role.MINI_MED),
                 profession=Profession.PAEDAGOG, hired_years=9)
        b.person([first], email="afdelingsleder@demo.dk", name="Anders Afdelingsleder",
                 roles=(Role.DEPARTMENT_LEADER, Role.MINI_MED), profession=Profession.PAEDAGOG, hired_years=6)
        b.person([first], email="medarbejder@demo.dk", name="Maja Medarbejder", profession=Profession.PAEDAGOG,
                 hired_years=4)
        b.person([first], email="vikar@demo.dk", name="Viktor Vikar", employment=EmploymentType.ON_CALL,
                 profession=Profession.PAEDAGOG_ASSISTANT, hired_years=0.2)
        b.person([second], email="minimed@demo.dk", name="Mona Mini-MED (TR)", roles=(Role.EMPLOYEE, Role.MINI_MED),
                 profession=Profession.SOSU_ASSISTANT, hired_years=8)
        b.person([first], email="admin@demo.dk", name="Adam Administrator", roles=(Role.ADMIN,),
                 profession=Profession.OTHER, hired_years=3)
    else:
        b.person([first], name=f"Tilbudsleder {name}", roles=(Role.HEAD, Role.MINI_MED),
                 profession=Profession.PAEDAGOG, hired_years=9)
    for index, department in enumerate(departments):
        if not (with_demo_logins and index == 0):
            b.person([department], roles=(Role.DEPARTMENT_LEADER, Role.MINI_MED) if index == 1 else
                     (Role.DEPARTMENT_LEADER,), profession=Profession.PAEDAGOG, hired_years=rng.uniform(2, 10))
    b.person([departments[2]], name=None, roles=(Role.EMPLOYEE, Role.MINI_MED), profession=Profession.SOSU_HELPER)
    for department in departments:
        for _ in range(staff_per_department):
            email = b.person([department])
            if rng.random() < 0.12:
                b.resource(email, rng.choice(RESOURCE_TOPICS))
        b.person([department], left_on=today - timedelta(days=rng.randint(30, 400)))
    temps = 7 if with_demo_logins else max(2, staff_per_department // 4)
    for i in range(temps):
        b.person([departments[i % len(departments)]], employment=EmploymentType.ON_CALL,
                 profession=Profession.PAEDAGOG_ASSISTANT, hired_years=rng.uniform(0.05, 2))
    # From another agency than the framework one, so the demo shows the agency's extra confirmations (Bilag A.4).
    b.person([departments[3]], employment=EmploymentType.AGENCY, profession=Profession.SOSU_HELPER,
             hired_years=0.1, agency="Bureau Nord")
    b.write()
    db.session.flush()
    return home


def build(scale: str, today: date, seed: int = 2026) -> list[Home]:
    """Create the demo region. scale 'home': one home of ~50 people; 'region': 5 homes, ~3,000 people."""
    rng = random.Random(seed)  # nosec B311  # demo data, not security
    password_hash = generate_password_hash(DEMO_PASSWORD, method="pbkdf2:sha256:60000")
    region = Region(name="Region Sjælland")
    db.session.add(region)
    homes = [build_home(region, "Specialbørnehjemmene", rng, today, password_hash, staff_per_department=8,
                        with_demo_logins=True, email_domain="demo.dk")]
    if scale == "region":
        homes[0].name = "Specialbørnehjemmene"
        for n, name in enumerate(["Solsikken", "Egely", "Kildebakken", "Strandhuset", "Æblehaven"], start=2):
            homes.append(build_home(region, name, rng, today, password_hash, staff_per_department=146,
                                    with_demo_logins=False, email_domain=f"home{n}.demo.dk"))
    return homes
