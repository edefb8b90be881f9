"""Record fields, file formats (CSV, JSON, YAML, GeoJSON) and validation for import and export.

In CSV, list fields are joined with ``|`` and empty cells are ``None``; JSON and YAML keep native
lists and nulls. Validation collects every problem of every record before anything is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import JSON, Boolean, Date, Float, Integer

from speerpunt.errors import Joined, RegistryError, Text
from speerpunt.registry.models import MODELS

ACTOR_TYPES = (
    "province",
    "RESOC",
    "city",
    "region",
    "cluster organisation",
    "knowledge institution",
    "other",
)
# the cluster lifecycle of the New Industrial Policy (002 lines 789-808, 1152-1173)
CLUSTER_STAGES = ("pre-cluster", "learning platform", "cluster", "roadmap", "valorisation")
RECOMMENDATION_STATUS = ("proposed", "planned", "ongoing", "done", "dropped")
ENUMS: dict[tuple[str, str], tuple[str | None, ...]] = {
    ("actors", "type"): ACTOR_TYPES,
    ("selections", "status"): ("original", "update", "recent"),
    ("features", "kind"): ("point", "zone", "connection"),
    ("features", "subtype"): (None, "organisational", "infrastructural"),
    ("features", "precision"): ("exact", "municipality", "region", "unknown"),
    ("assessments", "code"): ("explicit", "implicit", "absent"),
    ("clusters", "stage"): (None, *CLUSTER_STAGES),
    ("cluster_stages", "stage"): CLUSTER_STAGES,
    ("instruments", "level"): ("european", "federal", "flemish", "provincial", "local"),
    ("recommendations", "status"): RECOMMENDATION_STATUS,
    ("projects", "kind"): ("transformation", "flagship", "pre-cluster", "cluster", "other"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "sectors": ("id", "en"),
    "actors": ("id", "type", "name"),
    "documents": ("id", "title"),
    "criteria": ("id", "category", "nl"),
    "clusters": ("id", "name"),
    "selections": ("id", "actor", "label", "sector", "status"),
    "features": ("id", "province", "sector", "kind", "name"),
    "assessments": ("id", "actor", "criterion", "code"),
    "cluster_stages": ("id", "cluster", "stage"),
    "instruments": ("id", "name", "level", "kind"),
    "projects": ("id", "name", "kind"),
    "recommendations": ("id", "sector", "building_block", "text", "status"),
    "survey": ("id", "question", "answer"),
    "policy_domains": ("id", "name"),
}
# field → kind whose ids it must name
REFERENCES: dict[str, dict[str, str]] = {
    "documents": {"actor": "actors"},
    "selections": {"actor": "actors", "sector": "sectors", "document": "documents"},
    "features": {"province": "actors", "sector": "sectors"},
    "assessments": {"actor": "actors", "criterion": "criteria", "document": "documents"},
    "cluster_stages": {"cluster": "clusters"},
    "projects": {"instrument": "instruments", "cluster": "clusters"},
    "recommendations": {"sector": "sectors", "owner": "actors"},
    "policy_domains": {"actor": "actors"},
}
# list field → kind whose ids every element must name
LIST_REFERENCES: dict[str, dict[str, str]] = {
    "clusters": {"sectors": "sectors"},
    "features": {"actors": "actors"},
    "instruments": {"sectors": "sectors", "actors": "actors"},
    "projects": {"sectors": "sectors", "actors": "actors"},
    "policy_domains": {"sectors": "sectors"},
}
# numeric fields that cannot be negative (amounts in euro, durations, counts)
NON_NEGATIVE: dict[str, tuple[str, ...]] = {
    "instruments": ("amount",),
    "projects": ("duration_months", "budget"),
    "survey": ("count", "base"),
}
FORMATS = ("csv", "json", "yaml", "geojson")
# list fields that are never null (an empty list instead); other JSON fields (polygon) may be null
LISTS: dict[str, tuple[str, ...]] = {
    "sectors": ("nace", "patterns"),
    "actors": ("aliases", "territory"),
    "clusters": ("sectors",),
    "selections": ("nace",),
    "features": ("actors", "regions"),
    "instruments": ("sectors", "actors"),
    "projects": ("partners", "sectors", "actors"),
    "policy_domains": ("sectors",),
}


def check_kind(kind: str) -> str:
    """The kind itself, or a :class:`RegistryError` naming the known kinds."""
    if kind not in MODELS:
        raise RegistryError(
            Text("rg_unknown_kind", kind=kind, choices=", ".join(MODELS)), column="--kind"
        )
    return kind


def fields(kind: str) -> list[str]:
    """Exported fields of a kind: every column except the internal ``version``."""
    return [c.name for c in MODELS[check_kind(kind)].__table__.columns if c.name != "version"]


def column_types(kind: str) -> dict[str, Any]:
    return {c.name: c.type for c in MODELS[kind].__table__.columns}


def to_plain(value: Any) -> Any:
    """A JSON-safe value (dates as ISO strings)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def parse_cell(value: Any, ctype: Any, from_text: bool) -> Any:
    """Convert one cell to the column's Python type; raises ValueError with a short reason."""
    if value is None or (from_text and value == "" and not isinstance(ctype, JSON)):
        return None
    if isinstance(ctype, JSON):
        if from_text:
            text = str(value)
            if not text:
                return None
            if text.startswith("["):  # nested lists (polygons) are written as JSON
                return json.loads(text)
            return [v for v in text.split("|") if v != ""]
        if not isinstance(value, (list, dict)):
            raise ValueError(Text("rg_expected_list"))
        return value
    if isinstance(ctype, Boolean):
        text = str(value).strip().lower()
        if text not in ("true", "false", "1", "0"):
            raise ValueError(Text("rg_expected_bool", value=value))
        return text in ("true", "1")
    if isinstance(ctype, Integer):
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError(Text("rg_expected_int", value=value))
        return int(str(value).strip()) if isinstance(value, str) else int(value)
    if isinstance(ctype, Float):
        return float(value)
    if isinstance(ctype, Date):
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return str(value)


def read_rows(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], bool]:
    """(line or item number, raw row) pairs from a CSV, JSON or YAML file, and whether it was text (CSV)."""
    if not path.is_file():
        raise RegistryError(Text("rg_no_such_file"), file=str(path))
    suffix = path.suffix.lower()
    text = path.read_text(encoding="utf-8")
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        return [(i + 2, row) for i, row in enumerate(reader)], True
    try:
        data = json.loads(text) if suffix in (".json", ".geojson") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise RegistryError(
            Text("rg_cannot_parse", reason=str(exc).splitlines()[0]), file=str(path)
        ) from None
    if isinstance(data, Mapping) and data.get("type") == "FeatureCollection":
        data = [_from_geojson(f) for f in data.get("features", [])]
    if not isinstance(data, list) or not all(isinstance(r, Mapping) for r in data):
        raise RegistryError(Text("rg_expected_records"), file=str(path))
    return [(i + 1, dict(r)) for i, r in enumerate(data)], False


def validate(
    kind: str,
    rows: list[tuple[int, dict[str, Any]]],
    from_text: bool,
    known: Mapping[str, set[str]],
) -> tuple[list[dict[str, Any]], list[str]]:
    """Typed records and the list of problems ("line N: ..."); ``known`` holds existing ids per kind.

    Each problem is a :class:`Text` ``rg_problem_at`` whose field ``errors`` (a :class:`Joined` of the
    record's errors) is the message without its place, in any language of the catalogue.
    """
    types = column_types(kind)
    names = fields(kind)
    batch_ids = {str(r.get("id")) for _, r in rows if r.get("id") not in (None, "")}
    records, problems = [], []
    seen: set[str] = set()
    for number, raw in rows:
        where = Text("rg_line" if from_text else "rg_record", number=number)
        errors: list[str] = []
        unknown = sorted(set(raw) - set(names) - {"version"})
        if unknown:
            errors.append(Text("rg_unknown_fields", fields=", ".join(unknown)))
        record: dict[str, Any] = {}
        for name in names:
            try:
                record[name] = parse_cell(raw.get(name), types[name], from_text)
                if record[name] is None and name in LISTS.get(kind, ()):
                    record[name] = []  # an empty CSV cell of a list field is the empty list
            except (ValueError, TypeError) as exc:
                reason = exc.args[0] if exc.args and isinstance(exc.args[0], Text) else str(exc)
                errors.append(Text("rg_field_error", field=name, reason=reason))
        errors += _check_record(kind, record, known, batch_ids)
        if record.get("id") in seen:
            errors.append(Text("rg_duplicate_id", id=record["id"]))
        seen.add(record.get("id"))
        if errors:
            problems.append(Text("rg_problem_at", where=where, errors=Joined(errors, "; ")))
        records.append(record)
    return records, problems


def _check_record(
    kind: str, record: dict[str, Any], known: Mapping[str, set[str]], batch_ids: set[str]
) -> list[str]:
    errors = [
        Text("rg_missing", field=f) for f in REQUIRED[kind] if record.get(f) in (None, "", [])
    ]
    for (k, field), allowed in ENUMS.items():
        if k == kind and record.get(field) not in allowed:
            choices = ", ".join(a for a in allowed if a)
            errors.append(
                Text("rg_not_one_of", field=field, value=record.get(field), choices=choices)
            )
    for field, target in REFERENCES.get(kind, {}).items():
        value = record.get(field)
        ids = known.get(target, set()) | (batch_ids if target == kind else set())
        if value not in (None, "") and value not in ids:
            errors.append(Text("rg_unknown_ref", field=field, what=kind_word(target), value=value))
    for field, target in LIST_REFERENCES.get(kind, {}).items():
        ids = known.get(target, set()) | (batch_ids if target == kind else set())
        unknown = [v for v in record.get(field) or [] if v not in ids]
        if unknown:
            errors.append(
                Text(
                    "rg_unknown_refs",
                    field=field,
                    what=kind_word(target),
                    values=", ".join(map(str, unknown)),
                )
            )
    for field in NON_NEGATIVE.get(kind, ()):
        v = record.get(field)
        if v is not None and v < 0:
            errors.append(Text("rg_negative", field=field, value=v))
    start, end = record.get("valid_from"), record.get("valid_to")
    if start is not None and end is not None and end < start:
        errors.append(Text("rg_ends_before", end=end, start=start))
    if kind == "features":
        if record.get("subtype") and record.get("kind") != "connection":
            errors.append(Text("rg_subtype_connections"))
        for axis, bound in (("lon", 180.0), ("lat", 90.0)):
            v = record.get(axis)
            if v is not None and not -bound <= v <= bound:
                errors.append(Text("rg_out_of_range", axis=axis, value=v))
    return errors


def kind_word(kind: str) -> Text:
    """The singular of a registry kind as a word of the message's language (``actors`` → actor)."""
    key = "rg_kind_" + {"criteria": "criterion", "survey": "survey"}.get(kind, kind[:-1])
    return Text(key)


def write_rows(kind: str, rows: Iterable[Mapping[str, Any]], fmt: str) -> str:
    """Text of the records in ``fmt`` (csv, json, yaml; geojson for features)."""
    if fmt not in FORMATS:
        raise RegistryError(
            Text("cli_unknown_format", fmt=fmt, choices=", ".join(FORMATS)), column="--format"
        )
    names = fields(kind)
    plain = [{n: to_plain(r.get(n)) for n in names} for r in rows]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        for r in plain:
            writer.writerow({k: _csv_cell(v) for k, v in r.items()})
        return buf.getvalue()
    if fmt == "json":
        return json.dumps(plain, ensure_ascii=False, indent=1) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(plain, allow_unicode=True, sort_keys=False)
    if kind != "features":
        raise RegistryError(Text("rg_geojson_features"), column="--format")
    return json.dumps(to_geojson(plain), ensure_ascii=False, indent=1) + "\n"


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        if any(isinstance(v, (list, dict)) for v in value):
            return json.dumps(value)
        return "|".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def geometry(record: Mapping[str, Any]) -> dict[str, Any] | None:
    """GeoJSON geometry of a feature: its polygon, else its point, else ``None`` (not yet placed)."""
    if record.get("polygon"):
        return {"type": "Polygon", "coordinates": record["polygon"]}
    if record.get("lon") is not None and record.get("lat") is not None:
        return {"type": "Point", "coordinates": [record["lon"], record["lat"]]}
    return None


def to_geojson(records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """A FeatureCollection; every field except the geometry goes into ``properties``."""
    feats = []
    for r in records:
        props = {k: to_plain(v) for k, v in r.items() if k not in ("lon", "lat", "polygon")}
        feats.append(
            {"type": "Feature", "id": r.get("id"), "geometry": geometry(r), "properties": props}
        )
    return {"type": "FeatureCollection", "features": feats}


def _from_geojson(feature: Mapping[str, Any]) -> dict[str, Any]:
    props = dict(feature.get("properties") or {})
    geom = feature.get("geometry") or {}
    props["lon"] = props["lat"] = props["polygon"] = None
    if geom.get("type") == "Point":
        props["lon"], props["lat"] = geom["coordinates"][:2]
    elif geom.get("type") == "Polygon":
        props["polygon"] = geom["coordinates"]
    return props
