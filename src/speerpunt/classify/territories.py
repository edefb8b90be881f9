"""Territories as new regions of a panel: unions, named territories (RESOC areas), municipality lists.

A region specification is one of

* a region code of the data: ``BE21``;
* a union: ``BE252+BE253+BE258`` (arrondissements, provinces or municipalities' NIS codes);
* a named territory: ``resoc:westhoek`` or its name ``"RESOC Westhoek"``, taken from the registry's actors
  (their NUTS3 ``territory``) and from a user YAML file (``name: [codes]``).

The members are summed from the finest level the data have: a union of arrondissements whose data are only
at NUTS2 is accepted when it makes up whole provinces (``BE211+BE212+BE213`` = ``BE21``), and refused
otherwise. A missing member cell makes the territory's cell missing, never a partial sum; for datasets with
complete counts (``absent: zero``, Statbel's enterprises) an absent row is a zero.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> df = pd.DataFrame({"region": ["A", "B", "A", "B"], "sector": ["X", "X", "TOTAL", "TOTAL"],
...                    "year": 2019, "variable": "n", "value": [1.0, 2.0, 10.0, 20.0]})
>>> panel, codes = add_territories(Panel(df), ["A+B"])
>>> codes, panel.wide("n", 2019).loc["A+B", ["TOTAL", "X"]].tolist()
(['A+B'], [30.0, 3.0])
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from speerpunt.classify.sector_build import absent_is_zero, sum_members
from speerpunt.errors import ConfigError, MeasureError, Text
from speerpunt.panel import COLUMNS, KEY, Panel


@cache
def _registry_territories() -> dict[str, dict]:
    # Resolved from the top package: ``resources.files("speerpunt.registry")`` would import the registry
    # package, whose database layer (SQLAlchemy, alembic) costs about a second; only the YAML file is read.
    text = resources.files("speerpunt").joinpath("registry/data/actors.yaml").read_text("utf-8")
    out = {}
    for actor in yaml.safe_load(text)["actors"]:
        if actor.get("territory"):
            key = actor["id"].replace("resoc-", "resoc:").replace("prov-", "prov:")
            out[key] = {
                "name": actor["name"],
                "members": list(actor["territory"]),
                "aliases": list(actor.get("aliases") or []),
                "source": f"registry actor {actor['id']} (document {actor.get('doc')}, "
                f"line {actor.get('line')})",
            }
    return out


def territories(path: str | Path | None = None) -> pd.DataFrame:
    """The named territories: ``id, name, members, source`` (the registry's, plus a user YAML file).

    A user file maps ids to lists of region codes (``westhoek-plus: [BE252, BE253, BE258, BE255]``).

    >>> t = territories().set_index("id")
    >>> t.loc["resoc:westhoek", "members"]
    'BE252+BE253+BE258'
    """
    items = dict(_registry_territories())
    if path is not None:
        items.update(_user_territories(path))
    return pd.DataFrame(
        [
            {"id": k, "name": v["name"], "members": "+".join(v["members"]), "source": v["source"]}
            for k, v in items.items()
        ]
    )


def _user_territories(path: str | Path) -> dict[str, dict]:
    p = Path(path)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(Text("cl_territory_unreadable", detail=str(exc)), file=str(p)) from exc
    if not isinstance(raw, dict):
        raise ConfigError(Text("cl_territory_map"), file=str(p))
    out = {}
    for name, members in raw.items():
        if not isinstance(members, list) or not members:
            raise ConfigError(Text("cl_territory_list", name=name), file=str(p), column=name)
        out[str(name)] = {
            "name": str(name),
            "members": [str(m) for m in members],
            "aliases": [],
            "source": str(p),
        }
    return out


def lookup(spec: str, path: str | Path | None = None) -> tuple[str, list[str]] | None:
    """``(id, member codes)`` of a named territory (id or name, case-insensitive), else ``None``."""
    items = dict(_registry_territories())
    if path is not None:
        items.update(_user_territories(path))
    s = " ".join(spec.split()).lower()
    for key, v in items.items():
        names = [key, v["name"], *v["aliases"]]
        if s in {n.lower() for n in names}:
            return key, list(v["members"])
    return None


def _expand(members: list[str], have: set[str]) -> list[str]:
    """Replace NUTS codes absent from the data by their children when those are (finest level present)."""
    from speerpunt.classify.nuts import is_nuts, nuts_children

    out: list[str] = []
    for code in members:
        kids = nuts_children(code) if code not in have and is_nuts(code) else []
        if kids and all(k in have or nuts_children(k) for k in kids):
            out += _expand(kids, have)
        else:
            out.append(code)
    return out


def _collapse(members: list[str], have: set[str]) -> list[str]:
    """Replace complete sets of NUTS children absent from the data by their parent when it is present."""
    from speerpunt.classify.nuts import nuts_children, nuts_parent

    out = list(members)
    changed = True
    while changed:
        changed = False
        for code in [m for m in out if m not in have]:
            parent = nuts_parent(code) if len(code) > 2 else None
            if not parent or parent not in have:
                continue
            kids = set(nuts_children(parent))
            if kids and kids <= set(out):
                out = [m for m in out if m not in kids] + [parent]
                changed = True
                break
    return out


def members_of(panel: Panel, spec: str, path: str | Path | None = None) -> tuple[str, list[str]]:
    """The code a region spec gets in the panel and the data regions it sums (one for a plain code)."""
    s = spec.strip()
    have = set(panel.regions)
    if s in have:
        return s, [s]
    named = lookup(s, path)
    if named is not None:
        code, members = named
    elif "+" in s:
        code, members = s, [m.strip() for m in s.split("+") if m.strip()]
    elif ":" in s or " " in s:
        raise MeasureError(
            Text("cl_unknown_territory", name=s),
            column="region",
        )
    else:
        return s, [s]  # a plain code: the measure says whether the data have it
    parts = _collapse(_expand(members, have), have)
    absent = [m for m in parts if m not in have]
    if absent:
        raise MeasureError(
            Text("cl_territory_absent", name=s, codes=", ".join(absent)),
            column="region",
        )
    return code, parts


def add_territories(
    panel: Panel, specs: Sequence[str], path: str | Path | None = None
) -> tuple[Panel, list[str]]:
    """The panel with one new region per spec that is not a plain code, and the code of every spec."""
    codes, members = [], {}
    for spec in specs:
        code, parts = members_of(panel, spec, path)
        codes.append(code)
        if parts != [code] and code not in panel.regions:
            members[code] = parts
    if not members:
        return panel, codes
    wanted = {m for ms in members.values() for m in ms}
    data = panel.data[panel.data["region"].isin(wanted)]
    built = sum_members(data, members, key="region", absent_zero=absent_is_zero(panel))
    out = pd.concat([panel.data, built], ignore_index=True).sort_values(KEY, kind="stable")
    return Panel._trusted(out[COLUMNS], panel.meta), codes


def country_of(panel: Panel, spec: str, path: str | Path | None = None) -> str | None:
    """The country code of a region spec (its members' common NUTS0; municipalities are Belgian), or
    ``None`` when its members lie in several countries (Öresund = DK01+SE22)."""
    _, parts = members_of(panel, spec, path)
    countries = {("BE" if p[:1].isdigit() or p.startswith("BE-") else p[:2]) for p in parts}
    return countries.pop() if len(countries) == 1 else None
