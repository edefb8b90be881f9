"""Readers of the embedded detailed datasets whose upstream files are not in a generic layout.

Each reader takes the shipped file's bytes and returns a tidy long frame
``region, sector, year, variable, value, flag`` (see :mod:`speerpunt.io.datasets`, which registers them).

* :func:`read_sbs_long` — Eurostat SBS persons employed, NUTS2 × NACE division, 2014. A ``0`` in that file
  is "zero or a confidential cell turned into 0 upstream" (PROVENANCE), so it becomes a missing value
  (``NaN``, flag ``":"``), never a zero. ``TOTAL`` is the business-economy total of the 68 divisions as
  published (the sum of the non-zero cells: suppressed cells are not in it).
* :func:`read_statbel_vat` — Statbel VAT-registered enterprises by municipality × NACE-BEL subclass,
  2019: stock, starts and stops. Counts are complete, so an absent cell is a true zero; NUTS regions
  (arrondissements … country) are built by summing municipalities.
* :func:`read_gdp_rows` — Eurostat ``nama_10r_3gdp`` rows: GDP (EUR), GDP per inhabitant, PPS.

Example
-------
>>> import io
>>> text = (b"geo,level,region_name,geo_source,year,nace_r2,nace_label,persons_employed_V16110\\n"
...         b"BE21,NUTS2,Antwerpen,xls,2014,C20,Chem,16850\\nBE21,NUTS2,Antwerpen,xls,2014,C28,Mach,0\\n")
>>> read_sbs_long(text)[["sector", "value", "flag"]].values.tolist()
[['20', 16850.0, ''], ['28', nan, ':'], ['TOTAL', 16850.0, '']]
"""

from __future__ import annotations

import io
import sqlite3
import zipfile

import numpy as np
import pandas as pd

from speerpunt.errors import DataError, Text

COLUMNS = ["region", "sector", "year", "variable", "value", "flag"]
SBS_FILE = "sbs_r_nuts06_r2_2014_V16110_long.csv"
STATBEL_FILE = "TF_VAT_NACE_SQ_2019.zip"
#: Statbel variables: (column in the SQLite table, variable name in the panel).
STATBEL_VARIABLES = (
    ("MS_NUM_VAT", "enterprises"),
    ("MS_NUM_VAT_START", "starts"),
    ("MS_NUM_VAT_STOP", "stops"),
)
#: Region codes given to Statbel's foreign (``-----``) and unknown (``XXXXX``) head offices.
STATBEL_FOREIGN, STATBEL_UNKNOWN = "BE-FOREIGN", "BE-UNKNOWN"
#: Municipalities of the German-speaking Community: NUTS 2021 BE336, the rest of Verviers is BE335.
GERMAN_SPEAKING = {"63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"}
GDP_VARIABLES = {
    "NUM_EUR": "gdp",
    "EUR_HAB": "gdp_per_inhabitant",
    "NUM_PPS_EU27_2020": "gdp_pps",
    "PPS_HAB_EU27_2020": "gdp_pps_index",
}


def _frame(rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(rows)[COLUMNS]


def read_sbs_long(data: bytes, file: str = SBS_FILE) -> pd.DataFrame:
    """SBS persons employed: zeros become missing (flag ``':'``); ``TOTAL`` is the published sum."""
    df = pd.read_csv(io.BytesIO(data), dtype={"geo": str, "nace_r2": str})
    need = {"geo", "year", "nace_r2", "persons_employed_V16110"}
    if not need <= set(df.columns):
        raise DataError(
            Text("io_sb_missing_columns", columns=", ".join(sorted(need - set(df.columns)))),
            file=file,
        )
    value = pd.to_numeric(df["persons_employed_V16110"], errors="coerce")
    if value.isna().any() or (value < 0).any():
        row = int(np.flatnonzero(value.isna() | (value < 0))[0]) + 2
        raise DataError(Text("io_sb_not_count"), file=file, row=row, column="persons_employed")
    sector = df["nace_r2"].str.slice(1)  # "C20" -> "20"; every code is a section letter + division
    total = value.groupby(df["geo"]).sum()
    cells = _frame(
        {
            "region": df["geo"],
            "sector": sector,
            "year": df["year"].astype("int64"),
            "variable": "employment",
            "value": value.where(value > 0),
            "flag": np.where(value > 0, "", ":"),
        }
    )
    years = df.groupby("geo")["year"].first().reindex(total.index)
    totals = _frame(
        {
            "region": total.index,
            "sector": "TOTAL",
            "year": years.astype("int64").to_numpy(),
            "variable": "employment",
            "value": total.to_numpy(dtype=float),
            "flag": "",
        }
    )
    return pd.concat([cells, totals], ignore_index=True)


def statbel_tables(data: bytes, file: str = STATBEL_FILE) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The raw fact table (summed over legal forms) and the municipality table of the Statbel zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = [n for n in zf.namelist() if n.endswith(".sqlite")]
            if len(names) != 1:
                raise DataError(Text("io_sb_one_sqlite"), file=file)
            blob = zf.read(names[0])
    except zipfile.BadZipFile as exc:
        raise DataError(Text("io_sb_not_zip", detail=str(exc)), file=file) from exc
    con = sqlite3.connect(":memory:")
    try:
        con.deserialize(blob)
        cols = ", ".join(f"SUM({c}) AS {v}" for c, v in STATBEL_VARIABLES)
        facts = pd.read_sql_query(
            f"SELECT CD_REFNIS AS nis, CD_NACE AS nace, {cols} FROM TF_VAT_NACE_2019 "
            "GROUP BY CD_REFNIS, CD_NACE",
            con,
        )
        munis = pd.read_sql_query(
            "SELECT CD_REFNIS AS nis, CD_ADM_DSTR_REFNIS AS arr, TX_MUNTY_DESCR_NL AS name_nl, "
            "TX_MUNTY_DESCR_FR AS name_fr FROM TD_MUNTY_REFNIS WHERE CAST(CD_LVL_BASE AS INTEGER) = 4",
            con,
        )
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as exc:
        raise DataError(Text("io_sb_sqlite", detail=str(exc)), file=file) from exc
    finally:
        con.close()
    return facts, munis.drop_duplicates("nis")


def statbel_sector(code: str) -> str:
    """NACE-BEL ``'20140'`` → ``'20.140'``; ``'0130X'`` → ``'01.30X'``; unknown ``'XXXXX'`` stays.

    >>> statbel_sector("20140"), statbel_sector("0130X"), statbel_sector("XXXXX")
    ('20.140', '01.30X', 'XXXXX')
    """
    c = str(code).strip()
    return c if not c[:2].isdigit() else f"{c[:2]}.{c[2:]}"


def municipality_nuts3(nis: str, arrondissement: str) -> str | None:
    """NUTS 2021 arrondissement of a 2019 municipality (``None`` for foreign/unknown).

    >>> municipality_nuts3("11002", "11000"), municipality_nuts3("63023", "63000")
    ('BE211', 'BE336')
    """
    from speerpunt.classify.nuts import nis_to_nuts

    if not str(arrondissement)[:1].isdigit():
        return None
    codes = nis_to_nuts(arrondissement, "2021")
    if len(codes) == 1:
        return codes[0]
    return "BE336" if nis in GERMAN_SPEAKING else "BE335"


def read_statbel_vat(data: bytes, file: str = STATBEL_FILE) -> pd.DataFrame:
    """Enterprises, starts and stops by municipality (NIS) and NUTS region × NACE-BEL subclass + TOTAL.

    Municipality rows are as published (absent = no enterprise); NUTS rows (BE, BE1–BE3, provinces,
    arrondissements) are sums of the municipalities with every subclass present (zeros written out).
    ``BE`` also holds the foreign and unknown head offices, as Statbel's Belgium total does.
    """
    facts, munis = statbel_tables(data, file)
    arr = dict(zip(munis["nis"], munis["arr"], strict=True))
    region = (
        facts["nis"].map({"-----": STATBEL_FOREIGN, "XXXXX": STATBEL_UNKNOWN}).fillna(facts["nis"])
    )
    unknown = sorted(set(facts["nis"]) - set(arr) - {"-----", "XXXXX"})
    if unknown:
        raise DataError(Text("io_sb_municipality", code=unknown[0]), file=file)
    nuts3 = {n: municipality_nuts3(n, arr[n]) for n in set(facts["nis"]) & set(arr)}
    facts = facts.assign(region=region, sector=facts["nace"].map(statbel_sector))
    long = facts.melt(
        id_vars=["region", "nis", "sector"],
        value_vars=[v for _, v in STATBEL_VARIABLES],
        var_name="variable",
    )
    long = long[long["value"].notna()]
    base = long[["region", "sector", "variable", "value"]]
    parts = [base]
    n3 = long["nis"].map(nuts3)
    for level in (5, 4, 3):
        keyed = long.assign(region=n3.str.slice(0, level)).dropna(subset=["region"])
        parts.append(_dense_sum(keyed))
    parts.append(_dense_sum(long.assign(region="BE")))
    out = pd.concat(parts, ignore_index=True)
    totals = out.groupby(["region", "variable"], as_index=False)["value"].sum()
    out = pd.concat([out, totals.assign(sector="TOTAL")], ignore_index=True)
    out["year"] = 2019
    out["flag"] = ""
    out["value"] = out["value"].astype(float)
    return out[COLUMNS]


def _dense_sum(long: pd.DataFrame) -> pd.DataFrame:
    """Sum ``long`` by region × sector × variable with every (region, sector) written out (0 if none)."""
    wide = long.pivot_table(
        index=["region", "variable"], columns="sector", values="value", aggfunc="sum", fill_value=0
    )
    return wide.stack().rename("value").reset_index()[["region", "sector", "variable", "value"]]


def read_gdp_rows(data: bytes, file: str = "gdp_rows_verbatim.csv") -> pd.DataFrame:
    """GDP rows (``country/BEL`` → ``BE``, ``nuts/LU0`` → ``LU``); an empty cell is missing, not zero."""
    df = pd.read_csv(io.BytesIO(data), dtype={"geo": str})
    geo = df["geo"].str.split("/").str[1]
    geo = geo.replace({"BEL": "BE", "DNK": "DK", "LU0": "LU"})
    parts = []
    for column, variable in GDP_VARIABLES.items():
        value = pd.to_numeric(df[column], errors="coerce")
        parts.append(
            _frame(
                {
                    "region": geo,
                    "sector": "TOTAL",
                    "year": df["time"].astype("int64"),
                    "variable": variable,
                    "value": value,
                    "flag": np.where(value.isna(), ":", ""),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)
