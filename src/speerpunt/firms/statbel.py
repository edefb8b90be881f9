"""Statbel's VAT-registered enterprises (stock, starts, stops by municipality × NACE-BEL) on the DuckDB path.

The open-data file ``TF_VAT_NACE_SQ_2019.zip`` holds one SQLite database whose fact table
``TF_VAT_NACE_2019`` counts, per municipality (``CD_REFNIS``), legal form and NACE-BEL 2008 subclass
(``CD_NACE``), the enterprises registered at the end of the year (``MS_NUM_VAT``), those that started
(``MS_NUM_VAT_START``) and those that stopped (``MS_NUM_VAT_STOP``) during it. The table is loaded into
DuckDB and aggregated with the same territory and sector expressions as firm records, so it gives
business demography by RESOC area and spearhead sector. Counts of enterprises, not employment.

Source: Statbel (Directorate-general Statistics – Statistics Belgium), open data "Enterprises subject to
VAT according to legal form", licence based on CC BY 4.0.
"""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from speerpunt.errors import DataError, Text
from speerpunt.firms.engine import connect
from speerpunt.firms.expressions import Sectors, dotted, ratio, sector_map, with_keys
from speerpunt.firms.records import FirmRecords, RecordsReport, nace_depth
from speerpunt.firms.territory import Territory, is_nis

ATTRIBUTION = "Source: Statbel (Directorate-general Statistics – Statistics Belgium)"
TABLE = "TF_VAT_NACE_2019"


def read_statbel_vat(path: str | Path) -> pd.DataFrame:
    """The fact table of Statbel's VAT file (zip with one SQLite database, or the SQLite file itself)."""
    path = Path(path)
    if not path.exists():
        raise DataError(Text("fr_file_not_found"), file=str(path))
    with tempfile.TemporaryDirectory() as tmp:
        db = path
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                names = [n for n in z.namelist() if n.endswith(".sqlite")]
                if not names:
                    raise DataError(Text("fr_zip_no_sqlite"), file=str(path))
                db = Path(z.extract(names[0], tmp))
        try:
            con = sqlite3.connect(db)
            tables = {
                r[0] for r in con.execute("select name from sqlite_master where type='table'")
            }
            name = next((t for t in tables if t.startswith("TF_VAT_NACE")), None)
            if name is None:
                raise DataError(
                    Text("fr_no_vat_table", tables=", ".join(sorted(tables))), file=str(path)
                )
            df = pd.read_sql(f'select * from "{name}"', con)
        except sqlite3.DatabaseError as exc:
            raise DataError(Text("fr_not_statbel", detail=str(exc)), file=str(path)) from exc
        finally:
            con.close()
    return df


def statbel_records(path: str | Path, *, con=None) -> FirmRecords:
    """Statbel's VAT counts as :class:`FirmRecords`-like aggregates on DuckDB (one row per cell).

    Columns: ``region, nace, enterprises, starts, stops``; codes checked like firm records (the 583
    NIS codes incl. abroad/unknown and the 1,025 NACE-BEL codes incl. ``XXXXX``).
    """
    df = read_statbel_vat(path)
    label = Path(path).name
    for col in ("CD_REFNIS", "CD_NACE", "MS_NUM_VAT", "MS_NUM_VAT_START", "MS_NUM_VAT_STOP"):
        if col not in df.columns:
            raise DataError(Text("fr_missing_column"), file=label, column=col)
    cells = pd.DataFrame(
        {
            "region": df["CD_REFNIS"].astype(str).str.strip(),
            "nace": df["CD_NACE"].astype(str).str.strip(),
            "enterprises": df["MS_NUM_VAT"],
            "starts": df["MS_NUM_VAT_START"],
            "stops": df["MS_NUM_VAT_STOP"],
        }
    )
    for col in ("enterprises", "starts", "stops"):
        v = cells[col].to_numpy(dtype=float)
        bad = np.isnan(v) | (v < 0) | (v != np.floor(v))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataError(
                Text("fr_not_count", value=repr(v[i])), file=label, row=i + 1, column=col
            )
        cells[col] = v.astype("int64")
    for col, ok in (("region", is_nis), ("nace", lambda c: nace_depth(c) is not None)):
        bad = ~cells[col].map(ok)
        if bad.any():
            raise DataError(
                Text("fr_unknown_code", code=cells[col][bad].iloc[0]), file=label, column=col
            )
    con = con if con is not None else connect("duckdb")
    table = con.create_table("statbel_vat", cells, overwrite=True)
    report = RecordsReport(
        source=label,
        rows=len(cells),
        firms=int(cells["enterprises"].sum()),
        first_year=2019,
        last_year=2019,
        region_moves=0,
        sector_moves=0,
        notes=(ATTRIBUTION,),
    )
    return FirmRecords(
        con=con,
        table=table,
        report=report,
        columns=("region", "nace", "enterprises", "starts", "stops"),
        nace_min_depth=5,
        region_codes=frozenset(cells["region"]),
        nace_codes=frozenset(cells["nace"]),
    )


def statbel_demography(
    path: str | Path,
    *,
    territory: Territory | None = "resoc",
    nace_level: str | None = "division",
    sectors: Sectors | None = None,
) -> pd.DataFrame:
    """Enterprises, starts, stops and their rates by area and sector from Statbel's VAT file.

    Returns
    -------
    DataFrame
        ``region, sector, enterprises, starts, stops, start_rate, stop_rate`` with
        ``start_rate = starts / enterprises`` (end-of-year stock), and a ``TOTAL`` sector per area.
    """
    return _demography(statbel_records(path), territory, nace_level, sectors)


def _demography(
    recs: FirmRecords, territory: Territory | None, nace_level: str | None, sectors: Sectors | None
) -> pd.DataFrame:
    t = with_keys(recs, territory=territory, nace_level=nace_level, sectors=sectors)
    agg = {c: t[c].sum() for c in ("enterprises", "starts", "stops")}
    out = recs.execute(t.group_by(["area", "sector"]).aggregate(**agg))
    out["sector"] = dotted(out["sector"])
    if sectors is None:
        total = out.groupby("area", as_index=False)[["enterprises", "starts", "stops"]].sum()
        total["sector"] = "TOTAL"
        out = pd.concat([out, total], ignore_index=True)
    out["start_rate"] = ratio(out["starts"], out["enterprises"])
    out["stop_rate"] = ratio(out["stops"], out["enterprises"])
    out = out.rename(columns={"area": "region"})
    cols = ["region", "sector", "enterprises", "starts", "stops", "start_rate", "stop_rate"]
    return out.sort_values(["region", "sector"])[cols].reset_index(drop=True)


def shipped_statbel_file() -> Path:
    """The Statbel VAT file shipped with speerpunt (``speerpunt/data/TF_VAT_NACE_SQ_2019.zip``)."""
    from importlib import resources

    from speerpunt.data.readers import STATBEL_FILE

    return Path(str(resources.files("speerpunt.data").joinpath(STATBEL_FILE)))


def statbel_profile(
    territory: Territory, *, sectors: Sectors = "policy", path: str | Path | None = None
) -> pd.DataFrame:
    """Demography of ``territory``'s areas and of Belgium: all sectors (``TOTAL``) and each named sector.

    One load of the Statbel file serves the four aggregates (area and Belgium, total and by sector).

    Returns
    -------
    DataFrame
        ``region, sector, enterprises, starts, stops, start_rate, stop_rate`` and Belgium's
        ``reference_enterprises, reference_start_rate, reference_stop_rate`` on every row (sector
        ``TOTAL`` first, then the named sectors in their order).
    """
    recs = statbel_records(path if path is not None else shipped_statbel_file())

    def both(where: Territory | None) -> pd.DataFrame:
        total = _demography(recs, where, "section", None)
        total = total[total["sector"] == "TOTAL"]
        return pd.concat([total, _demography(recs, where, None, sectors)], ignore_index=True)

    area = both(territory)
    be = both("country").set_index("sector")
    for col in ("enterprises", "start_rate", "stop_rate"):
        area[f"reference_{col}"] = area["sector"].map(be[col])
    names = ["TOTAL", *sector_map(sectors)["sector"].drop_duplicates()]
    order = {name: i for i, name in enumerate(names)}
    area = area.assign(_order=area["sector"].map(order))
    return area.sort_values(["region", "_order"]).drop(columns="_order").reset_index(drop=True)
