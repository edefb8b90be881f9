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
from speerpunt.firms.expressions import PUBLISH, SIZE_BOUNDS, Confidentiality
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
