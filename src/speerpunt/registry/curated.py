"""The curated dataset shipped in ``data/``: loading, sector-label normalisation and actor aliases.

Every fact carries its provenance ``doc`` (seed document number) and ``line`` (line in that text
under ``../shared/seeds``). See docs/registry.md for how each file was built.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import re
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

import yaml

from speerpunt.errors import RegistryError, Text

DATA = files("speerpunt.registry") / "data"


def _yaml(name: str) -> Any:
    """The shipped file ``name`` parsed; a fresh copy each call, so a caller may change what it gets."""
    return copy.deepcopy(_parsed_yaml(name))


@cache
def _parsed_yaml(name: str) -> Any:
    # The shipped files never change while the process runs; parsing them (pure-Python YAML) once instead
    # of once per registry page saves about 0.04 s per call (a report's sector pages call it 20 times).
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def sector_taxonomy() -> tuple[dict[str, Any], ...]:
    """The canonical sectors (id, en, nl, nace, aggregate, aggregate_note, patterns) in match order."""
    return tuple(_yaml("sectors.yaml")["sectors"])


def normalise_sector(label: str, sectors: tuple[dict[str, Any], ...] | None = None) -> str | None:
    """The canonical sector id for a label as written, or ``None`` when no pattern matches.

    The first sector (in taxonomy order) with a matching pattern wins.

    >>> normalise_sector("Transport-Distributie-Logistiek"), normalise_sector("Logitech")
    ('logistics', 'logistics')
    >>> normalise_sector("Haven & Logistiek"), normalise_sector("Zorgeconomie")
    ('logistics', 'care')
    """
    text = label.strip().lower()
    for sector in sectors or sector_taxonomy():
        if any(re.search(p, text, re.IGNORECASE) for p in sector.get("patterns") or ()):
            return sector["id"]
    return None


@lru_cache(maxsize=1)
def _actor_rows() -> tuple[dict[str, Any], ...]:
    return tuple(_yaml("actors.yaml")["actors"])


def alias_index(
    actors: list[dict[str, Any]] | tuple[dict[str, Any], ...] | None = None,
) -> dict[str, str]:
    """Lower-cased id, name and every alias → actor id."""
    index: dict[str, str] = {}
    for actor in actors if actors is not None else _actor_rows():
        for name in (actor["id"], actor["name"], *(actor.get("aliases") or ())):
            index[str(name).strip().lower()] = actor["id"]
    return index


def resolve_actor(name: str, actors: list[dict[str, Any]] | None = None) -> str:
    """The actor id for an id, name or alias (case-insensitive).

    >>> resolve_actor("RESOC Turnhout")
    'resoc-kempen'
    """
    key = name.strip().lower()
    index = alias_index(actors)
    if key not in index:
        raise RegistryError(Text("rg_unknown_actor", name=name), column="actor")
    return index[key]


def legend() -> list[dict[str, Any]]:
    """Tabel 10 of 001: the map symbols (kind, subtype, Dutch and English meaning, provenance)."""
    return _yaml("legend.yaml")["legend"]


def ambiguities() -> list[dict[str, Any]]:
    """Table cells whose actor could not be determined (not loaded as selections)."""
    return _yaml("ambiguities.yaml")["ambiguities"]


def _split(value: str) -> list[str]:
    return [v for v in value.split(" ") if v] if value else []


def _int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def _float(value: str | None) -> float | None:
    return float(value) if value not in (None, "") else None


def validity(period: str | None) -> tuple[dt.date | None, dt.date | None]:
    """Validity of a choice from its document's period: "2008 - 2013" → 1 Jan 2008 to 31 Dec 2013.

    >>> validity("2007-2010")
    (datetime.date(2007, 1, 1), datetime.date(2010, 12, 31))
    >>> validity("2012")
    (datetime.date(2012, 1, 1), None)
    """
    years = [int(y) for y in re.findall(r"\d{4}", period or "")]
    if not years:
        return None, None
    start = dt.date(years[0], 1, 1)
    return start, (dt.date(years[1], 12, 31) if len(years) > 1 else None)


def _selections(nace: dict[str, list[str]], periods: dict[str, str | None]) -> list[dict[str, Any]]:
    out = []
    for row in _csv("selections.csv"):
        valid_from, valid_to = validity(periods.get(row["document"]))
        out.append(
            {
                "id": f"{row['doc']}-{row['line']}-{row['actor']}-{row['sector']}",
                "actor": row["actor"],
                "label": row["label"],
                "sector": row["sector"],
                "nace": nace.get(row["sector"], []),
                "document": row["document"] or None,
                "year": _int(row["year"]),
                "status": row["status"],
                "ambiguous": row["ambiguous"] == "true",
                "note": row["note"] or None,
                "doc": row["doc"],
                "line": int(row["line"]),
                "valid_from": valid_from,
                "valid_to": valid_to,
            }
        )
    return out


def _features() -> list[dict[str, Any]]:
    out = []
    for row in _csv("features.csv"):
        out.append(
            {
                "id": row["id"],
                "province": row["province"],
                "sector": row["sector"],
                "figure": row["figure"] or None,
                "kind": row["kind"],
                "subtype": row["subtype"] or None,
                "name": row["name"],
                "place": row["place"] or None,
                "actors": _split(row["actors"]),
                "source": row["source"] or None,
                "year": _int(row["year"]),
                "remark": row["remark"] or None,
                "lon": _float(row["lon"]),
                "lat": _float(row["lat"]),
                "regions": _split(row["regions"]),
                "polygon": None,
                "precision": row["precision"] or "unknown",
                "doc": row["doc"],
                "line": int(row["line"]),
            }
        )
    return out


def _assessments() -> list[dict[str, Any]]:
    return [
        {
            "id": f"{r['actor']}-{r['criterion']}",
            "actor": r["actor"],
            "criterion": r["criterion"],
            "code": r["code"],
            "quote": r["quote"] or None,
            "document": r.get("document") or None,
            "doc": r["doc"],
            "line": int(r["line"]),
        }
        for r in _csv("assessments.csv")
    ]


def _clusters() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Clusters, and an actor of type 'cluster organisation' for each of them."""
    clusters, actors = [], []
    for c in _yaml("clusters.yaml")["clusters"]:
        clusters.append(
            {
                "id": c["id"],
                "name": c["name"],
                "kind": c["kind"],
                "domains": c.get("domains"),
                "sectors": list(c.get("sectors") or []),
                "note": c.get("note"),
                "stage": c.get("stage"),
                "doc": c["doc"],
                "line": c["line"],
            }
        )
        actors.append(
            {
                "id": f"cluster-{c['id']}",
                "type": "cluster organisation",
                "name": c["name"],
                "aliases": [],
                "territory": [],
                "province": None,
                "note": c.get("domains"),
                "country": None,
                "doc": c["doc"],
                "line": c["line"],
            }
        )
    return clusters, actors


def _generic(
    kind: str, rows: list[dict[str, Any]], from_text: bool = False
) -> list[dict[str, Any]]:
    """Typed records of a policy-object kind from a curated file (CSV cells are text): lists never null."""
    from speerpunt.registry.records import LISTS, column_types, fields, parse_cell

    types = column_types(kind)
    out = []
    for row in rows:
        rec = {f: parse_cell(row.get(f), types[f], from_text) for f in fields(kind)}
        for f in LISTS.get(kind, ()):
            rec[f] = list(rec[f] or [])
        out.append(rec)
    return out


def policy_objects() -> dict[str, list[dict[str, Any]]]:
    """Instruments, projects, cluster stages, recommendations, survey answers and policy domains."""
    return {
        "cluster_stages": _generic(
            "cluster_stages", _yaml("cluster_stages.yaml")["cluster_stages"]
        ),
        "instruments": _generic("instruments", _yaml("instruments.yaml")["instruments"]),
        "projects": _generic("projects", _yaml("projects.yaml")["projects"]),
        "recommendations": _generic("recommendations", _csv("recommendations.csv"), True),
        "survey": _generic("survey", _csv("survey.csv"), True),
        "policy_domains": _generic(
            "policy_domains", _yaml("policy_domains.yaml")["policy_domains"]
        ),
    }


def curated_records() -> dict[str, list[dict[str, Any]]]:
    """Every curated record, per kind, in the order they must be loaded (foreign keys)."""
    sectors = [
        {k: s.get(k) for k in ("id", "en", "nl", "aggregate", "aggregate_note")}
        | {
            "nace": list(s.get("nace") or []),
            "patterns": list(s.get("patterns") or []),
            "doc": None,
            "line": None,
        }
        for s in sector_taxonomy()
    ]
    actors = [
        {
            "id": a["id"],
            "type": a["type"],
            "name": a["name"],
            "aliases": list(a.get("aliases") or []),
            "territory": list(a.get("territory") or []),
            "province": a.get("province"),
            "note": a.get("note"),
            "country": a.get("country", "BE"),
            "doc": a["doc"],
            "line": a["line"],
        }
        for a in _actor_rows()
    ]
    clusters, cluster_actors = _clusters()
    documents = [
        {
            "id": d["id"],
            "type": d["type"],
            "title": d["title"],
            "period": d.get("period") or None,
            "year": d.get("year"),
            "actor": d.get("actor"),
            "generation": d.get("generation"),
            "doc": None,
            "line": None,
        }
        for d in _yaml("documents.yaml")["documents"]
    ]
    criteria = [
        {
            "id": c["id"],
            "category": c["category"],
            "nl": c["nl"],
            "question": c.get("question"),
            "doc": c["doc"],
            "line": c["line"],
        }
        for c in _yaml("criteria.yaml")["criteria"]
    ]
    nace = {s["id"]: s["nace"] for s in sectors}
    return {
        "sectors": sectors,
        "actors": actors + cluster_actors,
        "documents": documents,
        "criteria": criteria,
        "clusters": clusters,
        "selections": _selections(nace, {d["id"]: d["period"] for d in documents}),
        "features": _features(),
        "assessments": _assessments(),
        **policy_objects(),
    }
