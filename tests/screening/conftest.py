"""A small hand-made panel whose measures are worked out by hand in the tests.

Nation N (2000 → 2010): A 100 → 110, B 200 → 220, C 300 → 300, D 400 → 370 (total 1000 → 1000).
Region R (2000 → 2010): A 30 → 45, B 10 → 10, C 40 → 30, D 20 → 15 (total 100 → 100).

By hand, 2010: shares of R  A .45, B .10, C .30, D .15; shares of N  A .11, B .22, C .30, D .37;
LQ  A 45/11 = 4.0909, B 0.4545, C 1, D 0.4054; growth of R  A +50 %, B 0, C −25 %, D −25 %;
regional shift x0·(g_ri − G_i)  A 30·(0.5 − 0.1) = 12, B 10·(0 − 0.1) = −1, C 40·(−0.25 − 0) = −10,
D 20·(−0.25 + 0.075) = −3.5.
"""

from __future__ import annotations

import pandas as pd
import pytest

from speerpunt.panel import Panel

NATION = {"A": (100, 110), "B": (200, 220), "C": (300, 300), "D": (400, 370)}
REGION = {"A": (30, 45), "B": (10, 10), "C": (40, 30), "D": (20, 15)}


def make_panel(region=REGION, nation=NATION, variable="employment", extra_rows=()) -> Panel:
    rows = []
    for reg, table in (("R", region), ("N", nation)):
        for sector, (v0, v1) in table.items():
            rows += [(reg, sector, 2000, variable, v0), (reg, sector, 2010, variable, v1)]
    rows += list(extra_rows)
    return Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))


@pytest.fixture
def panel() -> Panel:
    return make_panel()


def config_text(criteria: str, rule: str, extra: str = "") -> str:
    return f"variables: [employment]\ncriteria:\n{criteria}\nrule: {rule}\n{extra}"
