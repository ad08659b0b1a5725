"""Herning's application as form input, section by section, with the figures from its committee paper.

123 new persons a month in the target group, 22 staff to train, 5 ready on 1 October, and a budget of
200.000 kr. in 2017 and 600.000 kr. in 2018. The counts of category 2 and 3 are not in the paper; the
figures here are plausible for a kommune of Herning's size.
"""
from __future__ import annotations

SECTIONS = {
    "maalgruppen": {
        "target_group_description": (
            "Alle nye sygedagpengemodtagere, som er sygemeldt fra beskæftigelse med et forventet sygefravær på mere "
            "end 8 uger. Alvorligt syge og sygemeldte, hvor arbejdspladsen vurderes at være årsag til sygemeldingen, "
            "undtages.\nVi forventer 123 sygemeldte fra job pr. måned, svarende til 1.845 i den 15 måneders "
            "projektperiode."),
        "new_per_month": "123",
        "category_2_count": "410",
        "category_3_count": "95",
        "baseline_measure_permille": "31,5",
        "target_group_needs": "Tidlig dialog med arbejdsgiveren og en fælles plan for tilbagevenden.",
    },
    "organisering": {
        "organisation_description": (
            "Den ny fastholdelsesrådgiver er både myndighedssagsbehandler og fastholdelseskonsulent og holder "
            "1. samtale på virksomheden med borger og arbejdsgiver."),
        "double_role_staff": "22",
        "ready_at_start": "5",
    },
    "kompetencer": {
        "competence_description": (
            "22 medarbejdere kompetenceudvikles til nye fastholdelsesrådgivere efter en plan med tidsplan for "
            "overgangen til de nye opgaver."),
    },
    "ledelse": {
        "management_description": "Ledelsen følger månedligt op på andelen af samtaler holdt på arbejdspladsen.",
    },
    "oekonomi": {
        "activities_description": "Løn til fastholdelsesrådgivere og kompetenceudvikling.",
        "budget-0-category_code": "fastholdelseskonsulenter",
        "budget-0-year": "2017",
        "budget-0-description": "Fastholdelsesrådgivere oktober–december",
        "budget-0-amount_kr": "200.000",
        "budget-1-category_code": "fastholdelseskonsulenter",
        "budget-1-year": "2018",
        "budget-1-description": "Fastholdelsesrådgivere hele året",
        "budget-1-amount_kr": "600.000",
    },
    "kontakt": {
        "contact_name": "Bodil Clark",
        "contact_title": "Sagsbehandler, Center for Erhvervsafklaring og Beskæftigelse",
        "contact_email": "bodil.clark@herning.dk",
        "contact_phone": "96 28 28 28",
        "management_declaration": "y",
    },
}
