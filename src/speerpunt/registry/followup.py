"""Follow-up of recommendations year by year, from the registry's history.

A recommendation carries its current ``status`` and the ``date`` that status was reached. Every
change goes through the store and leaves a history row with the whole record after the change, so
the status at the end of any year can be read back: the last recorded version whose status ``date``
is on or before 31 December of that year. A version without a ``date`` counts from its
``valid_from`` (a curated recommendation: the study's year), else from the day it was recorded (``at``). Before its first dated version a recommendation has no status that year (empty,
not "proposed").

>>> h = pd.DataFrame({"record_id": ["r", "r"], "at": pd.to_datetime(["2024-01-05", "2025-03-01"]),
...                   "after": [{"status": "proposed", "date": "2014-01-01"},
...                             {"status": "done", "date": "2025-02-28"}]})
>>> status_by_year(h, [2013, 2014, 2024, 2025]).to_dict("records")
[{'recommendation': 'r', '2013': None, '2014': 'proposed', '2024': 'proposed', '2025': 'done'}]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from speerpunt.errors import RegistryError, Text


def status_by_year(history: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """Recommendation × year: the status at the end of each year (``None`` before the first one).

    ``history`` holds the registry's history rows of the table ``recommendations`` (columns
    ``record_id``, ``at``, ``after``). Columns of the result: ``recommendation`` and one per year.
    """
    if not len(years):
        raise RegistryError(Text("rg_give_year"), column="--years")
    rows = []
    for rid, group in history.groupby("record_id", sort=True):
        versions = []
        for at, after in zip(group["at"], group["after"], strict=True):
            if not after:
                continue
            when = (
                after.get("date") or after.get("valid_from") or pd.Timestamp(at).date().isoformat()
            )
            versions.append(
                (dt.date.fromisoformat(str(when)[:10]), pd.Timestamp(at), after["status"])
            )
        versions.sort()
        row: dict[str, object] = {"recommendation": rid}
        for year in years:
            end = dt.date(int(year), 12, 31)
            valid = [status for when, _, status in versions if when <= end]
            row[str(year)] = valid[-1] if valid else None
        rows.append(row)
    return pd.DataFrame(rows, columns=["recommendation", *map(str, years)])
