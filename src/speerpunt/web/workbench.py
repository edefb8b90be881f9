"""The screening workbench's state: a configuration (as the YAML mapping the screening module reads)
built from the default or a saved one plus the thresholds and rule the user typed; results come from
:func:`speerpunt.screening.engine.screen` and :func:`speerpunt.screening.sensitivity.threshold_sensitivity`.
"""

from __future__ import annotations

import copy
from functools import cache
from importlib import resources

import pandas as pd
import yaml
from fastapi import Request

from speerpunt.errors import ConfigError, SpeerpuntError, Text
from speerpunt.web.data import Workspace
from speerpunt.web.rules import read_rule
from speerpunt.web.selection import Selection


@cache
def _default_text() -> str:
    return (
        resources.files("speerpunt.screening").joinpath("default.yaml").read_text(encoding="utf-8")
    )


@cache
def _default() -> dict:
    return yaml.safe_load(_default_text())


def default_mapping() -> dict:
    """The study's screening configuration as a fresh mapping (parsed once per process)."""
    return copy.deepcopy(_default())


def threshold_number(spec: object) -> tuple[str, float]:
    """``{quantile: 0.6}`` → ('quantile', 0.6); ``1.0`` → ('value', 1.0)."""
    if isinstance(spec, dict):
        kind = next(iter(k for k in spec if k in ("quantile", "rank", "value")))
        return kind, float(spec[kind])
    return "value", float(spec)  # type: ignore[arg-type]


def _set_threshold(spec: object, raw: str, name: str) -> object:
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        raise ConfigError(Text("err_threshold_nan", value=raw), column=f"th_{name}") from None
    kind, _ = threshold_number(spec)
    if kind == "rank":
        number = int(round(number))
    return number if kind == "value" else {kind: number}


def mapping_from_request(request: Request, accounts) -> tuple[dict, str | None]:
    """The configuration asked for: ``?config=NAME`` (saved) or the default, then ``th_<criterion>``,
    ``op_<criterion>`` and ``rule`` from the query or form."""
    q = request.query_params
    name = q.get("config") or None
    base = None
    if name:
        saved = accounts.config(name)
        if saved is None:
            raise ConfigError(Text("err_no_saved_config", name=name), column="config")
        base = saved["mapping"]
    mapping = copy.deepcopy(base or default_mapping())
    return apply_edits(mapping, dict(q)), name


def apply_edits(mapping: dict, params: dict) -> dict:
    for cname, spec in mapping.get("criteria", {}).items():
        raw = params.get(f"th_{cname}")
        if raw not in (None, ""):
            spec["threshold"] = _set_threshold(spec["threshold"], str(raw), cname)
        op = params.get(f"op_{cname}")
        if op in (">=", ">", "<=", "<"):
            spec["op"] = op
    if params.get("rule"):
        mapping["rule"] = read_rule(str(params["rule"]), mapping.get("criteria", {}))
    return mapping


def run(ws: Workspace, sel: Selection, mapping: dict) -> dict:
    """Screen and test sensitivity (cached per data, selection and configuration)."""
    from speerpunt.screening.config import parse_config
    from speerpunt.screening.engine import screen
    from speerpunt.screening.sensitivity import threshold_sensitivity

    m = copy.deepcopy(mapping)
    # one year of data (eu-sbs-2014): levels, shares and LQs only, growth criteria unknown
    m["year"], m["start"] = sel.end, (sel.start if sel.start < sel.end else None)
    have = ws.describe(sel.data)["variables"]
    if not set(m.get("variables") or []) & set(have):
        # A user's own panel names its variable itself: screen on the variable being looked at.
        m["variables"] = [sel.variable]

    def compute() -> dict:
        config = parse_config(
            yaml.safe_dump(m, allow_unicode=True, sort_keys=False), source="workbench"
        )
        result = screen(
            ws.panel(sel.data), region=sel.region, reference=sel.reference, config=config
        )
        try:
            summary, problem = threshold_sensitivity(result.metrics, config).summary, None
        except (SpeerpuntError, ValueError, KeyError) as exc:
            # The candidates stand on their own; say on the page why the sensitivity is missing.
            summary = pd.DataFrame(columns=["sector", "selected", "stability", "flips"])
            problem = f"{type(exc).__name__}: {exc}"
        return {
            "config": config,
            "result": result,
            "frame": result.to_frame(),
            "sensitivity": summary,
            "sensitivity_error": problem,
        }

    return ws.memo(sel.data, "screen", compute, sel=sel.cache_key(), mapping=m)


def run_in_words(ws: Workspace, sel: Selection, mapping: dict, lang: str) -> tuple[dict, dict]:
    """:func:`run` and its :func:`presented` tables in ``lang``, both cached (the reasons take ~0.2 s)."""
    out = run(ws, sel, mapping)
    words = ws.memo(
        sel.data,
        "screen-words",
        lambda: presented(out, lang),
        sel=sel.cache_key(),
        mapping=mapping,
        lang=lang,
    )
    return out, words


def presented(out: dict, lang: str) -> dict:
    """The screening's tables in words of ``lang``: statuses, pass/fail, reasons, criterion titles,
    variable and measure names (the numbers stay raw; the templates format them)."""
    from speerpunt.i18n import gettext, variable_name
    from speerpunt.report.build import titled_flips

    result, config = out["result"], out["config"]
    titles = {c.name: c.title(lang) for c in config.criteria}
    table = result.table.copy()
    table["status_text"] = table["status"].map(lambda s: gettext(lang, s))
    table["reason"] = result.reasons(lang).to_numpy()
    for name in titles:
        table[name] = table[name].map(lambda v: gettext(lang, v))
    details = result.details.copy()
    details["criterion"] = details["criterion"].map(titles)
    details["variable"] = details["variable"].map(lambda v: variable_name(v, lang))
    details["result"] = details["passed"].map(
        lambda p: gettext(lang, "unknown" if p is None else ("pass" if p else "fail"))
    )
    thresholds = result.thresholds.copy()
    thresholds["criterion"] = thresholds["criterion"].map(titles)
    thresholds["variable"] = thresholds["variable"].map(lambda v: variable_name(v, lang))
    thresholds["measure"] = thresholds["measure"].map(lambda m: gettext(lang, f"measure_{m}"))
    thresholds["threshold_rule"] = thresholds["threshold_rule"].map(
        lambda r: (
            str(r)
            .replace("quantile", gettext(lang, "th_quantile"))
            .replace("top", gettext(lang, "th_rank"))
        )
    )
    sensitivity = out["sensitivity"].copy()
    sensitivity["flips"] = sensitivity["flips"].map(lambda f: titled_flips(str(f), titles))
    return {
        "table": table,
        "details": details,
        "thresholds": thresholds,
        "sensitivity": sensitivity,
        "titles": titles,
    }
