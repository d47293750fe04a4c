"""Where each quality indicator gives evidence in Socialtilsynet's quality model for tilbud: its theme and criterion.

The model's structure is kept here in our own short words (the model itself words it differently). Criteria carry
the model's codes, numbered across the whole model as the supervisory authority cites them ("indikator 6a" is about
use of force, under theme 4), so a code's number tells the criterion and its letter the point within it.
Every registered indicator has a shipped default below; a home may place an indicator elsewhere
(`IndicatorTheme`), and the report can then be read per theme, as an inspector reads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app import clock
from app.audit.services import record
from app.extensions import db
from app.quality.models import IndicatorTheme

#: The model's themes for tilbud, by number.
THEMES: dict[int, str] = {
    1: "Uddannelse og beskæftigelse",
    2: "Selvstændighed og relationer",
    3: "Målgruppe, metoder og resultater",
    4: "Sundhed og trivsel",
    5: "Organisation og ledelse",
    6: "Kompetencer",
    7: "Fysiske rammer",
}

NO_THEME = "Intet tema"


@dataclass(frozen=True)
class Criterion:
    code: str
    theme: int
    text: str

    @property
    def label(self) -> str:
        return f"{self.code}: {self.text}"


_CRITERIA = [
    Criterion("1a", 1, "Der er individuelle mål for skolegang eller beskæftigelse, og de følges op"),
    Criterion("1b", 1, "Børnene går i skole, dagtilbud eller har en beskæftigelse, der passer til dem"),
    Criterion("2a", 2, "Der er individuelle mål for sociale færdigheder og selvstændighed, og de følges op"),
    Criterion("2b", 2, "Børnene deltager i fællesskaber og aktiviteter uden for tilbuddet"),
    Criterion("2c", 2, "Børnene holder kontakt med familie og netværk"),
    Criterion("3a", 3, "Målgruppen er beskrevet, og tilgange og metoder passer til den"),
    Criterion("3b", 3, "Indsatsen dokumenteres, og dokumentationen bruges til læring"),
    Criterion("3c", 3, "Indsatsen fører til resultater på de mål, kommunen har sat"),
    Criterion("4a", 3, "Børnene bliver hørt og får indflydelse på deres egen hverdag"),
    Criterion("4b", 3, "Børnenes ret til selvbestemmelse respekteres i indsatsen"),
    Criterion("5a", 4, "Børnene trives i tilbuddet"),
    Criterion("5b", 4, "Børnene får adgang til de sundhedsydelser, de har brug for"),
    Criterion("5c", 4, "Indsatsen fremmer børnenes fysiske og mentale sundhed"),
    Criterion("6a", 4, "Indsatsen forebygger, at magt må anvendes"),
    Criterion("6b", 4, "Magtanvendelser håndteres efter reglerne, følges op og giver læring"),
    Criterion("7a", 4, "Den pædagogiske indsats forebygger vold og overgreb"),
    Criterion("7b", 4, "Der er et beredskab, hvis vold eller overgreb alligevel sker"),
    Criterion("8a", 5, "Ledelsen har faglige og ledelsesmæssige kompetencer til opgaven"),
    Criterion("8b", 5, "Ledelse og medarbejdere får ekstern supervision og sparring efter behov"),
    Criterion("9a", 5, "Den daglige drift er fagligt forsvarlig og planlagt efter børnenes behov"),
    Criterion("9b", 5, "Personalegennemstrømningen er ikke højere end på lignende tilbud"),
    Criterion("9c", 5, "Sygefraværet er ikke højere end på lignende tilbud"),
    Criterion("10a", 6, "Medarbejderne har uddannelse, erfaring og efteruddannelse, der passer til "
                        "målgruppen og metoderne"),
    Criterion("10b", 6, "Medarbejdernes kompetencer ses i det daglige samspil med børnene"),
    Criterion("10c", 6, "Ikke-fastansatte medarbejdere er introduceret og bruges, så kvaliteten holdes"),
    Criterion("11a", 7, "Børnene trives i de fysiske rammer"),
    Criterion("11b", 7, "Rammerne passer til børnenes behov og til indsatsen"),
    Criterion("11c", 7, "Tilbuddet er indrettet som børnenes hjem"),
]
CRITERIA: dict[str, Criterion] = {c.code: c for c in _CRITERIA}


@dataclass(frozen=True)
class Default:
    theme: int
    criterion: str
    note: str = ""


#: Where each registered indicator gives evidence unless the home places it elsewhere.
#: tests/quality/test_themes.py fails for an indicator registered without one.
DEFAULTS: dict[str, Default] = {
    "guidelines.reviewed_on_time": Default(5, "9a", "Retningslinjerne beskriver den daglige praksis."),
    "guidelines.confirmed": Default(6, "10b", "Medarbejderne kender retningslinjerne, de arbejder efter."),
    "competence.wishes_on_time": Default(6, "10a"),
    "competence.overviews_forwarded": Default(6, "10a"),
    "competence.distribution_first_meeting": Default(5, "8a", "Ledelsen planlægger kompetencemidlerne."),
    "competence.implementation_agreements": Default(6, "10b", "Ny viden bliver brugt i afdelingen."),
    "competence.supervision": Default(5, "8b"),
    "children.contact_team": Default(3, "3b", "Kontaktteamet følger op på dokumentation og mål."),
    "children.individual_plan": Default(3, "3c"),
    "children.physio_plan": Default(4, "5c"),
    "appraisals.neuropedagogy": Default(6, "10a"),
    "appraisals.mu": Default(6, "10a"),
    "appraisals.lu": Default(5, "8a"),
    "onboarding.new_hires_introduced": Default(6, "10b"),
    "onboarding.temps_ready": Default(6, "10c"),
    "onboarding.temp_meeting_attendance": Default(6, "10c"),
    "people.skilled_share": Default(6, "10a", "Andelen af faglært personale, nattevagter og vikarer medregnet."),
}


class ThemeError(Exception):
    """A placement the quality model does not have; the message is Danish and shown as is."""


@dataclass(frozen=True)
class Placement:
    """Where one indicator stands in the model for a home: the home's own choice or the shipped default."""

    theme: int
    criterion: str
    note: str = ""
    is_default: bool = True
    changed_at: datetime | None = None

    @property
    def theme_title(self) -> str:
        return THEMES[self.theme]

    @property
    def criterion_text(self) -> str:
        return CRITERIA[self.criterion].text

    @property
    def label(self) -> str:
        """'Tema 6 Kompetencer · 10a', as the report's rows name it."""
        return f"Tema {self.theme} {self.theme_title} · {self.criterion}"


def check(theme, criterion) -> tuple[int, str]:
    """(theme, criterion) when the criterion is one of the theme's; ThemeError in Danish otherwise."""
    try:
        number = int(str(theme).strip())
    except ValueError:
        number = 0
    if number not in THEMES:
        raise ThemeError("Vælg et tema fra 1 til 7.")
    code = str(criterion or "").strip().lower()
    found = CRITERIA.get(code)
    if found is None:
        raise ThemeError("Vælg et kriterium fra kvalitetsmodellen.")
    if found.theme != number:
        raise ThemeError(f"Kriterium {code} hører under tema {found.theme} {THEMES[found.theme]}, "
                         f"ikke under tema {number} {THEMES[number]}.")
    return number, code


def criteria_of(theme: int) -> list[Criterion]:
    return [c for c in _CRITERIA if c.theme == theme]


def _default(key: str) -> Placement | None:
    found = DEFAULTS.get(key)
    return None if found is None else Placement(found.theme, found.criterion, found.note)


def placements(home) -> dict[str, Placement]:
    """indicator key -> placement for the home: its own rows over the shipped defaults (one small query, not
    cached). A key with neither is missing, and shows as 'Intet tema'."""
    result = {key: _default(key) for key in DEFAULTS}
    for row in db.session.scalars(select(IndicatorTheme).where(IndicatorTheme.home_id == home.id)):
        if row.theme in THEMES and CRITERIA.get(row.criterion, Criterion("", 0, "")).theme == row.theme:
            result[row.indicator_key] = Placement(row.theme, row.criterion, row.note, False, row.changed_at)
    return result


def place(home, key: str, theme, criterion, note: str, actor) -> IndicatorTheme:
    """Place the indicator in the model for the home (the row is changed, not replaced); flushes and audits."""
    number, code = check(theme, criterion)
    note = " ".join((note or "").split())
    if len(note) > 300:
        raise ThemeError("Noten må højst være 300 tegn.")
    row = db.session.scalar(select(IndicatorTheme).where(IndicatorTheme.home_id == home.id,
                                                         IndicatorTheme.indicator_key == key))
    if row is None:
        row = IndicatorTheme(home_id=home.id, indicator_key=key)
        db.session.add(row)
    before = None if row.theme is None else f"{row.theme}/{row.criterion}"
    row.theme, row.criterion, row.note = number, code, note
    row.changed_at, row.changed_by_id = clock.now(), actor.id
    db.session.flush()
    record("quality.theme_changed", row, summary=f"Indikator {key} placeret under tema {number}, kriterium {code}",
           actor=actor, key=key, before=before, after=f"{number}/{code}")
    return row


@dataclass
class CriterionGroup:
    criterion: Criterion | None
    rows: list


@dataclass
class ThemeGroup:
    number: int | None
    title: str
    criteria: list[CriterionGroup]

    @property
    def count(self) -> int:
        return sum(len(c.rows) for c in self.criteria)

    @property
    def lights(self) -> dict[str, int]:
        """How many of the theme's indicators are green, yellow and red (only those that occur)."""
        counts = {"green": 0, "yellow": 0, "red": 0}
        for criterion in self.criteria:
            for row in criterion.rows:
                if row.light in counts:
                    counts[row.light] += 1
        return {light: count for light, count in counts.items() if count}


def _code_order(code: str) -> tuple[int, str]:
    digits = "".join(ch for ch in code if ch.isdigit())
    return int(digits or 0), code


def by_theme(rows: Iterable, placed: dict[str, Placement]) -> list[ThemeGroup]:
    """The report's rows grouped theme -> criterion in the model's order, each group keeping the rows' own order;
    themes without an indicator are kept (an inspector sees where the home shows nothing), and rows without a
    placement come last under 'Intet tema'."""
    grouped: dict[int, dict[str, list]] = {number: {} for number in THEMES}
    loose = []
    for row in rows:
        placement = placed.get(row.key)
        if placement is None:
            loose.append(row)
        else:
            grouped[placement.theme].setdefault(placement.criterion, []).append(row)
    groups = [
        ThemeGroup(number, THEMES[number], [CriterionGroup(CRITERIA[code], members)
                                            for code, members in sorted(grouped[number].items(),
                                                                        key=lambda item: _code_order(item[0]))])
        for number in THEMES
    ]
    if loose:
        groups.append(ThemeGroup(None, NO_THEME, [CriterionGroup(None, loose)]))
    return groups
