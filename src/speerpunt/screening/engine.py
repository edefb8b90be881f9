"""The screening engine: criteria with thresholds, a combination rule, a composite score and overrides.

For every screened sector and criterion the engine records the measure's value per variable, the threshold
that applied and whether the sector passed; a criterion whose value is missing is *unknown* (never a fail) and
says why. The rule (see :mod:`speerpunt.screening.expr`) combines the criteria in three-valued logic; expert
overrides then add or remove sectors, each with its written justification and author.

Statuses: ``candidate``, ``rejected``, ``undecided`` (the rule is unknown because data are missing or
confidential: never reported as a rejection), ``added by override``, ``removed by override``.

References
----------
Provincie Antwerpen (2013), *Speerpuntsectoren*, §4.2 Methodologie (the three criteria). — Delgado, Porter &
Stern (2014), US Cluster Mapping "strong cluster" (LQ in the top quartile and ≥ 1, size above the bottom
quartile), expressible here as two quantile criteria and an absolute one combined with ``and``.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> from speerpunt.screening.config import parse_config
>>> rows = [(r, s, y, "employment", v) for r, s, y, v in [
...     ("R", "A", 2000, 10.0), ("R", "B", 2000, 30.0), ("R", "A", 2010, 20.0), ("R", "B", 2010, 30.0),
...     ("N", "A", 2000, 50.0), ("N", "B", 2000, 150.0), ("N", "A", 2010, 60.0), ("N", "B", 2010, 160.0)]]
>>> p = Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))
>>> cfg = parse_config('''
... criteria:
...   specialised: {measure: lq, op: ">=", threshold: 1}
...   growing: {measure: growth, op: ">", threshold: 0}
... rule: specialised and growing
... ''')
>>> screen(p, region="R", reference="N", config=cfg).table[["sector", "status"]].values.tolist()
[['A', 'candidate'], ['B', 'rejected']]
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from speerpunt.errors import ConfigError, Text
from speerpunt.panel import Panel
from speerpunt.screening.config import Criterion, ScreeningConfig, Threshold, load_config
from speerpunt.screening.metrics import SectorMetrics, sector_metrics
from speerpunt.screening.reasons import reason_text

CANDIDATE, REJECTED, UNDECIDED = "candidate", "rejected", "undecided"
ADDED, REMOVED = "added by override", "removed by override"
SELECTED = (CANDIDATE, ADDED)
_OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
_RESULT = {True: "pass", False: "fail", None: "unknown"}


@dataclass
class ScreeningResult:
    """``table``: one row per sector (status, reason, score, rank, each criterion's result);
    ``details``: one row per sector × criterion × variable (value, threshold, result, note)."""

    config: ScreeningConfig
    metrics: SectorMetrics
    table: pd.DataFrame
    details: pd.DataFrame
    thresholds: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def selected(self) -> list[str]:
        return self.table.loc[self.table["status"].isin(SELECTED), "sector"].tolist()

    def reasons(self, lang: str = "en") -> pd.Series:
        """The one-line reason of every sector in ``lang`` (``en`` or ``nl``), indexed by sector."""
        raw = self.table.copy()
        for c in self.config.criteria:
            raw[c.name] = raw[c.name].map({"pass": True, "fail": False, "unknown": None})
        records_of = sector_records(self.details)
        texts = [
            reason_text(row, records_of(row["sector"]), self.config, self.metrics, lang)
            for row in raw.to_dict("records")
        ]
        return pd.Series(texts, index=self.table["sector"].to_numpy(), name="reason")

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """Flat table for CSV: ``sector, status, reason``, one column per criterion (pass/fail/unknown)
        with its value and threshold (suffixed by variable when a criterion uses several), score, rank."""
        out = self.table[["sector", "status", "reason"]].copy()
        if lang != "en":
            out["reason"] = self.reasons(lang).to_numpy()
        d = self.details
        for c in self.config.criteria:
            out[c.name] = self.table[c.name].to_numpy()
            sub = d[d["criterion"] == c.name]
            variables = list(dict.fromkeys(sub["variable"].dropna()))
            for var in variables:
                suffix = "" if len(variables) == 1 else f"_{var}"
                s = sub[sub["variable"] == var].set_index("sector")
                out[f"{c.name}_value{suffix}"] = s["value"].reindex(out["sector"]).to_numpy()
                out[f"{c.name}_threshold{suffix}"] = (
                    s["threshold"].reindex(out["sector"]).to_numpy()
                )
        if "score" in self.table:
            out["score"] = self.table["score"].to_numpy()
            out["rank"] = self.table["rank"].to_numpy()
        return out


def threshold_value(values: pd.Series, threshold: Threshold, op: str) -> float:
    """The number a criterion compares with: absolute, a quantile of ``values`` or the ``n``-th best value.

    >>> threshold_value(pd.Series([1.0, 2.0, 3.0, 4.0, np.nan]), Threshold("quantile", 0.75), ">=")
    3.25
    >>> threshold_value(pd.Series([1.0, 2.0, 3.0, 4.0]), Threshold("rank", 2), ">=")
    3.0
    """
    known = values.dropna().to_numpy(dtype=float)
    if threshold.kind == "absolute":
        return float(threshold.value)
    if known.size == 0:
        return float("nan")
    if threshold.kind == "quantile":
        return float(np.quantile(known, threshold.value))
    n = min(int(threshold.value), known.size)
    ordered = np.sort(known)[::-1] if op in (">=", ">") else np.sort(known)
    return float(ordered[n - 1])


def evaluate_criterion(
    metrics: SectorMetrics, criterion: Criterion, threshold: Threshold | None = None
) -> pd.DataFrame:
    """One row per sector × variable: ``value, threshold, passed`` (True/False/None) and a note."""
    threshold = threshold or criterion.threshold
    # A rank threshold means "among the n best", so ties at the n-th value pass with >=.
    op = _OPS[
        criterion.op
        if threshold.kind != "rank"
        else (">=" if criterion.op in (">=", ">") else "<=")
    ]
    frames = []
    used = [v for v in criterion.variables if v in metrics.variables]
    for var in used:
        vals = metrics.value(var, criterion.measure)
        t = threshold_value(vals, threshold, criterion.op)
        known = vals.notna().to_numpy() & bool(np.isfinite(t))
        passed = np.where(known, op(vals.fillna(0).to_numpy(), t), False)
        note = np.where(
            vals.isna(), metrics.note(var, criterion.measure).to_numpy(dtype=object), ""
        )
        frames.append(
            pd.DataFrame(
                {
                    "sector": metrics.sectors,
                    "criterion": criterion.name,
                    "variable": var,
                    "measure": criterion.measure,
                    "value": vals.to_numpy(),
                    "op": criterion.op,
                    "threshold": t,
                    "threshold_rule": threshold.describe(),
                    "passed": [bool(p) if k else None for p, k in zip(passed, known, strict=True)],
                    "note": note,
                }
            )
        )
    if not frames:
        absent = ", ".join(criterion.variables)
        return pd.DataFrame(
            {
                "sector": metrics.sectors,
                "criterion": criterion.name,
                "variable": None,
                "measure": criterion.measure,
                "value": np.nan,
                "op": criterion.op,
                "threshold": np.nan,
                "threshold_rule": threshold.describe(),
                "passed": None,
                "note": f"{absent} not in the data",
            }
        )
    return pd.concat(frames, ignore_index=True)


def combine(passed: pd.Series, how: str) -> bool | None:
    """Kleene *or* (``any``) / *and* (``all``) over one sector's per-variable results."""
    vals = list(passed)
    target = how == "any"
    if any(v is target for v in vals):
        return target
    return None if any(v is None for v in vals) else (not target)


def criterion_results(
    details: pd.DataFrame, config: ScreeningConfig, sectors: list[str]
) -> pd.DataFrame:
    """Sector × criterion matrix of True/False/None."""
    out = pd.DataFrame(index=pd.Index(sectors, name="sector"))
    position = pd.Index(sectors).get_indexer(details["sector"])
    criterion = details["criterion"].to_numpy(dtype=object)
    passed = details["passed"].tolist()
    for c in config.criteria:
        mine = (criterion == c.name) & (position >= 0)
        out[c.name] = _combine_by_sector(
            position[mine],
            [p for p, m in zip(passed, mine, strict=True) if m],
            c.combine,
            len(sectors),
        )
    return out


def _combine_by_sector(position: np.ndarray, passed: list, how: str, n: int) -> list[bool | None]:
    """:func:`combine` of each sector's results at once: ``passed[k]`` belongs to sector
    ``position[k]`` (0 … n-1); a sector without results is ``None``.

    >>> _combine_by_sector(np.array([0, 0, 1, 1]), [False, True, None, False], "any", 3)
    [True, None, None]
    >>> _combine_by_sector(np.array([0, 0, 1, 1]), [False, True, None, True], "all", 3)
    [False, None, None]
    """
    target = how == "any"

    def count(flags: list[bool]) -> np.ndarray:
        return np.bincount(position, weights=np.asarray(flags, dtype=float), minlength=n)

    # the same identity tests as combine (True/False/None, nothing else counts as a result)
    hit = count([v is target for v in passed]) > 0
    unknown = count([v is None for v in passed]) > 0
    present = np.bincount(position, minlength=n) > 0
    return [
        None if not p else (target if h else (None if u else not target))
        for p, h, u in zip(present, hit, unknown, strict=True)
    ]


def rule_selection(results: pd.DataFrame, config: ScreeningConfig) -> pd.Series:
    """The rule's verdict per sector (True/False/None)."""
    return pd.Series(
        [config.rule.evaluate(row) for row in results.to_dict("records")],
        index=results.index,
        dtype=object,
    )


def composite_score(metrics: SectorMetrics, config: ScreeningConfig) -> pd.Series | None:
    """Weighted mean of each weighted criterion's percentile rank among the screened sectors (0–1).

    A criterion with an operator ``<``/``<=`` ranks low values high. Missing ranks are left out of a sector's
    weighted mean (the weights of the rest are renormalised).
    """
    if not config.weights:
        return None
    num = pd.Series(0.0, index=metrics.sectors)
    den = pd.Series(0.0, index=metrics.sectors)
    for name, w in config.weights.items():
        c = config.criterion(name)
        used = [v for v in c.variables if v in metrics.variables]
        if not used or w == 0:
            continue
        ranks = pd.concat(
            [
                metrics.value(v, c.measure).rank(pct=True, ascending=c.op in (">=", ">"))
                for v in used
            ],
            axis=1,
        ).mean(axis=1)
        num += ranks.fillna(0) * w
        den += ranks.notna() * w
    return (num / den.where(den > 0)).rename("score")


def apply_overrides(table: pd.DataFrame, config: ScreeningConfig) -> pd.DataFrame:
    """Set ``status`` from the rule and the overrides (which must name screened sectors)."""
    rule = table["rule"].to_numpy(dtype=object)
    # Three-valued rule: True → candidate, False → rejected, None (missing data) → undecided.
    status = np.select(
        [rule == True, rule == False],  # noqa: E712
        [CANDIDATE, REJECTED],
        default=UNDECIDED,
    ).astype(object)
    table = table.assign(status=status, override="", justification="", author="")
    index = {s: i for i, s in enumerate(table["sector"])}
    for o in config.overrides:
        if o.sector not in index:
            raise ConfigError(
                Text(
                    "sc_override_not_screened",
                    sector=o.sector,
                    screened=", ".join(table["sector"]),
                ),
                file=config.source,
                row=o.line,
            )
        i = index[o.sector]
        was = table.at[i, "status"]
        if o.action == "add" and was in (REJECTED, UNDECIDED):
            table.at[i, "status"] = ADDED
        elif o.action == "remove" and was == CANDIDATE:
            table.at[i, "status"] = REMOVED
        table.at[i, "override"] = o.action
        table.at[i, "justification"] = o.justification
        table.at[i, "author"] = o.author
    return table


def sector_records(details: pd.DataFrame) -> Callable[[str], list[dict]]:
    """A look-up ``sector -> its detail rows as records`` (``details[details["sector"] == sector]
    .to_dict("records")``), converting the table to records once instead of once per sector.

    >>> d = pd.DataFrame({"sector": ["A", "B", "A"], "v": [1, 2, 3]})
    >>> [r["v"] for r in sector_records(d)("A")], sector_records(d)("C")
    ([1, 3], [])
    """
    grouped: dict[str, list[dict]] = {}
    for record in details.to_dict("records"):
        grouped.setdefault(record["sector"], []).append(record)
    return lambda sector: grouped.get(sector, [])


def config_metrics(
    panel: Panel,
    config: ScreeningConfig,
    *,
    region: str,
    reference: str,
    variables: Sequence[str],
) -> SectorMetrics:
    """:func:`sector_metrics` over the period, sectors, exclusions and LQ tolerance of ``config``."""
    return sector_metrics(
        panel,
        region=region,
        reference=reference,
        variables=variables,
        year=config.year,
        start=config.start,
        period_length=config.period_length,
        sectors=config.sectors,
        exclude=config.exclude,
        lq_tolerance=config.lq_tolerance,
    )


def screen(
    panel: Panel,
    *,
    region: str,
    reference: str = "country",
    config: ScreeningConfig | None = None,
    metrics: SectorMetrics | None = None,
) -> ScreeningResult:
    """Screen every sector of ``region`` against ``reference`` with ``config`` (default: the study's).

    Returns a :class:`ScreeningResult`; ``result.to_frame()`` is the CSV the CLI writes.
    """
    config = config or load_config()
    if metrics is None:
        metrics = config_metrics(
            panel, config, region=region, reference=reference, variables=config.variables
        )
    details = pd.concat(
        [evaluate_criterion(metrics, c) for c in config.criteria], ignore_index=True
    )
    results = criterion_results(details, config, metrics.sectors)
    table = results.reset_index()
    table["rule"] = rule_selection(results, config).to_numpy()
    score = composite_score(metrics, config)
    if score is not None:
        table["score"] = score.to_numpy()
        table["rank"] = score.rank(ascending=False, method="min").to_numpy()
    table = apply_overrides(table, config)
    records_of = sector_records(details)
    table["reason"] = [
        reason_text(row, records_of(row["sector"]), config, metrics)
        for row in table.to_dict("records")
    ]
    for c in config.criteria:
        table[c.name] = table[c.name].map(_RESULT)
    thresholds = details.drop_duplicates(["criterion", "variable"])[
        ["criterion", "variable", "measure", "op", "threshold_rule", "threshold"]
    ].reset_index(drop=True)
    return ScreeningResult(
        config=config, metrics=metrics, table=table, details=details, thresholds=thresholds
    )
