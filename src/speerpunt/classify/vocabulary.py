"""One sector vocabulary: the policy-sector files, their named sets, and ``--sectors`` specifications.

The statistics, the screening, the reports and the registry all read the definitions in
``policy_sector_files/`` (the registry's canonical sectors name theirs in ``policy_sector:``). A
``--sectors`` value is one of

* a named set: ``antwerp-2013`` (the study's six spearhead sectors and its Tabel 13 sectors) or
  ``antwerp-2013-spearheads`` (the six);
* one or more policy-sector names: ``bouw`` or ``bouw,chemie_life_sciences``;
* a YAML file of policy sectors (see :mod:`speerpunt.classify.policy`);
* inline definitions: ``chem=C20,C21;log=G46,H49-H53``;
* anything else (a scheme such as ``a10``, or data codes ``C,F``) is not a policy-sector spec
  (:func:`policy_spec` returns ``None``) and is left to the measures.

Example
-------
>>> [s.name for s in policy_spec("antwerp-2013-spearheads")][:2]
['chemie_life_sciences', 'groothandel_logistiek']
>>> policy_spec("a10") is None
True
>>> [s.nace for s in policy_spec("chem=C20,C21")]
[('20', '21')]
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from speerpunt.classify.policy import PolicySector, load_policy_sectors, policy_sectors
from speerpunt.classify.sector_build import parse_inline
from speerpunt.errors import ConfigError, Text


@cache
def named_sets() -> dict[str, dict]:
    """The named sets of policy sectors: ``{name: {"description": …, "sectors": [...]}}``."""
    text = resources.files("speerpunt.classify").joinpath("sector_sets.yaml").read_text("utf-8")
    sets = yaml.safe_load(text)
    known = policy_sectors()
    for name, entry in sets.items():
        unknown = [s for s in entry["sectors"] if s not in known]
        if unknown:
            raise ConfigError(
                Text("cl_set_unknown", name=name, sectors=", ".join(unknown)),
                file="sector_sets.yaml",
            )
    return sets


def policy_spec(spec: str | None) -> list[PolicySector] | None:
    """The policy sectors a ``--sectors`` value names, or ``None`` when it names none."""
    if spec is None or not str(spec).strip():
        return None
    s = str(spec).strip()
    known = policy_sectors()
    if s in named_sets():
        return [known[n] for n in named_sets()[s]["sectors"]]
    if "=" in s:
        return parse_inline(s)
    if s.endswith((".yaml", ".yml")) or Path(s).is_file():
        return list(load_policy_sectors(s).values())
    names = [n.strip() for n in s.split(",") if n.strip()]
    if names and all(n in known for n in names):
        return [known[n] for n in names]
    return None


def sectors_table(lang: str = "nl") -> pd.DataFrame:
    """One row per shipped policy sector: name, label, NACE codes, sets, registry ids, assumption, source."""
    sets = named_sets()
    registry = registry_links()
    rows = []
    for name, s in policy_sectors().items():
        rows.append(
            {
                "name": name,
                "label": s.label(lang),
                "nace": " ".join(s.nace) + (f" minus {' '.join(s.exclude)}" if s.exclude else ""),
                "sets": " ".join(k for k, v in sets.items() if name in v["sectors"]),
                "registry": " ".join(registry.get(name, [])),
                "assumption": "yes" if s.assumption else "no",
                "source": s.source,
            }
        )
    return pd.DataFrame(rows)


def registry_links() -> dict[str, list[str]]:
    """Policy-sector name → the registry's canonical sector ids that point to it (``policy_sector:``)."""
    text = resources.files("speerpunt.registry").joinpath("data/sectors.yaml").read_text("utf-8")
    out: dict[str, list[str]] = {}
    for entry in yaml.safe_load(text)["sectors"]:
        if entry.get("policy_sector"):
            out.setdefault(entry["policy_sector"], []).append(entry["id"])
    return out
