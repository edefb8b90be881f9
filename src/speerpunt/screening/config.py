"""Screening configuration: criteria, combination rule, composite score, expert overrides, sensitivity grid.

The configuration is a YAML file (see ``default.yaml`` beside this module, which encodes the three criteria of
the Antwerp spearhead study). Every error names the file and the line of the offending entry.

Example
-------
>>> cfg = load_config()
>>> cfg.rule.text
'important or (specialised and (growing or outperforming))'
>>> [c.name for c in cfg.criteria]
['important', 'specialised', 'growing', 'outperforming']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from speerpunt.errors import ConfigError, Num, Text
from speerpunt.screening.expr import Rule, parse_rule

#: Measures a criterion can test, per variable (see :func:`speerpunt.screening.metrics.sector_metrics`).
MEASURES = (
    "level",
    "share",
    "lq",
    "growth",
    "cagr",
    "regional_shift",
    "lq_change",
    "lq_trend",
    # business demography (variable enterprises; see speerpunt.screening.demography)
    "start_rate",
    "stop_rate",
    "net_entry_rate",
    "start_rate_ratio",
    "stop_rate_ratio",
)
#: ``lq_trend`` is the LQ change (end − start) under its study name.
OPERATORS = (">=", ">", "<=", "<")
ACTIONS = ("add", "remove")
DEFAULT_PATH = "default.yaml"


@dataclass(frozen=True)
class Threshold:
    """``kind`` is ``absolute`` (compare with ``value``), ``quantile`` (with the ``value``-quantile of the
    screened sectors' values) or ``rank`` (the best ``value`` sectors in the direction of the operator)."""

    kind: str
    value: float

    def scaled(self, factor: float, spread: float) -> Threshold:
        """The threshold moved by ``factor`` (1.0 = unchanged) for the sensitivity grid.

        A zero absolute threshold cannot be scaled; it is shifted by ``(factor − 1) · spread`` instead, where
        ``spread`` is the median absolute value of the measure over the screened sectors.
        """
        if self.kind == "quantile":
            return Threshold("quantile", min(1.0, max(0.0, self.value * factor)))
        if self.kind == "rank":
            return Threshold("rank", max(1.0, round(self.value * factor)))
        if self.value == 0:
            return Threshold("absolute", (factor - 1.0) * spread)
        return Threshold("absolute", self.value * factor)

    def describe(self) -> str:
        if self.kind == "quantile":
            return f"quantile {self.value:g}"
        if self.kind == "rank":
            return f"top {int(self.value)}"
        return f"{self.value:g}"


@dataclass(frozen=True)
class Criterion:
    name: str
    measure: str
    op: str
    threshold: Threshold
    variables: tuple[str, ...]
    combine: str = "any"
    label: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    line: int | None = None

    def title(self, lang: str = "en") -> str:
        return self.label.get(lang) or self.label.get("en") or self.name

    def describe(self, lang: str = "en") -> str:
        return _in_lang(self.description, lang)


@dataclass(frozen=True)
class Override:
    sector: str
    action: str
    justification: str
    author: str
    date: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class ScreeningConfig:
    criteria: tuple[Criterion, ...]
    rule: Rule
    weights: dict[str, float] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()
    year: int | None = None
    start: int | None = None
    period_length: int = 10
    sectors: str | list[str] | None = None
    exclude: tuple[str, ...] = ()
    lq_tolerance: float = 0.05
    sensitivity_range: float = 0.5
    sensitivity_steps: int = 11
    references: tuple[str, ...] = ()
    name: str = "screening"
    description: dict[str, str] = field(default_factory=dict)
    source: str = "<default>"

    def describe(self, lang: str = "en") -> str:
        return _in_lang(self.description, lang)

    def criterion(self, name: str) -> Criterion:
        return next(c for c in self.criteria if c.name == name)

    @property
    def variables(self) -> tuple[str, ...]:
        seen: list[str] = []
        for c in self.criteria:
            seen += [v for v in c.variables if v not in seen]
        return tuple(seen)


def _in_lang(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


def _texts(value: Any) -> dict[str, str]:
    """A text, or a mapping language → text (``{nl: …, en: …}``), as a mapping (plain text is English)."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(k): " ".join(str(v).split()) for k, v in value.items() if k != "__line__"}
    return {"en": " ".join(str(value).split())}


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping (``__line__``, 1-based)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_config(path: str | Path | None = None) -> ScreeningConfig:
    """Read a screening configuration; ``None`` gives the shipped default (the study's criteria)."""
    if path is None:
        return _default_config()
    p = Path(path)
    if not p.is_file():
        raise ConfigError(Text("sc_config_not_found"), file=str(p))
    return parse_config(p.read_text(encoding="utf-8"), source=str(p))


@functools.cache
def _default_config() -> ScreeningConfig:
    """The shipped default, parsed once per process: a report build asks for it a dozen times (the
    registry's sector pages), and parsing the YAML with line numbers costs ~30 ms each time. The
    configuration is a frozen dataclass, so sharing one instance is safe."""
    text = resources.files("speerpunt.screening").joinpath(DEFAULT_PATH).read_text(encoding="utf-8")
    return parse_config(text, source=f"speerpunt/screening/{DEFAULT_PATH}")


def parse_config(text: str, *, source: str = "<string>") -> ScreeningConfig:
    """Build a :class:`ScreeningConfig` from YAML text (``source`` names the file in errors)."""
    try:
        raw = yaml.load(text, Loader=_LineLoader)  # noqa: S506 — a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            Text("sc_not_yaml", detail=str(getattr(exc, "problem", exc))),
            file=source,
            row=mark.line + 1 if mark else None,
        ) from None
    if not isinstance(raw, dict):
        raise ConfigError(Text("sc_expected_mapping"), file=source)
    ctx = _Ctx(source)
    variables = _str_list(raw.get("variables", ["employment"]), ctx, raw, "variables")
    crit_raw = raw.get("criteria")
    if not isinstance(crit_raw, dict) or len(crit_raw) <= 1:
        raise ConfigError(Text("sc_criteria_map"), file=source, row=raw["__line__"])
    criteria = tuple(
        _criterion(name, spec, variables, ctx)
        for name, spec in crit_raw.items()
        if name != "__line__"
    )
    names = {c.name for c in criteria}
    rule = parse_rule(str(raw.get("rule", "")), names, file=source, row=_line_of(text, "rule"))
    score = raw.get("score") or {}
    weights = {k: float(v) for k, v in (score.get("weights") or {}).items() if k != "__line__"}
    unknown = [k for k in weights if k not in names]
    if unknown:
        raise ConfigError(
            Text("sc_weight_unknown", name=unknown[0]),
            file=source,
            row=score.get("__line__"),
        )
    sens = raw.get("sensitivity") or {}
    steps = int(sens.get("steps", 11))
    if steps < 2:
        raise ConfigError(Text("sc_steps"), file=source, row=sens.get("__line__"))
    overrides = tuple(_override(o, ctx) for o in (raw.get("overrides") or []))
    return ScreeningConfig(
        criteria=criteria,
        rule=rule,
        weights=weights,
        overrides=overrides,
        year=_opt_int(raw.get("year"), ctx, raw, "year"),
        start=_opt_int(raw.get("start"), ctx, raw, "start"),
        period_length=int(raw.get("period_length", 10)),
        sectors=raw.get("sectors"),
        exclude=tuple(_str_list(raw.get("exclude", []), ctx, raw, "exclude")),
        lq_tolerance=float(raw.get("lq_tolerance", 0.05)),
        sensitivity_range=float(sens.get("range", 0.5)),
        sensitivity_steps=steps,
        references=tuple(_str_list(sens.get("references", []), ctx, sens or raw, "references")),
        name=str(raw.get("name", "screening")),
        description=_texts(raw.get("description")),
        source=source,
    )


@dataclass(frozen=True)
class _Ctx:
    source: str

    def error(self, message: str, node: dict | None) -> ConfigError:
        return ConfigError(message, file=self.source, row=(node or {}).get("__line__"))


def _line_of(text: str, key: str) -> int | None:
    for i, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return i
    return None


def _str_list(value: Any, ctx: _Ctx, node: dict, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ctx.error(Text("sc_names", key=key), node)
    return [str(v) for v in value]


def _opt_int(value: Any, ctx: _Ctx, node: dict, key: str) -> int | None:
    if value is None or value == "latest":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ctx.error(Text("sc_year_or_latest", key=key), node)
    return value


def _threshold(spec: Any, ctx: _Ctx, node: dict, name: str) -> Threshold:
    if isinstance(spec, bool):
        raise ctx.error(Text("sc_threshold_kind", name=name), node)
    if isinstance(spec, int | float):
        return Threshold("absolute", float(spec))
    if isinstance(spec, dict):
        kinds = [k for k in spec if k in ("quantile", "rank", "value")]
        if len(kinds) == 1:
            kind, val = kinds[0], spec[kinds[0]]
            if not isinstance(val, int | float) or isinstance(val, bool):
                raise ctx.error(Text("sc_kind_number", name=name, kind=kind), spec)
            if kind == "quantile" and not 0 <= val <= 1:
                raise ctx.error(Text("sc_quantile_range", name=name, value=Num(val)), spec)
            if kind == "rank" and (val < 1 or val != int(val)):
                raise ctx.error(Text("sc_rank_whole", name=name), spec)
            return Threshold("absolute" if kind == "value" else kind, float(val))
    raise ctx.error(Text("sc_threshold_form", name=name), node)


def _criterion(name: str, spec: Any, variables: list[str], ctx: _Ctx) -> Criterion:
    if not isinstance(spec, dict):
        raise ConfigError(Text("sc_criterion_mapping", name=name), file=ctx.source)
    if not str(name).isidentifier() or str(name).lower() in ("and", "or", "not"):
        raise ctx.error(Text("sc_criterion_word", name=name), spec)
    measure = spec.get("measure")
    if measure not in MEASURES:
        raise ctx.error(
            Text("sc_unknown_measure", name=name, measure=measure, choices=", ".join(MEASURES)),
            spec,
        )
    op = str(spec.get("op", ">="))
    if op not in OPERATORS:
        raise ctx.error(
            Text("sc_unknown_operator", name=name, op=op, choices=", ".join(OPERATORS)),
            spec,
        )
    if "threshold" not in spec:
        raise ctx.error(Text("sc_no_threshold", name=name), spec)
    combine = str(spec.get("combine", "any"))
    if combine not in ("any", "all"):
        raise ctx.error(Text("sc_combine", name=name), spec)
    label = spec.get("label") or {}
    if isinstance(label, str):
        label = {"en": label}
    return Criterion(
        name=str(name),
        measure="lq_change" if measure == "lq_trend" else measure,
        op=op,
        threshold=_threshold(spec["threshold"], ctx, spec, name),
        variables=tuple(
            _str_list(
                spec.get("variables", spec.get("variable", variables)), ctx, spec, "variables"
            )
        ),
        combine=combine,
        label={k: str(v) for k, v in label.items() if k != "__line__"},
        description=_texts(spec.get("description")),
        line=spec.get("__line__"),
    )


def _override(spec: Any, ctx: _Ctx) -> Override:
    if not isinstance(spec, dict):
        raise ConfigError(
            Text("sc_override_mapping"),
            file=ctx.source,
        )
    sector = spec.get("sector")
    if not sector:
        raise ctx.error(Text("sc_override_sector"), spec)
    action = spec.get("action")
    if action not in ACTIONS:
        raise ctx.error(Text("sc_override_action", sector=sector, action=repr(action)), spec)
    for key in ("justification", "author"):
        value = spec.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ctx.error(Text("sc_override_written", sector=sector, key=key), spec)
    return Override(
        sector=str(sector),
        action=action,
        justification=" ".join(spec["justification"].split()),
        author=spec["author"].strip(),
        date=str(spec["date"]) if spec.get("date") is not None else None,
        line=spec.get("__line__"),
    )
