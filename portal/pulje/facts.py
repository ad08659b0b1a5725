"""The facts of the pool 'Sammen om fastholdelse' as announced by STAR on 11 May 2017 (J.nr. 16/17959)."""
from __future__ import annotations

from datetime import date, datetime

from portal.clock import COPENHAGEN
from portal.pulje.timeline import quarter_bounds, week_bounds

JOURNAL_NUMBER = "16/17959"

PURPOSE = (
    "At afprøve en model for sygedagpengemodtagere fra beskæftigelse, hvor den første "
    "opfølgningssamtale afholdes ude på den sygemeldtes arbejdsplads med deltagelse af den "
    "sygemeldte, arbejdsgiveren og kommunen. Modellen skal bidrage til, at den sygemeldte vender "
    "hurtigere tilbage til sin arbejdsplads og dermed fastholdes på arbejdsmarkedet."
)

TARGET_GROUP = (
    "Alle nye sygedagpengemodtagere fra beskæftigelse med et forventet sygefravær på mere end 8 uger, "
    "dvs. visitationskategori 2 og 3. Alvorligt syge og sygemeldte, hvor arbejdspladsen i sig selv "
    "vurderes at være årsagen til sygemeldingen, kan undtages."
)

# Announced in week 22; the window opens on its Monday morning. The deadline is in week 31: a
# Danish agency sets it on the Friday at noon, so the last day is a working day with staff to answer.
APPLICATIONS_OPEN_AT = datetime(2017, 5, 29, 9, 0, tzinfo=COPENHAGEN)
APPLICATION_DEADLINE_AT = datetime(2017, 8, 4, 12, 0, tzinfo=COPENHAGEN)

POOL = dict(
    name="Sammen om fastholdelse",
    journal_number=JOURNAL_NUMBER,
    announced_on=date(2017, 5, 11),
    purpose=PURPOSE,
    target_group=TARGET_GROUP,
    total_kr=9_000_000,
    max_grant_kr=800_000,
    min_participants=10,
    max_participants=14,
    funds_from_on=date(2017, 10, 1),
    funds_to_on=date(2018, 12, 31),
    applications_open_at=APPLICATIONS_OPEN_AT,
    application_deadline_at=APPLICATION_DEADLINE_AT,
    size_medium_from=35_000,
    size_large_from=60_000,
    contact_email="fastholdelse@star.dk",
)

BUDGET_CATEGORIES = [
    dict(
        code="fastholdelseskonsulenter",
        name="Fastholdelseskonsulenter",
        description="Løn til medarbejdere, der er både myndighedssagsbehandler og fastholdelseskonsulent.",
        position=1,
    ),
    dict(
        code="kompetenceudvikling",
        name="Kompetenceudvikling af medarbejdere",
        description="Opkvalificering, sparring og materialer, der klæder medarbejderne på til dobbeltrollen.",
        position=2,
    ),
]


def _weeks(first: int, last: int | None = None, year: int = 2017) -> tuple[date, date]:
    return week_bounds(year, first)[0], week_bounds(year, last or first)[1]


def _quarters(year: int, first: int, last: int | None = None, last_year: int | None = None) -> tuple[date, date]:
    return quarter_bounds(year, first)[0], quarter_bounds(last_year or year, last or first)[1]


TIMELINE = [
    ("puljeudmelding", "Puljeudmelding", _weeks(22), ""),
    ("ansoegningsfrist", "Ansøgningsfrist", _weeks(31), "Fredag 4. august 2017 kl. 12.00"),
    ("udvaelgelse", "Udvælgelse af kommuner", _weeks(33), ""),
    ("tilsagn", "Tilsagnsskrivelser", _weeks(34, 35), "Efter udvælgelsen"),
    ("projektstart", "Projektstart", (date(2017, 10, 1), date(2017, 10, 1)), "Uge 40; midlerne kan bruges fra 1. oktober"),
    ("opstartsworkshops", "Opstartsworkshops", _weeks(40, 43), "Uge 40, 41 og 43, for 3–5 kommuner ad gangen"),
    ("sparring", "Individuelle sparringsbesøg i de deltagende kommuner", _quarters(2017, 4, 1, 2018), ""),
    ("netvaerk", "Netværksmøder i regi af AMK", _quarters(2017, 4, 2, 2018), "Ét møde pr. AMK i hvert kvartal"),
    ("inspiration", "Inspirationsworkshops for kommuner uden for projektet", _quarters(2018, 2, 4),
     "Kan bookes fra januar 2018"),
    ("midler_slut", "Sidste dag for brug af midlerne", (date(2018, 12, 31), date(2018, 12, 31)), ""),
    ("afslutning", "Afslutningsseminar", _quarters(2019, 1), ""),
    ("evaluering", "Evaluering (kvantitativ og kvalitativ)", _quarters(2019, 1), ""),
]
