"""Derive the firm module's reference tables from the Statbel VAT file (run once; output is committed).

    python scripts/firms_reference_tables.py ../shared/data/statbel/vat_enterprises_2019/TF_VAT_NACE_SQ_2019.zip

Writes ``src/speerpunt/firms/data/municipalities_2019.csv`` (the 581 municipalities of 2019 with their
arrondissement, province and region, plus Statbel's pseudo-codes for abroad and unknown) and
``nacebel_2008.csv`` (the NACE-BEL 2008 subclasses with Dutch and French labels). Both carry the number
of VAT-registered enterprises at the end of 2019 (``enterprises_2019``), which the synthetic register
generator uses as weights. Source: Statbel (Directorate-general Statistics – Statistics Belgium).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "src" / "speerpunt" / "firms" / "data"


def main(zip_path: str) -> None:
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(zip_path) as z:
        z.extract("TF_VAT_NACE_2019.sqlite", tmp)
        con = sqlite3.connect(Path(tmp) / "TF_VAT_NACE_2019.sqlite")
        munty = pd.read_sql("select * from TD_MUNTY_REFNIS", con)
        nace = pd.read_sql("select * from TD_NACE", con)
        facts = pd.read_sql("select * from TF_VAT_NACE_2019", con)
        con.close()
    by_nis = facts.groupby("CD_REFNIS")["MS_NUM_VAT"].sum()
    by_nace = facts.groupby("CD_NACE")["MS_NUM_VAT"].sum()
    m = munty[munty["CD_LVL_BASE"].isin([0, 4])].copy()
    # Brussels has no province: its region code stands in for it (as Statbel's NUTS2 BE10 does).
    blank = m["CD_PROV_REFNIS"].str.strip() == ""
    m.loc[blank, "CD_PROV_REFNIS"] = m.loc[blank, "CD_RGN_REFNIS"]
    out = pd.DataFrame(
        {
            "nis": m["CD_REFNIS"],
            "name_nl": m["TX_MUNTY_DESCR_NL"],
            "name_fr": m["TX_MUNTY_DESCR_FR"],
            "arrondissement": m["CD_ADM_DSTR_REFNIS"],
            "province": m["CD_PROV_REFNIS"],
            "region": m["CD_RGN_REFNIS"],
            "enterprises_2019": m["CD_REFNIS"].map(by_nis).fillna(0).astype(int),
        }
    )
    out.sort_values("nis").to_csv(OUT / "municipalities_2019.csv", index=False)
    labels = pd.DataFrame(
        {
            "code": nace["CD_NACE"],
            "label_nl": nace["TX_NACE_NL_LVL5"].str.replace(r"^\S+\s", "", regex=True),
            "label_fr": nace["TX_NACE_FR_LVL5"].str.replace(r"^\S+\s", "", regex=True),
            "enterprises_2019": nace["CD_NACE"].map(by_nace).fillna(0).astype(int),
        }
    )
    labels.sort_values("code").to_csv(OUT / "nacebel_2008.csv", index=False)


if __name__ == "__main__":
    main(sys.argv[1])
