"""Build a :class:`~speerpunt.report.model.ReportData` from library calls — the report computes nothing.

Order of the report: region profile, sector structure, specialisation (LQ table and chart), shift-share,
screening (evidence, heat-map, overrides), sensitivity (thresholds, reference regions), performance matrix,
portfolio chart, key-figure sheets of the candidates, optional sections from providers, methods, data notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pandas as pd
from markupsafe import Markup

from speerpunt.i18n.notes import note_text
from speerpunt.panel import TOTAL, Panel
from speerpunt.report import methods
from speerpunt.report.charts import (
    heatmap_chart,
    lq_chart,
    portfolio_chart,
    shift_share_chart,
    timeseries_chart,
)
from speerpunt.report.fmt import fmt_percent
from speerpunt.report.i18n import region_name, sector_code, sector_name, sector_tag, t
from speerpunt.report.keyfigures import UNIT_NAMES, VARIABLE_NAMES, format_key_figures, key_figures
from speerpunt.report.model import Column, ReportData, ReportTable, Section
from speerpunt.report.summary import cover, summary_section
from speerpunt.screening import (
    SELECTED_STATUSES,
    ScreeningConfig,
    load_config,
    matrix_grid,
    performance_matrix,
    reference_growth,
    reference_sensitivity,
    screen,
    threshold_sensitivity,
)
from speerpunt.screening.engine import config_metrics

Step = Callable[[str], None]
STEPS = ("measures", "screening", "sensitivity", "charts", "key figures", "sections")


def _noop(_: str) -> None:
    return None


def _labels(sectors: Sequence[str], lang: str) -> dict[str, str]:
    return {s: sector_name(s, lang) for s in sectors}


def _short(labels: dict[str, str], width: int = 32) -> dict[str, str]:
    """Chart labels: the sector name cut to ``width`` characters (the tables carry the full name)."""
    return {k: v if len(v) <= width else v[: width - 1].rstrip() + "…" for k, v in labels.items()}


def _with_labels(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """``frame`` with the sector's ``label`` and the ``code`` a reader sees (a policy sector's NACE
    codes, not its id: the ``sector`` column keeps the id for the rows' keys)."""
    out = frame.copy()
    out.insert(1, "label", out["sector"].map(lambda s: labels.get(s, s)))
    out.insert(1, "code", out["sector"].map(sector_code))
    return out


def _named_sectors(text: str, lang: str) -> str:
    """A data note with the policy sectors' ids it names replaced by their labels.

    >>> _named_sectors("built: bouw, chemie_life_sciences", "en")
    'built: Construction, Chemicals and life sciences'
    """
    return re.sub(r"[a-z][a-z_]+", lambda m: sector_tag(m.group(0), lang), text)


def _var_name(variable: str, lang: str) -> str:
    return VARIABLE_NAMES[lang].get(variable, variable)


def _profile(
    panel: Panel, metrics, variables: list[str], lang: str, region: str, ref: str
) -> Section:
    rows = []
    for var in variables:
        lq = metrics.frames[var]["lq"]
        g = metrics.frames[var]["growth"]
        unit = panel.unit(var) or ""
        total = g[g["sector"] == TOTAL]
        rows.append(
            {
                "variable": _var_name(var, lang),
                "unit": UNIT_NAMES[lang].get(unit, unit),
                "total": float(lq["total"].iloc[0]),
                "reference_total": float(lq["reference_total"].iloc[0]),
                "region_share": float(lq["total"].iloc[0] / lq["reference_total"].iloc[0]),
                "growth": float(total["growth"].iloc[0]) if len(total) else float("nan"),
                "reference_growth": reference_growth(metrics, var),
            }
        )
    frame = pd.DataFrame(rows)
    table = ReportTable(
        "profile",
        t("profile", lang),
        [
            Column("variable", t("variable", lang)),
            Column("unit", t("unit", lang)),
            Column("total", f"{t('total', lang)} {metrics.year}", "number"),
            Column("reference_total", f"{t('reference', lang)} {metrics.year}", "number"),
            Column("region_share", t("share", lang), "percent"),
            Column("growth", f"{t('growth', lang)} {metrics.start}–{metrics.year}", "percent"),
            Column(
                "reference_growth", f"{t('growth', lang)} {t('reference', lang).lower()}", "percent"
            ),
        ],
        frame,
    )
    items = [
        (t("region", lang), f"{region_name(region, lang)} ({region})"),
        (t("reference", lang), f"{region_name(ref, lang)} ({ref})"),
        (t("period", lang), f"{metrics.start}–{metrics.year}"),
        (t("n_sectors", lang), str(len(metrics.sectors))),
    ]
    return Section("profile", t("profile", lang), items=items, tables=[table])


def _sector_table(
    key: str,
    title: str,
    source: pd.DataFrame,
    columns: list[Column],
    lang: str,
    labels: dict[str, str],
    *,
    total_label: bool = False,
) -> ReportTable:
    """``source`` by sector: code and label, then ``columns``, with the source's non-empty notes.

    ``total_label`` names the ``TOTAL`` row "total" in the report's language.
    """
    frame = _with_labels(source[["sector", *(c.key for c in columns)]], labels)
    if total_label:
        frame.loc[frame["sector"] == TOTAL, "label"] = t("total", lang)
    return ReportTable(
        key,
        title,
        [Column("code", t("code", lang)), Column("label", t("sector", lang)), *columns],
        frame,
        notes=[note_text(n, lang) for n in source["note"] if n],
    )


def _structure(metrics, var: str, lang: str, labels: dict[str, str]) -> ReportTable:
    return _sector_table(
        f"structure-{var}",
        f"{t('structure', lang)} — {_var_name(var, lang)} {metrics.year}",
        metrics.frames[var]["lq"],
        [
            Column("value", t("level", lang), "number"),
            Column("share", t("share", lang), "percent"),
            Column("reference_share", t("ref_share", lang), "percent"),
        ],
        lang,
        labels,
    )


def _lq_table(metrics, var: str, lang: str, labels: dict[str, str]) -> ReportTable:
    return _sector_table(
        f"lq-{var}",
        f"{t('lq_section', lang)} — {_var_name(var, lang)}",
        metrics.frames[var]["lq_trend"],
        [
            Column("lq_start", t("lq_start", lang, start=metrics.start), "index"),
            Column("lq_end", t("lq_end", lang, year=metrics.year), "index"),
            Column("lq_change", "Δ LQ", "index"),
            Column("trend", t("lq_trend", lang)),
        ],
        lang,
        labels,
    )


def _shift_share_table(metrics, var: str, lang: str, labels: dict[str, str]) -> ReportTable:
    return _sector_table(
        f"shiftshare-{var}",
        f"{t('shiftshare', lang)} — {_var_name(var, lang)} {metrics.start}–{metrics.year}",
        metrics.frames[var]["shift_share"],
        [
            Column("value_start", str(metrics.start), "number"),
            Column("value_end", str(metrics.year), "number"),
            Column("actual_change", t("actual_change", lang), "number"),
            Column("national_share", t("national_share", lang), "number"),
            Column("industry_mix", t("industry_mix", lang), "number"),
            Column("regional_shift", t("regional_shift", lang), "number"),
        ],
        lang,
        labels,
        total_label=True,
    )


def _screening(result, config: ScreeningConfig, lang: str, labels: dict[str, str]) -> Section:
    crit = pd.DataFrame(
        [
            {
                "criterion": c.title(lang),
                "measure": c.measure,
                "variables": ", ".join(c.variables),
                "rule": f"{c.op} {c.threshold.describe()}",
                "description": c.describe(lang),
            }
            for c in config.criteria
        ]
    )
    crit_table = ReportTable(
        "criteria",
        t("criterion", lang),
        [
            Column("criterion", t("criterion", lang)),
            Column("measure", t("measure", lang)),
            Column("variables", t("variable", lang)),
            Column("rule", t("threshold", lang)),
            Column("description", t("note", lang)),
        ],
        crit,
    )
    thr = result.thresholds.copy()
    thr["criterion"] = thr["criterion"].map(lambda n: config.criterion(n).title(lang))
    thr_table = ReportTable(
        "thresholds",
        t("threshold", lang),
        [
            Column("criterion", t("criterion", lang)),
            Column("variable", t("variable", lang)),
            Column("measure", t("measure", lang)),
            Column("op", ""),
            Column("threshold_rule", t("rule", lang)),
            Column("threshold", t("threshold", lang), "by_measure"),
        ],
        thr,
    )
    tab = result.table.copy()
    tab["reason"] = result.reasons(lang).to_numpy()
    tab["status_text"] = tab["status"].map(lambda s: t(s, lang))
    for c in config.criteria:
        tab[c.name] = tab[c.name].map(lambda v: t(v, lang))
    tab = _with_labels(tab, labels)
    cols = [
        Column("code", t("code", lang)),
        Column("label", t("sector", lang)),
        Column("status_text", t("status", lang)),
    ]
    cols += [Column(c.name, c.title(lang)) for c in config.criteria]
    if "score" in tab:
        cols += [Column("score", t("score", lang), "index"), Column("rank", t("rank", lang), "int")]
    res_table = ReportTable("screening", t("screening_title", lang), cols, tab)
    reasons = ReportTable(
        "reasons",
        t("reason", lang),
        [
            Column("code", t("code", lang)),
            Column("label", t("sector", lang)),
            Column("status_text", t("status", lang)),
            Column("reason", t("reason", lang), "longtext"),
        ],
        _with_labels(tab[["sector", "status_text", "reason"]], labels),
    )
    tables = [crit_table, thr_table, res_table, reasons]
    if config.overrides:
        ov = pd.DataFrame(
            [
                {
                    "sector": o.sector,
                    "action": o.action,
                    "author": o.author,
                    "justification": o.justification,
                }
                for o in config.overrides
            ]
        ).assign(code=lambda f: f["sector"].map(sector_code))
        tables.append(
            ReportTable(
                "overrides",
                t("expert_override", lang),
                [
                    Column("code", t("code", lang)),
                    Column("action", t("expert_override", lang)),
                    Column("author", t("author", lang)),
                    Column("justification", t("justification", lang)),
                ],
                ov,
            )
        )
    heat = heatmap_chart(
        result.table,
        [(c.name, c.title(lang)) for c in config.criteria],
        labels=_short(labels),
        lang=lang,
    )
    paragraphs = [Markup("{}: <code>{}</code>").format(t("rule", lang), config.rule.text)]
    if config.describe(lang):
        paragraphs.append(config.describe(lang))
    selected = [labels.get(s, s) for s in result.selected]
    paragraphs.append(f"{t('selected', lang)}: {', '.join(selected) or t('none', lang)}")
    return Section(
        "screening", t("screening_title", lang), paragraphs=paragraphs, tables=tables, charts=[heat]
    )


def titled_flips(text: str, titles: dict[str, str]) -> str:
    """The sensitivity's ``'important ×0.5–0.7'`` with each criterion's title in the report's language.

    >>> titled_flips("important ×0.5–0.7; growing ×1.4", {"important": "Belangrijk"})
    'Belangrijk ×0.5–0.7; growing ×1.4'
    """
    return re.sub(r"\b\w+(?= ×)", lambda m: titles.get(m.group(0), m.group(0)), text)


def _sensitivity(sens, refs: pd.DataFrame, lang: str, labels: dict[str, str], config) -> Section:
    s = _with_labels(sens.summary, labels)
    s["selected"] = s["selected"].map(lambda v: t("pass" if v else "fail", lang))
    titles = {c.name: c.title(lang) for c in config.criteria}
    s["flips"] = s["flips"].map(lambda f: titled_flips(f, titles))
    sens_table = ReportTable(
        "sensitivity",
        t("sensitivity_title", lang),
        [
            Column("code", t("code", lang)),
            Column("label", t("sector", lang)),
            Column("selected", t("selected", lang)),
            Column("stability", t("stability", lang), "percent", 0),
            Column("flips", t("flips", lang)),
        ],
        s,
    )
    r = _with_labels(refs, labels)
    ref_cols = [c for c in refs.columns if c not in ("sector", "n_selected")]
    for c in ref_cols:
        r[c] = r[c].map(lambda v: t(v, lang))
    ref_table = ReportTable(
        "references",
        f"{t('sensitivity', lang)} — {t('reference', lang).lower()}",
        [
            Column("code", t("code", lang)),
            Column("label", t("sector", lang)),
            *[Column(c, f"{region_name(c, lang)}") for c in ref_cols],
            Column("n_selected", t("n_selected", lang), "int"),
        ],
        r,
    )
    lo, hi = 1 - config.sensitivity_range, 1 + config.sensitivity_range
    para = (
        f"{len(sens.factors)} × {len(config.criteria)} runs: ×{lo:g} … ×{hi:g}"
        if lang == "en"
        else f"{len(sens.factors)} × {len(config.criteria)} doorrekeningen: ×{lo:g} … ×{hi:g}"
    )
    return Section(
        "sensitivity",
        t("sensitivity_title", lang),
        paragraphs=[para],
        tables=[sens_table, ref_table],
    )


def _matrix(metrics, var: str, lang: str, labels: dict[str, str]) -> Section:
    pm = performance_matrix(metrics, x="lq", y="growth", variable=var, centre="reference")
    grid = matrix_grid(pm.assign(sector=pm["sector"].map(lambda s: labels.get(s, s))))
    grid = grid.reset_index()
    grid["y_class"] = grid["y_class"].map(lambda v: t(v, lang))
    grid_table = ReportTable(
        "matrix",
        t("performance_matrix", lang),
        [
            Column("y_class", f"{t('y_class', lang)} ↓ / {t('x_class', lang)} →"),
            Column("strong", t("strong", lang)),
            Column("average", t("average", lang)),
            Column("weak", t("weak", lang)),
        ],
        grid,
    )
    detail = _with_labels(pm[["sector", "x_value", "y_value", "x_class", "y_class"]], labels)
    for c in ("x_class", "y_class"):
        detail[c] = detail[c].map(lambda v: t(v, lang) if v else "/")
    detail_table = ReportTable(
        "matrix-detail",
        t("performance_matrix", lang),
        [
            Column("code", t("code", lang)),
            Column("label", t("sector", lang)),
            Column("x_value", t("lq", lang), "index"),
            Column("x_class", t("x_class", lang)),
            Column("y_value", t("growth", lang), "percent"),
            Column("y_class", t("y_class", lang)),
        ],
        detail,
    )
    para = (
        f"LQ: centre 1; growth: centre = reference growth {fmt_percent(pm['y_centre'].iloc[0], lang)}; "
        "band ±20 %."
        if lang == "en"
        else f"LQ: midden 1; groei: midden = groei referentie {fmt_percent(pm['y_centre'].iloc[0], lang)}; "
        "band ±20 %."
    )
    return Section(
        "matrix",
        t("performance_matrix", lang),
        paragraphs=[para],
        tables=[grid_table, detail_table],
    )


def _series(
    panel: Panel, var: str, region: str, reference: str, sectors: list[str]
) -> pd.DataFrame:
    from speerpunt.measures import location_quotient

    years = sorted(panel.data.loc[panel.data["variable"] == var, "year"].unique())
    frames = [
        location_quotient(
            panel, variable=var, year=int(y), reference=reference, regions=[region], sectors=sectors
        )
        for y in years
    ]
    return pd.concat(frames, ignore_index=True)


def _keyfigures(
    panel: Panel,
    result,
    region: str,
    reference: str,
    ref_code: str,
    variables: list[str],
    lang: str,
    labels: dict[str, str],
) -> Section:
    chosen = result.selected
    if not chosen:
        return Section("keyfigures", t("keyfigures", lang), paragraphs=[t("no_candidates", lang)])
    kf_vars = list(dict.fromkeys([*variables, "employment", "value_added"]))
    kf = key_figures(
        panel,
        region=region,
        reference=reference,
        sectors=chosen,
        variables=kf_vars,
        year=result.metrics.year,
        lq_tolerance=result.config.lq_tolerance,
    )
    text = format_key_figures(
        kf, lang, region_name=region_name(region, lang), reference_name=ref_code
    )
    series_var = variables[0]
    series = _series(panel, series_var, region, reference, result.metrics.sectors)
    subs = []
    for s in chosen:
        rows = text[text["sector"] == s].reset_index(drop=True)
        raw = kf[kf["sector"] == s].reset_index(drop=True)
        frame = pd.DataFrame(
            {
                "label": rows["label"],
                "text": rows["text"],
                "value": raw["value"],
                "kind": raw["kind"],
                "note": rows["note"],
            }
        )
        table = ReportTable(
            f"kf-{s}",
            f"{labels.get(s, s)} ({sector_code(s)})",
            [
                Column("label", ""),
                Column("text", "", "keyfigure"),
            ],
            frame,
            notes=list(dict.fromkeys(n for n in rows["note"] if n)),
        )
        ser = series[series["sector"] == s][["year", "value", "lq"]]
        chart = timeseries_chart(
            ser,
            sector=s,
            label=f"{labels.get(s, s)} ({sector_code(s)})",
            lang=lang,
            unit=UNIT_NAMES[lang].get(panel.unit(series_var) or "", panel.unit(series_var)),
        )
        subs.append(
            Section(
                f"kf-{s}", f"{labels.get(s, s)} ({sector_code(s)})", tables=[table], charts=[chart]
            )
        )
    return Section("keyfigures", t("keyfigures", lang), subsections=subs)


def _data_notes(
    panel: Panel, region: str, ref_code: str, variables: list[str], lang: str, metrics
) -> Section:
    m = panel.meta
    items = []
    if m.source:
        items.append((t("source", lang), m.source))
    if m.attribution:
        items.append(("", m.attribution))
    if m.classification:
        items.append(("NACE", m.classification))
    if m.nuts_vintage:
        items.append(("NUTS", m.nuts_vintage))
    for var in variables:
        if panel.unit(var):
            items.append((f"{t('unit', lang)} ({_var_name(var, lang)})", panel.unit(var)))
    for note in m.notes:
        items.append((t("note", lang), _named_sectors(note_text(note, lang), lang)))
    breaks = [f"{b.year}: {b.description}" for b in m.breaks]
    items.append((t("breaks", lang), "; ".join(breaks) or t("none_sentence", lang)))
    fl = panel.flagged()
    keep = {region, ref_code}
    fl = fl[
        fl["region"].isin(keep)
        & fl["variable"].isin(variables)
        & fl["sector"].isin([*metrics.sectors, TOTAL])
    ]
    table = ReportTable(
        "flags",
        t("missing_cells", lang),
        [
            Column("region", t("region", lang)),
            Column("code", t("code", lang)),
            Column("year", t("year", lang), "int"),
            Column("variable", t("variable", lang)),
            Column("value", t("value", lang), "number"),
            Column("flag", t("flag", lang)),
            Column("meaning", t("meaning", lang)),
        ],
        fl[["region", "sector", "year", "variable", "value", "flag", "meaning"]]
        .assign(code=lambda f: f["sector"].map(sector_code))
        .reset_index(drop=True),
    )
    return Section(
        "datanotes",
        t("datanotes", lang),
        items=items,
        tables=[table] if len(fl) else [],
        paragraphs=[] if len(fl) else [f"{t('missing_cells', lang)}: {t('none', lang)}"],
    )


def build_report_data(
    panel: Panel,
    *,
    region: str,
    reference: str = "country",
    lang: str = "nl",
    config: ScreeningConfig | None = None,
    variables: Sequence[str] = ("employment",),
    step: Step = _noop,
    providers: Sequence[Callable] | None = None,
    organisation: str = "",
) -> ReportData:
    """Call the library for every number of the report and assemble the sections (see module docstring)."""
    from speerpunt.report.sections import SECTION_PROVIDERS, ReportContext

    t("title", lang)  # validates lang before any work
    config = config or load_config()
    variables = [v for v in variables if v in panel.variables] or list(variables)
    step(t("step_measures", lang))
    metrics = config_metrics(panel, config, region=region, reference=reference, variables=variables)
    ref_code = metrics.reference
    labels = _labels([*metrics.sectors, TOTAL], lang)
    step(t("step_screening", lang))
    result = screen(panel, region=region, reference=reference, config=config, metrics=metrics)
    step(t("step_sensitivity", lang))
    sens = threshold_sensitivity(metrics, config)
    refs = reference_sensitivity(panel, region=region, reference=reference, config=config)
    step(t("step_charts", lang))
    var = metrics.variables[0]
    sections = [
        summary_section(panel, result, sens.summary, region, lang),
        _profile(panel, metrics, metrics.variables, lang, region, ref_code),
    ]
    structure = Section(
        "structure",
        t("structure", lang),
        tables=[_structure(metrics, v, lang, labels) for v in metrics.variables],
    )
    lq_sec = Section(
        "lq",
        t("lq_section", lang),
        tables=[_lq_table(metrics, v, lang, labels) for v in metrics.variables],
        charts=[
            lq_chart(metrics.frames[var]["lq"], labels=_short(labels), lang=lang, year=metrics.year)
        ],
    )
    ss_sec = Section(
        "shiftshare",
        t("shiftshare", lang),
        tables=[_shift_share_table(metrics, v, lang, labels) for v in metrics.variables],
        charts=[
            shift_share_chart(
                metrics.frames[var]["shift_share"],
                labels=_short(labels),
                lang=lang,
                start=metrics.start,
                year=metrics.year,
            )
        ],
    )
    pf = pd.DataFrame(
        {
            "sector": metrics.sectors,
            "label": [sector_tag(s, lang) for s in metrics.sectors],
            "lq": metrics.value(var, "lq").to_numpy(),
            "growth": metrics.value(var, "growth").to_numpy(),
            "level": metrics.value(var, "level").to_numpy(),
            "selected": result.table["status"].isin(SELECTED_STATUSES).to_numpy(),
        }
    )
    portfolio = Section(
        "portfolio",
        t("portfolio", lang),
        charts=[
            portfolio_chart(
                pf,
                reference_growth=reference_growth(metrics, var),
                lang=lang,
                start=metrics.start,
                year=metrics.year,
            )
        ],
    )
    sections += [
        structure,
        lq_sec,
        ss_sec,
        _screening(result, config, lang, labels),
        _sensitivity(sens, refs, lang, labels, config),
        _matrix(metrics, var, lang, labels),
        portfolio,
    ]
    step(t("step_key_figures", lang))
    sections.append(
        _keyfigures(panel, result, region, reference, ref_code, metrics.variables, lang, labels)
    )
    step(t("step_sections", lang))
    ctx = ReportContext(
        panel=panel,
        region=region,
        reference=reference,
        lang=lang,
        metrics=metrics,
        screening=result,
    )
    extra = [
        s for s in (p(ctx) for p in (SECTION_PROVIDERS if providers is None else providers)) if s
    ]
    if extra:
        sections.append(Section("extra", t("extra", lang), subsections=extra))
    sections.append(methods.methods_section(lang, config))
    sections.append(_data_notes(panel, region, ref_code, metrics.variables, lang, metrics))
    region_label = region_name(region, lang)
    return ReportData(
        lang=lang,
        title=t("title", lang, region=region_label),
        subtitle=t(
            "subtitle",
            lang,
            reference=f"{region_name(ref_code, lang)} ({reference})",
            variable=", ".join(_var_name(v, lang) for v in metrics.variables),
            start=metrics.start,
            year=metrics.year,
        ),
        region=region,
        reference=ref_code,
        sections=sections,
        footer=f"{panel.meta.attribution or ''}".strip(),
        cover=cover(
            region,
            ref_code,
            lang,
            metrics.start,
            metrics.year,
            organisation or t("organisation_default", lang),
        ),
    )
