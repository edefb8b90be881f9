"""The web side of the registry: one :class:`speerpunt.registry.store.Registry` per app, who owns which
record, form values → typed changes, and the audit log (registry history + web changes)."""

from __future__ import annotations

import json
import threading
from typing import Any

import pandas as pd
from fastapi import FastAPI, HTTPException

from speerpunt.errors import RegistryError, Text
from speerpunt.web.accounts import User
from speerpunt.web.deps import may_edit_actor
from speerpunt.web.i18n import translate

EDITABLE_KINDS = (
    "actors",
    "selections",
    "features",
    "documents",
    "assessments",
    "instruments",
    "projects",
    "recommendations",
    "policy_domains",
)
READ_ONLY_FIELDS = ("id", "version", "doc", "line")
_LOCK = threading.Lock()


def registry(app: FastAPI):
    """The app's registry store (opened on first use; schema migrated by the registry's Alembic scripts)."""
    if app.state.registry is None:
        from speerpunt.registry.store import Registry

        with _LOCK:
            if app.state.registry is None:
                app.state.registry = Registry(app.state.settings.db_url, create=False)
    return app.state.registry


def ensure_registry(app: FastAPI) -> bool:
    """Migrate the schema and load the curated dataset when the registry is empty; True if loaded."""
    from speerpunt.registry.store import upgrade

    reg = registry(app)
    upgrade(reg.engine)
    if reg.count("actors") == 0:
        reg.load_curated()
        return True
    return False


def registry_actor_ids(app: FastAPI) -> list[str]:
    try:
        return sorted(registry(app).actors()["id"].astype(str))
    except RegistryError:
        return []


def owners(kind: str, record: dict[str, Any]) -> set[str]:
    """The actors whose editors may change ``record``."""
    if kind == "actors":
        return {str(record["id"])}
    if kind == "features":
        return {str(a) for a in (record.get("actors") or [])} | {str(record.get("province"))}
    if kind in ("instruments", "projects"):
        return {str(a) for a in (record.get("actors") or [])}
    if kind == "recommendations":
        return {str(record.get("owner"))}
    return {str(record.get("actor"))}


def check_may_edit(user: User, kind: str, record: dict[str, Any], lang: str = "en") -> None:
    if kind not in EDITABLE_KINDS and user.role != "admin":
        raise HTTPException(403, translate(lang, "admins_only", kind=kind))
    if not any(may_edit_actor(user, a) for a in owners(kind, record)):
        raise HTTPException(
            403,
            translate(
                lang,
                "not_yours",
                user=user.username,
                kind=kind[:-1],
                id=record["id"],
                owners=", ".join(sorted(owners(kind, record))),
            ),
        )


def check_new_kind(kind: str, lang: str = "en", user: User | None = None) -> None:
    """Every registry kind has a "new record" form (an unknown kind: one-line 400); the editable kinds
    are open to editors, the rest (survey answers, cluster stages, clusters, criteria, sectors) to
    admins only (403), with the same validation and history as the CLI import."""
    from speerpunt.registry.models import MODELS

    if kind not in MODELS:
        raise RegistryError(
            Text("err_no_form_for_kind", kind=kind, choices=", ".join(MODELS)), column="kind"
        )
    if kind not in EDITABLE_KINDS and (user is None or user.role != "admin"):
        raise HTTPException(403, translate(lang, "admins_only", kind=kind))


def editable_fields(kind: str) -> list[str]:
    from speerpunt.registry import records as rec

    return [f for f in rec.fields(kind) if f not in READ_ONLY_FIELDS]


def list_fields(kind: str) -> set[str]:
    from sqlalchemy import JSON

    from speerpunt.registry.models import MODELS

    return {c.name for c in MODELS[kind].__table__.columns if isinstance(c.type, JSON)}


def changes_from_form(kind: str, form: dict[str, str], record: dict[str, Any]) -> dict[str, Any]:
    """Only the fields the form changed; lists are comma-separated, nested lists JSON, empty → None."""
    lists = list_fields(kind)
    out: dict[str, Any] = {}
    for f in editable_fields(kind):
        if f not in form:
            continue
        raw = form[f].strip()
        if f in lists:
            value: Any = (
                json.loads(raw)
                if raw.startswith("[[")
                else [v.strip() for v in raw.split(",") if v.strip()]
            )
        else:
            value = raw or None
        current = record.get(f)
        if f not in lists and current is not None and value is not None and str(current) == value:
            continue
        if value != current:
            out[f] = value
    return out


def form_value(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, list):
        if value and isinstance(value[0], list):
            return json.dumps(value)
        return ", ".join(str(v) for v in value)
    return str(value)


def update(
    app: FastAPI,
    user: User,
    kind: str,
    record_id: str,
    changes: dict[str, Any],
    expected_version: int,
    lang: str = "en",
) -> dict[str, Any]:
    """Check ownership and version, then let the registry write (it logs the change in its history).

    Ownership is checked on the record as it is and as it would be after the change, so an editor cannot
    hand a record to an actor she does not edit (the version check makes both checks hold at write time).
    """
    reg = registry(app)
    record = reg.get(kind, record_id)
    check_may_edit(user, kind, record, lang)
    check_may_edit(user, kind, {**record, **changes}, lang)
    if int(record["version"]) != int(expected_version):
        raise StaleEdit(record)
    try:
        return reg.update_record(
            kind, record_id, changes, user=user.username, expected_version=int(expected_version)
        )
    except RegistryError as exc:
        if "stale version" in exc.message:
            raise StaleEdit(reg.get(kind, record_id)) from None
        raise


class StaleEdit(Exception):
    """Someone saved the record after the user loaded it (HTTP 409)."""

    def __init__(self, current: dict[str, Any]) -> None:
        self.current = current
        super().__init__(f"stale version: the record is now at version {current['version']}")


def audit_entries(app: FastAPI, limit: int = 5000) -> list[dict]:
    """Registry history and web-side changes, newest first."""
    entries = list(app.state.accounts.audit(limit))
    try:
        hist = registry(app).history()
    except RegistryError:
        hist = pd.DataFrame()
    for h in hist.tail(limit).to_dict("records"):
        at = h["at"]
        entries.append(
            {
                "at": at.isoformat(timespec="seconds") if hasattr(at, "isoformat") else str(at),
                "user": h["user"],
                "action": f"{h['table']}.{h['action']}",
                "target": h["record_id"],
                "before": h["before"],
                "after": h["after"],
            }
        )
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries[:limit]


def history_rows(app: FastAPI, kind: str, record_id: str) -> list[dict]:
    """A record's history for the edit page: when (to the second), who, and which fields changed how."""
    rows = []
    for h in registry(app).history(kind, record_id).to_dict("records"):
        before, after = h["before"] or {}, h["after"] or {}
        changed = [
            f"{k}: {form_value(before.get(k))!r} → {form_value(after.get(k))!r}"
            for k in after
            if before and before.get(k) != after.get(k)
        ]
        at = h["at"]
        rows.append(
            {
                "at": at.strftime("%Y-%m-%d %H:%M:%S") if hasattr(at, "strftime") else str(at),
                "user": h["user"],
                "action": h["action"],
                "changes": "; ".join(changed),
            }
        )
    return rows


def scorecard_context(reg, actor_id: str, lang: str) -> dict[str, Any]:
    """The actor's assessment scorecard for its page: totals per group and every criterion (the chart
    is served by its own URL, see :func:`scorecard_svg`)."""
    from speerpunt.registry import scorecard as sc
    from speerpunt.registry.sections import WORDS

    words = WORDS["nl" if lang == "nl" else "en"]
    assessments = reg.records("assessments")
    if actor_id not in set(assessments["actor"]):
        return {"card": [], "card_totals": [], "w": words}
    card = sc.scorecard(assessments, reg.records("criteria"), [actor_id], reg.records("documents"))
    total = sc.totals(card)
    last = total[total["group"] == "total"].iloc[-1]
    return {
        "card": card.astype(object).where(card.notna(), None).to_dict("records"),
        "card_totals": total.to_dict("records"),
        "card_alt": f"{words['title']}: {last['coded']} {words['coded']}, "
        f"{words['score']} {last['score']}/{last['max_score']}",
        "w": words,
    }


def scorecard_svg(reg, actor_id: str, lang: str) -> str:
    """The actor's scorecard chart as an SVG document (an image of its own: the page's CSS must not
    reach into matplotlib's SVG)."""
    from speerpunt.registry import scorecard as sc
    from speerpunt.registry.sections import scorecard_chart

    card = sc.scorecard(
        reg.records("assessments"), reg.records("criteria"), [actor_id], reg.records("documents")
    )
    chart = scorecard_chart(
        card,
        names={actor_id: reg.get("actors", actor_id)["name"]},
        lang="nl" if lang == "nl" else "en",
    )
    try:
        return chart.svg()
    finally:
        chart.close()


# headings of the sector policy page (kept here so the registry pages stay self-contained)
SECTOR_WORDS = {
    "en": {
        "title": "Policy for the sector",
        "statistics": "Statistics and screening verdict",
        "agreement": "Choices and numbers per province",
        "choices": "Who chooses it, since when",
        "benchmark": "Benchmark regions",
        "others": "City, university and employers in Antwerp",
        "features": "On the maps",
        "instruments": "Instruments",
        "projects": "Projects",
        "clusters": "Clusters",
        "domains": "Provincial policy domains",
        "recommendations": "Recommendations and their status",
        "none": "none recorded",
        "ambiguous": "rests on an ambiguous cell",
    },
    "nl": {
        "title": "Beleid voor de sector",
        "statistics": "Cijfers en screening",
        "agreement": "Keuzes en cijfers per provincie",
        "choices": "Wie kiest de sector, sinds wanneer",
        "benchmark": "Benchmarkregio's",
        "others": "Stad, universiteit en werkgevers in Antwerpen",
        "features": "Op de kaarten",
        "instruments": "Instrumenten",
        "projects": "Projecten",
        "clusters": "Clusters",
        "domains": "Provinciale beleidsdomeinen",
        "recommendations": "Aanbevelingen en hun status",
        "none": "niets geregistreerd",
        "ambiguous": "steunt op een dubbelzinnige cel",
    },
}
