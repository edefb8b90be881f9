"""Build the small NUTS code tables shipped in ``src/speerpunt/classify/``.

Reads the Eurostat/GISCO NUTS GeoJSON files (2016 and 2021, 1:20 million, levels 0–3) and the Statbel REFNIS
2019 code list from ``../shared/data/geo`` and writes two derived tables of codes and names (facts, no
geometry):

* ``nuts.csv``: ``code, vintage, level, parent, country, kind, name, name_nl`` for every NUTS code of both
  vintages, the extra-regio codes (``BEZ``, ``BEZZ``, ``BEZZZ`` …) of every country and the EU aggregates used
  by Eurostat (``EU27_2020``, ``EU28`` …);
* ``nis_nuts.csv``: Belgian NIS (REFNIS) codes of regions, provinces and arrondissements ↔ NUTS codes.

Usage::

    python scripts/build_nuts_table.py [GEO_DIR [OUT_DIR]]

The Dutch names of Belgian regions are written here by hand (Belgian official Dutch names, as in REFNIS) and
checked against REFNIS where REFNIS has the unit.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "speerpunt" / "classify"
VINTAGES = ("2016", "2021")

COUNTRIES = {  # code: (English, Dutch)
    "AL": ("Albania", "Albanië"),
    "AT": ("Austria", "Oostenrijk"),
    "BE": ("Belgium", "België"),
    "BG": ("Bulgaria", "Bulgarije"),
    "CH": ("Switzerland", "Zwitserland"),
    "CY": ("Cyprus", "Cyprus"),
    "CZ": ("Czechia", "Tsjechië"),
    "DE": ("Germany", "Duitsland"),
    "DK": ("Denmark", "Denemarken"),
    "EE": ("Estonia", "Estland"),
    "EL": ("Greece", "Griekenland"),
    "ES": ("Spain", "Spanje"),
    "FI": ("Finland", "Finland"),
    "FR": ("France", "Frankrijk"),
    "HR": ("Croatia", "Kroatië"),
    "HU": ("Hungary", "Hongarije"),
    "IE": ("Ireland", "Ierland"),
    "IS": ("Iceland", "IJsland"),
    "IT": ("Italy", "Italië"),
    "LI": ("Liechtenstein", "Liechtenstein"),
    "LT": ("Lithuania", "Litouwen"),
    "LU": ("Luxembourg", "Luxemburg"),
    "LV": ("Latvia", "Letland"),
    "ME": ("Montenegro", "Montenegro"),
    "MK": ("North Macedonia", "Noord-Macedonië"),
    "MT": ("Malta", "Malta"),
    "NL": ("Netherlands", "Nederland"),
    "NO": ("Norway", "Noorwegen"),
    "PL": ("Poland", "Polen"),
    "PT": ("Portugal", "Portugal"),
    "RO": ("Romania", "Roemenië"),
    "RS": ("Serbia", "Servië"),
    "SE": ("Sweden", "Zweden"),
    "SI": ("Slovenia", "Slovenië"),
    "SK": ("Slovakia", "Slowakije"),
    "TR": ("Türkiye", "Turkije"),
    "UK": ("United Kingdom", "Verenigd Koninkrijk"),
}

AGGREGATES = {  # Eurostat geo aggregates that appear in Eurostat regional tables
    "EU27_2020": (
        "European Union - 27 countries (from 2020)",
        "Europese Unie - 27 landen (vanaf 2020)",
    ),
    "EU28": ("European Union - 28 countries (2013-2020)", "Europese Unie - 28 landen (2013-2020)"),
    "EU27_2007": (
        "European Union - 27 countries (2007-2013)",
        "Europese Unie - 27 landen (2007-2013)",
    ),
    "EU15": ("European Union - 15 countries (1995-2004)", "Europese Unie - 15 landen (1995-2004)"),
    "EA19": ("Euro area - 19 countries (2015-2022)", "Eurozone - 19 landen (2015-2022)"),
    "EA20": ("Euro area - 20 countries (from 2023)", "Eurozone - 20 landen (vanaf 2023)"),
}

# Dutch names of every Belgian NUTS code of 2016 and 2021 (official Dutch names; "Arr." as Eurostat writes).
BE_NL = {
    "BE": "België",
    "BE1": "Brussels Hoofdstedelijk Gewest",
    "BE10": "Brussels Hoofdstedelijk Gewest",
    "BE100": "Arr. Brussel-Hoofdstad",
    "BE2": "Vlaams Gewest",
    "BE21": "Provincie Antwerpen",
    "BE211": "Arr. Antwerpen",
    "BE212": "Arr. Mechelen",
    "BE213": "Arr. Turnhout",
    "BE22": "Provincie Limburg",
    "BE221": "Arr. Hasselt",
    "BE222": "Arr. Maaseik",
    "BE223": "Arr. Tongeren",
    "BE224": "Arr. Hasselt",
    "BE225": "Arr. Maaseik",
    "BE23": "Provincie Oost-Vlaanderen",
    "BE231": "Arr. Aalst",
    "BE232": "Arr. Dendermonde",
    "BE233": "Arr. Eeklo",
    "BE234": "Arr. Gent",
    "BE235": "Arr. Oudenaarde",
    "BE236": "Arr. Sint-Niklaas",
    "BE24": "Provincie Vlaams-Brabant",
    "BE241": "Arr. Halle-Vilvoorde",
    "BE242": "Arr. Leuven",
    "BE25": "Provincie West-Vlaanderen",
    "BE251": "Arr. Brugge",
    "BE252": "Arr. Diksmuide",
    "BE253": "Arr. Ieper",
    "BE254": "Arr. Kortrijk",
    "BE255": "Arr. Oostende",
    "BE256": "Arr. Roeselare",
    "BE257": "Arr. Tielt",
    "BE258": "Arr. Veurne",
    "BE3": "Waals Gewest",
    "BE31": "Provincie Waals-Brabant",
    "BE310": "Arr. Nijvel",
    "BE32": "Provincie Henegouwen",
    "BE321": "Arr. Aat",
    "BE322": "Arr. Charleroi",
    "BE323": "Arr. Bergen",
    "BE324": "Arr. Moeskroen",
    "BE325": "Arr. Zinnik",
    "BE326": "Arr. Thuin",
    "BE327": "Arr. Doornik",
    "BE328": "Arr. Doornik-Moeskroen",
    "BE329": "Arr. La Louvière",
    "BE32A": "Arr. Aat",
    "BE32B": "Arr. Charleroi",
    "BE32C": "Arr. Zinnik",
    "BE32D": "Arr. Thuin",
    "BE33": "Provincie Luik",
    "BE331": "Arr. Hoei",
    "BE332": "Arr. Luik",
    "BE334": "Arr. Borgworm",
    "BE335": "Arr. Verviers - Franstalige gemeenten",
    "BE336": "Arr. Verviers - Duitstalige Gemeenschap",
    "BE34": "Provincie Luxemburg",
    "BE341": "Arr. Aarlen",
    "BE342": "Arr. Bastenaken",
    "BE343": "Arr. Marche-en-Famenne",
    "BE344": "Arr. Neufchâteau",
    "BE345": "Arr. Virton",
    "BE35": "Provincie Namen",
    "BE351": "Arr. Dinant",
    "BE352": "Arr. Namen",
    "BE353": "Arr. Philippeville",
    "BEZ": "Extra-Regio NUTS 1",
    "BEZZ": "Extra-Regio NUTS 2",
    "BEZZZ": "Extra-Regio NUTS 3",
}

# NIS (REFNIS) code, NUTS code, vintages, and "part" where the NUTS unit is only part of the NIS unit
# (NUTS splits the arrondissement Verviers, NIS 63000, into BE335 and BE336).
NIS_NUTS = """
01000 BE 2016,2021
04000 BE1 2016,2021
04000 BE10 2016,2021
21000 BE100 2016,2021
02000 BE2 2016,2021
03000 BE3 2016,2021
10000 BE21 2016,2021
11000 BE211 2016,2021
12000 BE212 2016,2021
13000 BE213 2016,2021
70000 BE22 2016,2021
71000 BE221 2016
71000 BE224 2021
72000 BE222 2016
72000 BE225 2021
73000 BE223 2016,2021
40000 BE23 2016,2021
41000 BE231 2016,2021
42000 BE232 2016,2021
43000 BE233 2016,2021
44000 BE234 2016,2021
45000 BE235 2016,2021
46000 BE236 2016,2021
20001 BE24 2016,2021
23000 BE241 2016,2021
24000 BE242 2016,2021
30000 BE25 2016,2021
31000 BE251 2016,2021
32000 BE252 2016,2021
33000 BE253 2016,2021
34000 BE254 2016,2021
35000 BE255 2016,2021
36000 BE256 2016,2021
37000 BE257 2016,2021
38000 BE258 2016,2021
20002 BE31 2016,2021
25000 BE310 2016,2021
50000 BE32 2016,2021
51000 BE321 2016
52000 BE322 2016
53000 BE323 2016,2021
54000 BE324 2016
55000 BE325 2016
56000 BE326 2016
57000 BE327 2016
51000 BE32A 2021
52000 BE32B 2021
55000 BE32C 2021
56000 BE32D 2021
57000 BE328 2021
58000 BE329 2021
60000 BE33 2016,2021
61000 BE331 2016,2021
62000 BE332 2016,2021
63000 BE335 2016,2021 part
63000 BE336 2016,2021 part
64000 BE334 2016,2021
80000 BE34 2016,2021
81000 BE341 2016,2021
82000 BE342 2016,2021
83000 BE343 2016,2021
84000 BE344 2016,2021
85000 BE345 2016,2021
90000 BE35 2016,2021
91000 BE351 2016,2021
92000 BE352 2016,2021
93000 BE353 2016,2021
"""

# Units that REFNIS 2019 no longer lists (the Hainaut arrondissements before the 2019 reform).
NIS_NAMES_BEFORE_2019 = {
    "54000": "Arrondissement Moeskroen",
    "57000/2016": "Arrondissement Doornik",
}


def _clean(name: str) -> str:
    return " ".join(name.replace("\xa0", " ").split())


def read_geojson(geo: Path) -> dict[tuple[str, str], dict[str, object]]:
    """``(code, vintage) → properties`` for every feature of the eight GeoJSON files."""
    units: dict[tuple[str, str], dict[str, object]] = {}
    for vintage in VINTAGES:
        for level in range(4):
            path = geo / f"nuts{vintage}-20m" / f"NUTS_RG_20M_{vintage}_4326_LEVL_{level}.geojson"
            for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
                p = feature["properties"]
                name = p.get("NAME_LATN") or p["NUTS_NAME"]
                units[(p["NUTS_ID"], vintage)] = {
                    "level": int(p["LEVL_CODE"]),
                    "country": p["CNTR_CODE"],
                    "name": _clean(str(name)),
                }
    return units


def parent_of(code: str, vintage: str, units: dict[tuple[str, str], dict[str, object]]) -> str:
    """``code`` minus its last character, except where the file has an irregular code.

    The 2016 file codes Northern Ireland's NUTS 3 units UKN10…UKN16 although their NUTS 2 unit is UKN0;
    then the only unit one level up that shares the code's first letters is the parent.
    """
    if (code[:-1], vintage) in units:
        return code[:-1]
    level = int(units[(code, vintage)]["level"])
    candidates = [
        c
        for (c, v), u in units.items()
        if v == vintage and int(u["level"]) == level - 1 and c.startswith(code[:-2])
    ]
    if len(candidates) != 1:
        raise SystemExit(f"cannot find the parent of {code} (NUTS {vintage}): {candidates}")
    return candidates[0]


def nuts_rows(units: dict[tuple[str, str], dict[str, object]]) -> list[dict[str, object]]:
    latin = {code: u["name"] for (code, vintage), u in units.items() if vintage == "2021"}
    rows = []
    for (code, vintage), u in sorted(units.items()):
        level = int(u["level"])
        country = str(u["country"])
        if level == 0:
            name, name_nl = COUNTRIES[code]
        else:
            # The 2016 files carry names in national script only; the 2021 Latin name is used when the code
            # exists in both vintages.
            name, name_nl = latin.get(code, u["name"]), BE_NL.get(code, "")
        rows.append(
            {
                "code": code,
                "vintage": vintage,
                "level": level,
                "parent": parent_of(code, vintage, units) if level else "",
                "country": country,
                "kind": "nuts",
                "name": name,
                "name_nl": name_nl,
            }
        )
    for vintage in VINTAGES:
        for country in sorted({str(u["country"]) for (_, v), u in units.items() if v == vintage}):
            for level, suffix in ((1, "Z"), (2, "ZZ"), (3, "ZZZ")):
                code = country + suffix
                rows.append(
                    {
                        "code": code,
                        "vintage": vintage,
                        "level": level,
                        "parent": code[:-1],
                        "country": country,
                        "kind": "extra-regio",
                        "name": f"Extra-Regio NUTS {level}",
                        "name_nl": f"Extra-Regio NUTS {level}",
                    }
                )
        for code, (name, name_nl) in AGGREGATES.items():
            rows.append(
                {
                    "code": code,
                    "vintage": vintage,
                    "level": "",
                    "parent": "",
                    "country": "",
                    "kind": "aggregate",
                    "name": name,
                    "name_nl": name_nl,
                }
            )
    return rows


def read_refnis(path: Path) -> dict[str, str]:
    """NIS code → Dutch name from the REFNIS 2019 list (columns 4 and 5)."""
    names = {}
    with path.open(encoding="utf-8") as f:
        reader = csv.reader(f, delimiter=";")
        next(reader)
        for row in reader:
            if len(row) > 4 and row[3].strip():
                names[row[3].strip()] = _clean(row[4])
    return names


def nis_rows(refnis: dict[str, str]) -> list[dict[str, object]]:
    rows = []
    for line in NIS_NUTS.strip().splitlines():
        nis, nuts, vintages, *part = line.split()
        relation = "nuts is part of nis" if part else "equal"
        for vintage in vintages.split(","):
            if vintage == "2016" and nis in ("54000", "57000"):
                name = NIS_NAMES_BEFORE_2019["54000" if nis == "54000" else "57000/2016"]
            else:
                name = refnis[nis]
            level = len(nuts) - 2
            kind = {0: "country", 1: "region", 2: "province", 3: "arrondissement"}[level]
            if nuts in ("BE1", "BE10"):
                kind = "region"
            rows.append(
                {
                    "nis": nis,
                    "nuts": nuts,
                    "vintage": vintage,
                    "level": kind,
                    "relation": relation,
                    "name_nis_nl": name,
                }
            )
    return rows


def write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {path} ({len(rows)} rows)")


def main(argv: list[str]) -> None:
    """``build_nuts_table.py [GEO_DIR [OUT_DIR]]`` (defaults: ../shared/data/geo, the package folder)."""
    geo = Path(argv[1]) if len(argv) > 1 else REPO.parent / "shared" / "data" / "geo"
    out = Path(argv[2]) if len(argv) > 2 else OUT
    units = read_geojson(geo)
    missing_nl = sorted(c for (c, _), u in units.items() if u["country"] == "BE" and c not in BE_NL)
    if missing_nl:
        raise SystemExit(f"no Dutch name for Belgian code(s): {', '.join(missing_nl)}")
    write(out / "nuts.csv", nuts_rows(units))
    write(out / "nis_nuts.csv", nis_rows(read_refnis(geo / "belgium" / "REFNIS_2019.csv")))


if __name__ == "__main__":
    main(sys.argv)
