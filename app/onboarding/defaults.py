"""The three checklist templates every home starts with, from the guideline on introduction of new hires and temps.

Each item: (text, completed_by, needs_date, needs_note, is_required, guideline_slug[, only_other_agency]).
The last, when True, marks a confirmation asked only of temps from an agency other than the home's framework
agency (Bilag A.4).
"""

from app.onboarding.constants import BY_LEADER, BY_SELF
from app.people.constants import EmploymentType

GUIDELINE = "introduktion-nyansatte-og-vikarer"

#: What every temp's introduction covers, internal or from an agency (Bilag A.1), with the leader's follow-up.
_TEMP_RULES = [
    ("Reglerne om magtanvendelse: hvad de tillader, og hvordan en magtanvendelse registreres",
     BY_LEADER, True, False, True, None),
    ("Børnenes ret til selvbestemmelse og medbestemmelse i hverdagen", BY_LEADER, True, False, True, None),
    ("Forebyggelse af overgreb: tegn, handlepligt og hvem der skal have besked", BY_LEADER, True, False, True,
     None),
    ("Lederens opfølgning på introduktionen: har vikaren den faglige og relationelle viden, børnene har brug"
     " for? (skriv opfølgningen i noten)", BY_LEADER, True, True, True, None),
]


DEFAULT_TEMPLATES = [
    (EmploymentType.PERMANENT, "Introduktion for nyansatte", [
        ("Introduktion til Specialbørnehjemmenes målgruppe og opbygning", BY_LEADER, True, False, True, None),
        ("Introduktion til afdelingens faglige tilgange og metoder", BY_LEADER, True, False, True, None),
        ("Føl-dage med erfarne kolleger gennemført (antallet aftales med afdelingslederen; skriv det i noten)",
         BY_LEADER, False, True, True, None),
        ("Reglerne om magtanvendelse, børnenes ret til selv- og medbestemmelse og forebyggelse af overgreb",
         BY_LEADER, True, False, True, None),
        ("Dokumentation: sådan læses og bruges børnenes individuelle planer", BY_SELF, False, False, True, None),
        ("Arbejdsmiljø og forflytning", BY_LEADER, True, False, True, None),
        ("Konflikthåndtering", BY_LEADER, True, False, True, None),
        ("Læst retningslinjen om introduktion og oplæring", BY_SELF, False, False, True, GUIDELINE),
        ("Læst den lokale retningslinje for kompetenceudvikling", BY_SELF, False, False, True, "kompetenceudvikling"),
        ("Opfølgende samtale med afdelingslederen ved forløbets afslutning", BY_LEADER, True, True, False, None),
    ]),
    (EmploymentType.ON_CALL, "Tjekliste for tilkaldevikarer", [
        ("Specialbørnehjemmenes introduktionsforløb for tilkaldevikarer", BY_LEADER, True, False, True, None),
        ("E-learning i Lov om voksenansvar (datoen på beviset)", BY_SELF, True, False, True, None),
        ("E-learning i dokumentation (datoen på beviset)", BY_SELF, True, False, True, None),
        ("Undervisning i konflikthåndtering", BY_LEADER, True, False, True, None),
        *_TEMP_RULES,
        ("Overlevering: kender de aktuelle mål, indsatser og risikovurderinger for afdelingens børn",
         BY_LEADER, False, False, True, None),
        ("Kender vikarinstruksen: opgaver vikarer ikke varetager, bl.a. alenearbejde, og hvem der løser dem i stedet",
         BY_SELF, False, False, True, None),
        ("Ved, hvordan vikarer dokumenterer og deler iagttagelser med de fastansatte", BY_SELF, False, False, True,
         None),
        ("Læst retningslinjen om introduktion og oplæring af vikarer", BY_SELF, False, False, True, GUIDELINE),
    ]),
    (EmploymentType.AGENCY, "Tjekliste for vikarer fra bureau", [
        ("Bureauets bekræftelse: vikaren er opdateret i konflikthåndtering (hvem bekræftede?)",
         BY_LEADER, True, True, True, None, True),
        ("Bureauets bekræftelse: vikaren kender reglerne for magtanvendelse", BY_LEADER, True, True, True, None,
         True),
        ("Bureauets bekræftelse: vikaren kender børnenes ret til selv- og medbestemmelse",
         BY_LEADER, True, True, True, None, True),
        ("Tilbuddets introduktion for vikarer", BY_LEADER, True, False, True, None),
        *_TEMP_RULES,
        ("Overlevering: kender de aktuelle mål og risikovurderinger for de børn, vikaren arbejder med",
         BY_LEADER, False, False, True, None),
        ("Kender vikarinstruksen: opgaver vikarer ikke varetager, bl.a. alenearbejde, og hvem der løser dem i stedet",
         BY_SELF, False, False, True, None),
        ("Læst retningslinjen om introduktion og oplæring af vikarer", BY_SELF, False, False, True, GUIDELINE),
    ]),
]


def item_dicts(items) -> list[dict]:
    return [dict(text=text, completed_by=by, needs_date=needs_date, needs_note=needs_note, is_required=required,
                 guideline_slug=slug, only_other_agency=bool(other and other[0]))
            for text, by, needs_date, needs_note, required, slug, *other in items]
