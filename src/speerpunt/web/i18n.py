"""Dutch and English interface strings. Language: ``?lang=`` (remembered in a cookie), else the cookie,
else the browser's Accept-Language, else Dutch. Sector and region names come from :mod:`speerpunt.classify`."""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent

LANGS = ("nl", "en")
LOCALES = {"nl": "nl_BE", "en": "en_GB"}

STRINGS: dict[str, tuple[str, str]] = {
    # key: (nl, en)
    "app": ("Speerpunt", "Speerpunt"),
    "tagline": ("Regionale specialisatie-analyse", "Regional specialisation analysis"),
    "home": ("Start", "Home"),
    "dashboard": ("Regio", "Region"),
    "sector": ("Sector", "Sector"),
    "screening": ("Screening", "Screening"),
    "similar": ("Gelijkaardige regio's", "Similar regions"),
    "relatedness": ("Verwantschap", "Relatedness"),
    "registry": ("Register", "Registry"),
    "report": ("Rapport", "Report"),
    "upload": ("Eigen data", "Own data"),
    "login": ("Aanmelden", "Log in"),
    "logout": ("Afmelden", "Log out"),
    "users": ("Gebruikers", "Users"),
    "audit": ("Auditlog", "Audit log"),
    "skip": ("Naar de inhoud", "Skip to content"),
    "region": ("Regio", "Region"),
    "reference": ("Referentie", "Reference"),
    "variable": ("Variabele", "Variable"),
    "year": ("Jaar", "Year"),
    "start": ("Beginjaar", "Start year"),
    "end": ("Eindjaar", "End year"),
    "show": ("Toon", "Show"),
    "apply": ("Toepassen", "Apply"),
    "save": ("Opslaan", "Save"),
    "cancel": ("Annuleren", "Cancel"),
    "download": ("Downloaden", "Download"),
    "csv": ("CSV", "CSV"),
    "json": ("JSON", "JSON"),
    "country": ("land", "country"),
    "home_intro": (
        "Kies een regio, een referentie, een variabele en een periode. Het dashboard toont hoe belangrijk, "
        "gespecialiseerd en groeiend elke sector is.",
        "Pick a region, a reference, a variable and a period. The dashboard shows how important, "
        "specialised and growing each sector is.",
    ),
    "open_dashboard": ("Open dashboard", "Open dashboard"),
    "key_numbers": ("Kerncijfers", "Key numbers"),
    "total": ("Totaal", "Total"),
    "value": ("Waarde", "Value"),
    "share": ("Aandeel", "Share"),
    "lq": ("LQ", "LQ"),
    "lq_long": ("Specialisatiecoëfficiënt (LQ)", "Location quotient (LQ)"),
    "growth": ("Groei", "Growth"),
    "trend": ("Trend", "Trend"),
    "lq_change": ("LQ-verandering", "LQ change"),
    "national_share": ("Nationale component", "National share"),
    "industry_mix": ("Sectorstructuur", "Industry mix"),
    "regional_shift": ("Regionale component", "Regional shift"),
    "actual_change": ("Werkelijke verandering", "Actual change"),
    "sectors": ("Sectoren", "Sectors"),
    "sector_table": ("Sectortabel", "Sector table"),
    "portfolio": ("Portfoliodiagram", "Portfolio chart"),
    "portfolio_desc": (
        "Horizontaal: groei van de sector in de regio; verticaal: LQ; oppervlakte: omvang.",
        "Horizontal: the sector's growth in the region; vertical: LQ; area: size.",
    ),
    "shift_share": ("Shift-share", "Shift-share"),
    "choropleth": ("LQ-kaart", "LQ map"),
    "timeseries": ("Tijdreeks", "Time series"),
    "specialised_in": ("Meest gespecialiseerd in", "Most specialised in"),
    "largest": ("Grootste sector", "Largest sector"),
    "regions_compared": ("Vergelijking tussen regio's", "Comparison across regions"),
    "key_figures": ("Kerncijfers", "Key figures"),
    "criteria": ("Criteria en drempels", "Criteria and thresholds"),
    "candidates": ("Kandidaten", "Candidates"),
    "evidence": ("Onderbouwing", "Evidence"),
    "sensitivity": ("Gevoeligheid", "Sensitivity"),
    "save_config": ("Configuratie opslaan", "Save configuration"),
    "saved_configs": ("Opgeslagen configuraties", "Saved configurations"),
    "config_name": ("Naam", "Name"),
    "override": ("Expertoordeel toevoegen", "Add expert override"),
    "include": ("opnemen", "include"),
    "exclude": ("uitsluiten", "exclude"),
    "justification": ("Motivering", "Justification"),
    "actors": ("Actoren", "Actors"),
    "spearheads": ("Speerpunten", "Spearheads"),
    "matrix": ("Actor × sector", "Actor × sector"),
    "overlaps": ("Overlappingen", "Overlaps"),
    "map": ("Kaart", "Map"),
    "source": ("Bron", "Source"),
    "edit": ("Bewerken", "Edit"),
    "history": ("Geschiedenis", "History"),
    "version": ("Versie", "Version"),
    "username": ("Gebruikersnaam", "User name"),
    "password": ("Wachtwoord", "Password"),
    "role": ("Rol", "Role"),
    "create_user": ("Gebruiker aanmaken", "Create user"),
    "login_failed": ("Onjuiste gebruikersnaam of wachtwoord.", "Wrong user name or password."),
    "login_blocked": (
        "Te veel mislukte pogingen; probeer het over enkele minuten opnieuw.",
        "Too many failed attempts; try again in a few minutes.",
    ),
    "saved": ("Opgeslagen.", "Saved."),
    "stale": (
        "Iemand anders heeft dit record intussen gewijzigd (versie {current}). Herlaad de pagina en "
        "breng je wijziging opnieuw aan.",
        "Someone else changed this record in the meantime (version {current}). Reload the page and "
        "make your change again.",
    ),
    "forbidden": ("Je mag dit niet wijzigen.", "You may not change this."),
    "not_yours": (
        "{user} mag {kind} '{id}' niet wijzigen: het hoort bij {owners}, niet bij een actor die aan "
        "{user} is toegewezen.",
        "{user} may not change {kind} '{id}': it belongs to {owners}, not to an actor assigned to "
        "{user}.",
    ),
    "admins_only": ("Alleen beheerders mogen {kind} wijzigen.", "Only admins may change {kind}."),
    "not_found": ("Niet gevonden.", "Not found."),
    "error": ("Fout", "Error"),
    "upload_intro": (
        "Laad een eigen panel (CSV of XLSX, hoogstens {mb} MB). Het wordt gecontroleerd met "
        "dezelfde regels als de opdrachtregel; niets wordt bewaard als het ongeldig is.",
        "Upload your own panel (CSV or XLSX, at most {mb} MB). It is checked with the same "
        "rules as the command line; nothing is kept when it is invalid.",
    ),
    "upload_ok": ("Geldig panel geladen", "Valid panel loaded"),
    "file": ("Bestand", "File"),
    "report_intro": (
        "Download het rapport voor de huidige selectie.",
        "Download the report for the current selection.",
    ),
    "not_available": (
        "Nog niet beschikbaar in deze installatie.",
        "Not available in this installation yet.",
    ),
    "text_alternative": ("Tekstalternatief", "Text alternative"),
    "points": ("Punten", "Points"),
    "zones": ("Zones", "Zones"),
    "connections": ("Verbindingen", "Connections"),
    "province": ("Provincie", "Province"),
    "language": ("Taal", "Language"),
    "data": ("Data", "Data"),
    "notes": ("Opmerkingen", "Notes"),
    "rank": ("Rang", "Rank"),
    "similarity": ("Gelijkenis", "Similarity"),
    "density": ("Verwantschapsdichtheid", "Relatedness density"),
    "complexity": ("Complexiteit", "Complexity"),
    "specialisation": ("Specialisatie", "Specialisation"),
    "anonymous": ("gast", "guest"),
    "signed_in_as": ("Aangemeld als", "Signed in as"),
    "actor": ("Actor", "Actor"),
    "kind": ("Soort", "Kind"),
    "changes": ("Wijzigingen", "Changes"),
    "when": ("Wanneer", "When"),
    "who": ("Wie", "Who"),
    "what": ("Wat", "What"),
    "before": ("Voor", "Before"),
    "after": ("Na", "After"),
    "delete": ("Verwijderen", "Delete"),
    "all": ("alle", "all"),
    "none": ("geen", "none"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "territory": ("Grondgebied", "Territory"),
    "aliases": ("Andere namen", "Aliases"),
    "rule": ("Regel", "Rule"),
    "stability": ("Stabiliteit", "Stability"),
    "flips": ("Kantelt bij", "Flips at"),
    "method": ("Methode", "Method"),
    "measure": ("Maatstaf", "Measure"),
    "labels": ("Labels", "Labels"),
    "name": ("Naam", "Name"),
    "place": ("Plaats", "Place"),
    "precision": ("Precisie", "Precision"),
    "layers": ("Lagen", "Layers"),
    "lists_hint": ("lijsten: gescheiden door komma's", "lists: comma-separated"),
    "rows": ("rijen", "rows"),
    "status": ("Status", "Status"),
    "score": ("Score", "Score"),
    "threshold": ("Drempel", "Threshold"),
    "result": ("Resultaat", "Result"),
    "criterion": ("Criterium", "Criterion"),
    "infrastructural": ("infrastructureel", "infrastructural"),
    "organisational": ("organisatorisch", "organisational"),
}


def translate(lang: str, key: str, **kwargs: object) -> str:
    pair = STRINGS.get(key)
    text = key if pair is None else pair[0 if lang == "nl" else 1]
    return text.format(**kwargs) if kwargs else text


def pick_lang(query: str | None, cookie: str | None, accept: str | None) -> str:
    for cand in (query, cookie):
        if cand in LANGS:
            return cand
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in LANGS:
            return code
    return "nl"


def _number(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _missing(lang: str) -> str:
    return "/" if lang == "nl" else "n/a"


def fmt_number(value: object, lang: str, digits: int = 1) -> str:
    """Dutch conventions in Dutch (35.991,2; '/' when not available), British in English ('n/a')."""
    x = _number(value)
    if x is None:
        return "" if value is None else str(value)
    if x != x:
        return _missing(lang)
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(x, format=fmt, locale=LOCALES[lang])


def fmt_percent(value: object, lang: str, digits: int = 1) -> str:
    x = _number(value)
    if x is None:
        return ""
    if x != x:
        return _missing(lang)
    return format_percent(x, format="#,##0." + "0" * digits + " %", locale=LOCALES[lang])
