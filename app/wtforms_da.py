"""WTForms' own messages in Danish.

WTForms ships catalogues for many languages but not Danish, so without this a form could answer
"This field is required." or "Not a valid choice.". Every form's ``Meta.get_translations`` returns
``TRANSLATIONS`` (see ``app.forms.Form``); ``tests/core/test_forms.py`` checks that every message in
WTForms' template catalogue (``wtforms/locale/wtforms.pot``) has a Danish text here, so an upgrade that adds
a message fails a test instead of reaching a user in English.
"""

from __future__ import annotations

#: msgid -> Danish. The placeholders are WTForms' own and must be kept.
MESSAGES: dict[str, str] = {
    "Invalid field name '%s'.": "Ugyldigt feltnavn '%s'.",
    "Field must be equal to %(other_name)s.": "Feltet skal være det samme som %(other_name)s.",
    "Field must be between %(min)d and %(max)d characters long.": "Feltet skal være mellem %(min)d og %(max)d tegn.",
    "Number must be at least %(min)s.": "Tallet skal være mindst %(min)s.",
    "Number must be at most %(max)s.": "Tallet må højst være %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Tallet skal være mellem %(min)s og %(max)s.",
    "Date must be at least %(min)s.": "Datoen må tidligst være %(min)s.",
    "Date must be at most %(max)s.": "Datoen må senest være %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Datoen skal ligge mellem %(min)s og %(max)s.",
    "This field is required.": "Feltet skal udfyldes.",
    "Invalid input.": "Ugyldigt input.",
    "Invalid email address.": "Skriv en gyldig e-mailadresse.",
    "Invalid IP address.": "Skriv en gyldig IP-adresse.",
    "Invalid Mac address.": "Skriv en gyldig MAC-adresse.",
    "Invalid URL.": "Skriv en gyldig webadresse.",
    "Invalid UUID.": "Skriv et gyldigt UUID.",
    "Invalid value, must be one of: %(values)s.": "Ugyldig værdi. Den skal være en af: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Ugyldig værdi. Den må ikke være nogen af: %(values)s.",
    "This field cannot be edited.": "Feltet kan ikke redigeres.",
    "This field is disabled and cannot have a value.": "Feltet er slået fra og kan ikke have en værdi.",
    "Invalid CSRF Token.": "Formularen er udløbet. Indlæs siden, og prøv igen.",
    "CSRF token missing.": "Formularen er udløbet. Indlæs siden, og prøv igen.",
    "CSRF failed.": "Formularen er udløbet. Indlæs siden, og prøv igen.",
    "CSRF token expired.": "Formularen er udløbet. Indlæs siden, og prøv igen.",
    "Invalid Choice: could not coerce.": "Vælg en af mulighederne på listen.",
    "Choices cannot be None.": "Der er ingen muligheder at vælge imellem.",
    "Not a valid choice.": "Vælg en af mulighederne på listen.",
    "Invalid choice(s): one or more data inputs could not be coerced.":
        "Vælg kun blandt mulighederne på listen.",
    "Not a valid datetime value.": "Skriv et gyldigt tidspunkt med dato og klokkeslæt.",
    "Not a valid date value.": "Skriv en gyldig dato.",
    "Not a valid time value.": "Skriv et gyldigt klokkeslæt.",
    "Not a valid week value.": "Skriv en gyldig uge.",
    "Not a valid integer value.": "Skriv et helt tal.",
    "Not a valid decimal value.": "Skriv et tal, fx 7,5.",
    "Not a valid float value.": "Skriv et tal, fx 7,5.",
}

#: (singular msgid, plural msgid) -> (Danish singular, Danish plural).
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long."):
        ("Feltet skal være mindst %(min)d tegn.", "Feltet skal være mindst %(min)d tegn."),
    ("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters."):
        ("Feltet må højst være %(max)d tegn.", "Feltet må højst være %(max)d tegn."),
    ("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long."):
        ("Feltet skal være præcis %(max)d tegn.", "Feltet skal være præcis %(max)d tegn."),
    ("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field."):
        ("'%(value)s' er ikke en af mulighederne.", "'%(value)s' er ikke blandt mulighederne."),
}


class DanishTranslations:
    """The gettext interface WTForms asks a form's Meta for. A message not listed falls back to a general
    Danish sentence, never to English."""

    FALLBACK = "Tjek feltet, og prøv igen."

    def gettext(self, string: str) -> str:
        return MESSAGES.get(string, self.FALLBACK)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        danish = PLURALS.get((singular, plural))
        if danish is None:
            return self.FALLBACK
        return danish[0] if n == 1 else danish[1]


TRANSLATIONS = DanishTranslations()
