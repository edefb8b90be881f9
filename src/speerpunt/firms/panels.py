"""Firm records → a speerpunt :class:`~speerpunt.panel.Panel` (region × sector × year) that can be published.

Variables: ``employees`` (sum over firm-years), ``firms`` (number of distinct firms) and, when the records
have them, ``turnover`` and ``value_added`` (sums; a cell where some firm lacks the amount is NaN with
flag ``:``, never a partial sum). Each cell follows :class:`~speerpunt.firms.expressions.Confidentiality`:
fewer than ``min_firms`` firms, or one firm holding more than ``dominance`` of the cell's employees,
makes every variable of that cell NaN with flag ``c``.

Example
-------
>>> import pandas as pd
>>> from speerpunt.firms.records import load_records
>>> df = pd.DataFrame({"firm_id": [1, 2, 3, 4], "year": 2020, "region": ["11002"] * 4,
...                    "nace": ["20140", "20140", "20140", "46900"], "employees": [5, 4, 3, 9]})
>>> p = firm_panel(load_records(df), territory="province", nace_level="division")
>>> p.data[["region", "sector", "variable", "value", "flag"]].values.tolist()
[['10000', '20', 'employees', 12.0, ''], ['10000', '20', 'firms', 3.0, ''], ['10000', '46', 'employees', nan, 'c'], ['10000', '46', 'firms', nan, 'c']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from speerpunt.firms.expressions import (
    PUBLISH,
    Confidentiality,
    Sectors,
    cell_stats,
    dotted,
    with_keys,
)
from speerpunt.firms.records import AMOUNTS, FirmRecords
from speerpunt.firms.territory import Territory, territory_name
from speerpunt.panel import Panel, PanelMeta

UNITS = {"employees": "persons", "firms": "firms", "turnover": "EUR", "value_added": "EUR"}


def firm_cells(
    records: FirmRecords,
    *,
    territory: Territory | None = "arrondissement",
    nace_level: str | None = "division",
    sectors: Sectors | None = None,
    confidentiality: Confidentiality | None = PUBLISH,
) -> pd.DataFrame:
    """Cells ``region, sector, year`` with ``firms, employees, largest`` (and amounts) and a ``flag``.

    ``flag`` is ``'c'`` for a confidential cell (values kept here, for the analyst's own use; the Panel
    built by :func:`firm_panel` blanks them).
    """
    t = with_keys(records, territory=territory, nace_level=nace_level, sectors=sectors)
    extra = [c for c in AMOUNTS if c in records.columns]
    cells = records.execute(cell_stats(t, ["area", "sector", "year"], extra))
    cells = cells.rename(columns={"area": "region"})
    cells["sector"] = dotted(cells["sector"])
    cells["flag"] = ""
    if confidentiality is not None:
        hide = confidentiality.mask(cells["firms"], cells["employees"], cells["largest"])
        cells.loc[hide.to_numpy(), "flag"] = "c"
    return cells.sort_values(["region", "sector", "year"]).reset_index(drop=True)


def firm_panel(
    records: FirmRecords,
    *,
    territory: Territory | None = "arrondissement",
    nace_level: str | None = "division",
    sectors: Sectors | None = None,
    confidentiality: Confidentiality | None = PUBLISH,
) -> Panel:
    """A Panel of employees and firms (and amounts) by area × sector × year from firm records.

    Parameters
    ----------
    records : FirmRecords
        From :func:`speerpunt.firms.records.load_records`.
    territory : str or mapping
        ``'municipality'`` … ``'country'``, ``'resoc'``, or ``{area: [NIS codes]}``.
    nace_level : str
        ``'section'``, ``'division'``, ``'group'``, ``'class'`` or ``'subclass'`` (NACE-BEL).
    sectors : mapping or ``'policy'``, optional
        Named sets of NACE codes instead of a NACE level.
    confidentiality : Confidentiality or None
        The publication rule; ``None`` publishes every cell (for internal analysis only).

    Notes
    -----
    ``employees_rst = Σ_{f in (r,s,t)} e_f``, ``firms_rst = |{f in (r,s,t)}|``. Firms that move region or
    sector count in the cell of each year (see ``records.report``).
    """
    cells = firm_cells(
        records,
        territory=territory,
        nace_level=nace_level,
        sectors=sectors,
        confidentiality=confidentiality,
    )
    variables = ["employees", "firms"] + [c for c in AMOUNTS if c in cells.columns]
    frames = []
    for var in variables:
        value = cells[var].astype(float)
        flag = cells["flag"].copy()
        if var in AMOUNTS:
            partial = cells[f"{var}_missing"] > 0
            value = value.where(~partial, np.nan)
            flag = flag.where(~partial | (flag == "c"), ":")
        value = value.where(cells["flag"] != "c", np.nan)
        frames.append(
            pd.DataFrame(
                {
                    "region": cells["region"],
                    "sector": cells["sector"],
                    "year": cells["year"],
                    "variable": var,
                    "value": value,
                    "flag": flag,
                }
            )
        )
    data = pd.concat(frames, ignore_index=True)
    rule = (
        "no confidentiality rule applied"
        if confidentiality is None
        else f"cells with fewer than {confidentiality.min_firms} firms or one firm above "
        f"{confidentiality.dominance:.0%} of employees are confidential (flag c)"
    )
    level = "policy sectors" if sectors is not None else f"NACE {nace_level}"
    meta = PanelMeta(
        name=f"firms:{records.source}",
        units={v: UNITS[v] for v in variables},
        source=records.source,
        classification=f"NACE-BEL 2008, {level}",
        notes=(
            f"aggregated from {records.report.rows:,} firm-years to {territory_name(territory or 'all')}",
            rule,
        ),
    )
    return Panel(data, meta)
