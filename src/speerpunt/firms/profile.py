"""The tables a report section or web page on one sector's SME structure and dynamics needs.

Renderers (report, web) format these frames; they compute nothing themselves.

>>> import pandas as pd
>>> from speerpunt.firms.records import load_records
>>> df = pd.DataFrame({"firm_id": [1, 1, 2, 2, 3], "year": [2018, 2020, 2018, 2020, 2020],
...                    "region": ["11002"] * 5, "nace": ["20140"] * 5, "employees": [5, 12, 30, 30, 2]})
>>> tables = sector_profile(load_records(df), {"chemie": ["20"]}, start=2018, end=2020)
>>> sorted(tables)
['concentration', 'demography', 'size_classes', 'sme_share', 'transitions']
>>> tables["transitions"].set_index("initial_class").loc["all", "grew"]
np.int64(1)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from speerpunt.firms.concentration import concentration
from speerpunt.firms.demography import demography
from speerpunt.firms.expressions import (
    PUBLISH,
    SIZE_BOUNDS,
    Confidentiality,
    Sectors,
    class_labels,
    sector_map,
)
from speerpunt.firms.records import FirmRecords
from speerpunt.firms.sizeclass import size_class_table, sme_share
from speerpunt.firms.transitions import transition_summary


def sector_profile(
    records: FirmRecords,
    sector: Mapping[str, Sequence[str]] | str,
    *,
    start: int | None = None,
    end: int | None = None,
    territory=None,
    bounds: Sequence[int] = SIZE_BOUNDS,
    confidentiality: Confidentiality | None = PUBLISH,
) -> dict[str, pd.DataFrame]:
    """Size classes, SME share, transitions, demography and concentration of one (policy) sector.

    Parameters
    ----------
    sector : mapping or str
        ``{name: [NACE codes]}``, or the name of a shipped policy sector (e.g. ``'chemie_life_sciences'``).
    start, end : int, optional
        The transition years (default: the first and last year of the records); ``end`` is also the
        year of the structure tables.
    """
    if isinstance(sector, str):
        from speerpunt.classify.policy import policy_sectors

        sector = {sector: list(policy_sectors()[sector].nace)}
    r = records.report
    start = r.first_year if start is None else start
    end = r.last_year if end is None else end
    keys = {"territory": territory, "sectors": sector}
    return {
        "size_classes": size_class_table(
            records, year=end, bounds=bounds, confidentiality=confidentiality, **keys
        ),
        "sme_share": sme_share(records, year=end, bounds=bounds, **keys),
        "transitions": transition_summary(records, start, end, by=None, bounds=bounds, **keys),
        "demography": demography(records, **keys),
        "concentration": concentration(records, year=end, **keys),
    }


def sectors_overview(
    records: FirmRecords,
    sectors: Sectors = "policy",
    *,
    year: int | None = None,
    territory=None,
    bounds: Sequence[int] = SIZE_BOUNDS,
) -> pd.DataFrame:
    """Every named sector side by side: firms by size class, SMEs and their share, births and deaths.

    Parameters
    ----------
    sectors : mapping or ``'policy'``
        Named sets of NACE codes (default: the shipped spearhead sectors); every one gets a row, with
        zeros where the register has no firm in it.
    year : int, optional
        The year of the size classes (default: the register's last year).
    territory : optional
        As in :func:`speerpunt.firms.expressions.with_keys` (``None``: the whole register).

    Returns
    -------
    DataFrame
        ``region, sector, firms``, one column of firms per size class (named by its label, e.g.
        ``0-9``), ``sme_firms, sme_share, births, deaths``; ``sme_share = sme_firms / firms`` (NaN for a
        sector without firms). Births are counted in the last year where they are known and deaths in
        the last year where they are known (without ``birth_year``/``death_year`` a register's first
        year has no births and its last year no deaths); ``attrs`` names ``year``, ``births_year``,
        ``deaths_year`` and the ``classes``. Firm counts are published as they are (the confidentiality
        rule is about employees).

    Example
    -------
    >>> import pandas as pd
    >>> from speerpunt.firms.records import load_records
    >>> df = pd.DataFrame({"firm_id": [1, 1, 2, 3], "year": [2018, 2020, 2018, 2020],
    ...                    "region": ["11002"] * 4, "nace": ["20140"] * 4, "employees": [5, 300, 4, 2]})
    >>> o = sectors_overview(load_records(df), {"chemie": ["20"], "bouw": ["41"]})
    >>> o[["sector", "firms", "0-9", "250+", "sme_firms", "births", "deaths"]].values.tolist()
    [['chemie', 2, 1, 1, 1, 1, 1], ['bouw', 0, 0, 0, 0, 0, 0]]
    >>> o.attrs["births_year"], o.attrs["deaths_year"]
    (2020, 2018)
    """
    r = records.report
    year = r.last_year if year is None else int(year)
    labels = class_labels(bounds)
    names = list(sector_map(sectors)["sector"].drop_duplicates())
    classes = size_class_table(
        records,
        year=year,
        territory=territory,
        sectors=sectors,
        bounds=bounds,
        confidentiality=None,
    )
    counts = classes.pivot_table(
        index=["region", "sector"], columns="size_class", values="firms", aggfunc="sum"
    )
    demo = demography(records, territory=territory, sectors=sectors)
    births_year = _last_known(demo, "births")
    deaths_year = _last_known(demo, "deaths")
    regions = sorted(set(classes["region"]) | set(demo["region"])) or ["all"]
    index = pd.MultiIndex.from_product([regions, names], names=["region", "sector"])
    out = counts.reindex(index=index, columns=labels).fillna(0).astype("int64")
    out.columns = list(labels)
    out.insert(0, "firms", out[labels].sum(axis=1))
    out["sme_firms"] = out[labels[:-1]].sum(axis=1)
    out["sme_share"] = out["sme_firms"] / out["firms"].where(out["firms"] > 0)
    for col, when in (("births", births_year), ("deaths", deaths_year)):
        at = demo[demo["year"] == when].set_index(["region", "sector"])[col]
        out[col] = at.reindex(index).fillna(0).astype("int64") if when is not None else 0
    out = out.reset_index()
    out.attrs.update(year=year, births_year=births_year, deaths_year=deaths_year, classes=labels)
    return out


def _last_known(demo: pd.DataFrame, col: str) -> int | None:
    """The last year in which ``col`` (births or deaths) is known, ``None`` when it never is."""
    known = demo.loc[demo[col].notna(), "year"]
    return int(known.max()) if len(known) else None
