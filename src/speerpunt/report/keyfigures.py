"""Key-figure sheets per sector in the layout of the study's Tabel 5–11 ("Kerncijfers voor …").

Per variable (employment, then value added) a block of: the level in the region, its share of the region's
total, the trend (cumulative growth) over up to three periods, the specialisation index (LQ) against the
reference in a year and the trend symbol of that index over a period. Every number comes from
:mod:`speerpunt.measures`; where a value is not available the sheet shows ``/`` and a note says why (a missing
cell, a variable the data do not have, or a trend across a declared classification break).

Example
-------
The study's logistics sector: 44.313 jobs in 2008, 42.762 in 2010, "daalde … met 3,5%".

>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> rows = [("R", "H", 2008, "employment", 44313.0), ("R", "H", 2010, "employment", 42762.0),
...         ("R", "TOTAL", 2008, "employment", 600000.0), ("R", "TOTAL", 2010, "employment", 610000.0),
...         ("N", "H", 2008, "employment", 150000.0), ("N", "H", 2010, "employment", 148000.0),
...         ("N", "TOTAL", 2008, "employment", 4000000.0), ("N", "TOTAL", 2010, "employment", 4050000.0)]
>>> p = Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))
>>> kf = key_figures(p, region="R", reference="N", sectors=["H"], variables=["employment"],
...                  periods=[(2008, 2010)])
>>> sheet = format_key_figures(kf, "nl")
>>> sheet.set_index("label")["text"].loc["Trend 2008-2010"]
'-3,5%'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from speerpunt.errors import MeasureError, Text
from speerpunt.i18n.notes import note_text
from speerpunt.panel import TOTAL, Panel
from speerpunt.report.fmt import NA, fmt_value
from speerpunt.report.i18n import t

#: Note of a key figure whose variable the panel does not have (translated when rendered).
MISSING_VARIABLE = "{variable} is not in the data"
#: Decimals of a key figure by kind (the study prints indices as 1,02 and 0,92); others get one.
KIND_DECIMALS = {"index": 2}
#: Note of a trend that one year of data cannot give.
ONE_YEAR = "one year of data ({year}): no trend"

KF_COLUMNS = ["sector", "variable", "item", "start", "end", "value", "text", "kind", "note"]

_LABELS = {
    "nl": {
        "level": "{var} in {region}",
        "share": "Aandeel in {varlow} {region}",
        "ref_share": "Aandeel van {region} in de sector in {ref}",
        "trend": "Trend {a}-{b}",
        "lq": "Specialisatie-index {b} ({ref})",
        "lq_trend": "Trend specialisatie-index {a}-{b}",
    },
    "en": {
        "level": "{var} in {region}",
        "share": "Share of {varlow} in {region}",
        "ref_share": "Share of {region} in the sector in {ref}",
        "trend": "Trend {a}-{b}",
        "lq": "Specialisation index {b} ({ref})",
        "lq_trend": "Trend of the specialisation index {a}-{b}",
    },
}
VARIABLE_NAMES = {
    "nl": {
        "employment": "Werkgelegenheid",
        "value_added": "Toegevoegde waarde",
        "enterprises": "Ondernemingen",
        "starts": "Oprichtingen",
        "stops": "Stopzettingen",
    },
    "en": {
        "employment": "Employment",
        "value_added": "Value added",
        "enterprises": "Enterprises",
        "starts": "Starts",
        "stops": "Stops",
    },
}
UNIT_NAMES = {
    "nl": {
        "thousand persons": "duizend personen",
        "persons": "personen",
        "million euro": "miljoen euro",
        "million EUR": "miljoen euro",
        "jobs": "arbeidsplaatsen",
        "enterprises": "ondernemingen",
    },
    "en": {},
}


def default_periods(panel: Panel, variable: str, end: int) -> list[tuple[int, int]]:
    """Three periods ending in ``end`` like the study's 2000–2007, 2008–2010 and 2000–2010: split at a
    declared classification break when there is one, else ten years before ``end``.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": "R", "sector": "A", "year": range(2000, 2019), "variable": "employment",
    ...                    "value": 1.0})
    >>> default_periods(Panel(df), "employment", 2018)
    [(2000, 2007), (2008, 2018), (2000, 2018)]
    """
    years = sorted(
        int(y) for y in panel.data.loc[panel.data["variable"] == variable, "year"].unique()
    )
    first = years[0] if years else end
    inside = [
        b.year
        for b in panel.meta.breaks
        if first < b.year <= end and (b.variable is None or b.variable == variable)
    ]
    cut = inside[0] if inside else max(first + 1, end - 10)
    out: list[tuple[int, int]] = []
    for a, b in [(first, cut - 1), (cut, end), (first, end)]:
        if a < b and (a, b) not in out and a in years and b in years:
            out.append((a, b))
    return out


def _sectors_for(panel: Panel, sectors: Sequence[str]) -> list[str]:
    from speerpunt.measures.reference import resolve_sectors

    base = resolve_sectors(panel, None)
    return base + [s for s in sectors if s not in base and s != TOTAL]


def _rows(
    frame: pd.DataFrame, sectors: Sequence[str], value: str, **fields: object
) -> pd.DataFrame:
    """One row per sector: ``value`` from the frame's column ``value``, ``fields`` as constants."""
    f = (
        frame[frame["sector"].isin(sectors)]
        .drop_duplicates("sector")
        .set_index("sector")
        .reindex(sectors)
    )
    out = pd.DataFrame({"sector": list(sectors), **fields})
    out["value"] = f[value].to_numpy()
    out["note"] = f["note"].fillna("").to_numpy()
    return out


def _variable_block(
    panel: Panel,
    variable: str,
    *,
    region: str,
    reference: str,
    sectors: list[str],
    year: int,
    periods: Sequence[tuple[int, int]],
    lq_year: int,
    lq_period: tuple[int, int],
    tolerance: float,
) -> list[pd.DataFrame]:
    from speerpunt.measures import growth, location_quotient, lq_trend

    kw = {"variable": variable, "regions": [region], "sectors": _sectors_for(panel, sectors)}
    lq_now = location_quotient(panel, year=year, reference=reference, **kw)
    lq_now = lq_now.assign(ref_share=lq_now["value"] / lq_now["reference_value"])
    blocks = [
        _rows(lq_now, sectors, "value", item="level", start=year, end=year, kind="number"),
        _rows(lq_now, sectors, "share", item="share", start=year, end=year, kind="percent"),
        _rows(lq_now, sectors, "ref_share", item="ref_share", start=year, end=year, kind="percent"),
    ]
    for a, b in periods:
        g = growth(panel, start=a, end=b, **kw)
        blocks.append(_rows(g, sectors, "growth", item="trend", start=a, end=b, kind="percent"))
    lq_at = location_quotient(panel, year=lq_year, reference=reference, **kw)
    blocks.append(_rows(lq_at, sectors, "lq", item="lq", start=lq_year, end=lq_year, kind="index"))
    if lq_period[0] >= lq_period[1]:
        block = pd.DataFrame(
            {"sector": sectors, "item": "lq_trend", "start": lq_period[0], "end": lq_period[1]}
        ).assign(value=np.nan, kind="symbol", text="", note=ONE_YEAR.format(year=lq_period[1]))
        blocks.append(block.assign(variable=variable))
        for b in blocks:
            b["variable"] = variable
        return blocks
    t = lq_trend(
        panel, start=lq_period[0], end=lq_period[1], reference=reference, tolerance=tolerance, **kw
    )
    block = _rows(
        t,
        sectors,
        "lq_change",
        item="lq_trend",
        start=lq_period[0],
        end=lq_period[1],
        kind="symbol",
    )
    block["text"] = _rows(t, sectors, "trend")["value"].to_numpy()
    blocks.append(block)
    for b in blocks:
        b["variable"] = variable
    return blocks


def _absent_block(
    variable: str, sectors: list[str], year: int, periods, lq_year, lq_period
) -> pd.DataFrame:
    items = [("level", year, year, "number"), ("share", year, year, "percent")]
    items += [("ref_share", year, year, "percent")]
    items += [("trend", a, b, "percent") for a, b in periods]
    items += [("lq", lq_year, lq_year, "index"), ("lq_trend", *lq_period, "symbol")]
    return pd.DataFrame(
        [
            {
                "sector": s,
                "variable": variable,
                "item": i,
                "start": a,
                "end": b,
                "value": np.nan,
                "kind": k,
                "note": MISSING_VARIABLE.format(variable=variable),
            }
            for s in sectors
            for i, a, b, k in items
        ]
    )


def key_figures(
    panel: Panel,
    *,
    region: str,
    sectors: Sequence[str],
    reference: str = "country",
    variables: Sequence[str] = ("employment", "value_added"),
    year: int | None = None,
    periods: Sequence[tuple[int, int]] | Mapping[str, Sequence[tuple[int, int]]] | None = None,
    lq_year: int | None = None,
    lq_period: tuple[int, int] | None = None,
    lq_tolerance: float = 0.05,
) -> pd.DataFrame:
    """The key figures of ``sectors`` in ``region``: one row per sector × variable × item.

    ``year`` defaults to the last year of the first variable present; ``periods`` (one list, or one per
    variable like the study's 2000–2007/2008–2010 for jobs and 2000–2006/2007–2010 for value added) to
    :func:`default_periods`; ``lq_year`` to ``year``; ``lq_period`` to (first year of the periods,
    ``lq_year``). Returns the columns ``sector, variable, item, start, end, value, text, kind, note`` where
    ``item`` is ``level``, ``share``, ``ref_share`` (the region's share of the reference's sector),
    ``trend``, ``lq`` or ``lq_trend`` (``text`` holds the trend symbol). With one year of data there are
    no trends: the index trend is ``/`` with a note.
    """
    present = [v for v in variables if v in panel.variables]
    if not present:
        raise MeasureError(
            Text("rp_none_of_variables", variables=", ".join(variables)), column="variable"
        )
    sectors = list(sectors)
    unknown = [s for s in sectors if s not in set(panel.sectors)]
    if unknown:
        raise MeasureError(Text("rp_sector_missing", sectors=", ".join(unknown)), column="sector")
    years = sorted(panel.data.loc[panel.data["variable"] == present[0], "year"].unique())
    year = int(year or years[-1])
    lq_year = int(lq_year or year)
    blocks: list[pd.DataFrame] = []
    for var in variables:
        if isinstance(periods, Mapping):
            var_periods = list(periods.get(var) or [])
        else:
            var_periods = list(periods) if periods else []
        if var not in present:
            lqp = lq_period or (min((a for a, _ in var_periods), default=lq_year), lq_year)
            blocks.append(_absent_block(var, sectors, year, var_periods, lq_year, tuple(lqp)))
            continue
        if not var_periods:
            var_periods = default_periods(panel, var, year)
        lqp = lq_period or (min((a for a, _ in var_periods), default=lq_year), lq_year)
        blocks += _variable_block(
            panel,
            var,
            region=region,
            reference=reference,
            sectors=sectors,
            year=year,
            periods=var_periods,
            lq_year=lq_year,
            lq_period=tuple(lqp),
            tolerance=lq_tolerance,
        )
    out = pd.concat(blocks, ignore_index=True)
    if "text" not in out:
        out["text"] = ""
    out["text"] = out["text"].fillna("")
    out.attrs.update(region=region, reference=reference, unit=dict(panel.meta.units))
    order = {s: i for i, s in enumerate(sectors)}
    out = out.sort_values(["sector"], key=lambda s: s.map(order), kind="stable")
    return out[KF_COLUMNS].reset_index(drop=True)


def _label(row: pd.Series, lang: str, region: str, ref: str, units: dict) -> str:
    var = VARIABLE_NAMES[lang].get(row["variable"], row["variable"])
    unit = units.get(row["variable"])
    label = _LABELS[lang][row["item"]].format(
        var=var, varlow=var.lower(), region=region, ref=ref, a=row["start"], b=row["end"]
    )
    if row["item"] == "level" and unit:
        label += f" ({UNIT_NAMES[lang].get(unit, unit)})"
    return label


def _note(note: object, variable: str, lang: str) -> str:
    """The note in ``lang``: the missing-variable note and the measures' notes (their codes, :mod:`speerpunt.i18n.notes`)."""
    if not isinstance(note, str):
        return ""
    if note == MISSING_VARIABLE.format(variable=variable):
        return t("kf_variable_missing", lang, variable=VARIABLE_NAMES[lang].get(variable, variable))
    if note.startswith("one year of data") and lang == "nl":  # written in keyfigures itself
        return note.replace("one year of data", "één jaar gegevens").replace(
            "no trend", "geen trend"
        )
    return note_text(note, lang)


def format_key_figures(
    kf: pd.DataFrame,
    lang: str,
    *,
    region_name: str | None = None,
    reference_name: str | None = None,
) -> pd.DataFrame:
    """Render key figures as text in ``lang`` (``nl``: 35.991; 5,4%; 2,3 — ``en``: 35,991; 5.4%; 2.3).

    Returns ``sector, variable, item, label, text, note`` with ``/`` for every value not available.
    """
    region = region_name or kf.attrs.get("region", "")
    ref = reference_name or kf.attrs.get("reference", "")
    units = kf.attrs.get("unit", {})
    texts = []
    for row in kf.to_dict("records"):
        if row["kind"] == "symbol":
            texts.append(row["text"] if isinstance(row["text"], str) and row["text"] else NA)
        else:
            decimals = KIND_DECIMALS.get(row["kind"], 1)
            texts.append(fmt_value(row["value"], row["kind"], lang, decimals=decimals))
    labels = [_label(r, lang, region, ref, units) for _, r in kf.iterrows()]
    return pd.DataFrame(
        {
            "sector": kf["sector"],
            "variable": kf["variable"],
            "item": kf["item"],
            "label": labels,
            "text": texts,
            "note": [_note(n, v, lang) for n, v in zip(kf["note"], kf["variable"], strict=True)],
        }
    )


#: Why a recomputed figure differs from the one the study printed (Tabel 5–11, seed 000).
PUBLISHED_DIFFERENCE = {
    "nl": (
        "gepubliceerd: {what} {pyear}, afbakening van de studie (zonder NACE-codes); "
        "herberekend: {unit} {ryear} uit {source}, {nace}"
    ),
    "en": (
        "published: {what} {pyear}, the study's scope (no NACE codes given); "
        "recomputed: {unit} {ryear} from {source}, {nace}"
    ),
}
#: The region of the study's printed key figures: Provincie Antwerpen.
PUBLISHED_REGION = "BE21"
PUBLISHED_WHAT = {
    "nl": {
        "employment": "RSZ-arbeidsplaatsen (werknemers, zonder zelfstandigen)",
        "value_added": "toegevoegde waarde (miljoen euro)",
    },
    "en": {
        "employment": "RSZ employee jobs (without the self-employed)",
        "value_added": "value added (million euro)",
    },
}


def published_key_figures(sector: str | None = None) -> pd.DataFrame:
    """The figures the study printed in Tabel 5–11 (``data/antwerp2013_keyfigures.csv``), one row per item.

    Columns ``table, sector, variable, item, start, end, value, text, seed_line``; ``seed_line`` is the line
    of ``../shared/seeds/000_5f628ccc190b7276.txt`` the value is printed on; ``text`` is the value as
    printed (``/`` where the study printed none).

    >>> row = published_key_figures("bouw").set_index(["variable", "item"]).loc[("employment", "lq")]
    >>> row["text"], int(row["seed_line"])
    ('1,02', 2388)
    """
    from importlib.resources import files

    path = files("speerpunt") / "data" / "antwerp2013_keyfigures.csv"
    with path.open(encoding="utf-8") as f:
        table = pd.read_csv(
            f, dtype={"text": str}, keep_default_na=False, na_values={"value": [""]}
        )
    return table if sector is None else table[table["sector"] == sector].reset_index(drop=True)


def with_published(
    sheet: pd.DataFrame,
    kf: pd.DataFrame,
    lang: str,
    *,
    source: str = "",
    nace: str = "",
    region_name: str | None = None,
    reference_name: str | None = None,
) -> pd.DataFrame:
    """The formatted sheet with ``published`` (the study's printed value and its seed line) and
    ``difference`` (why the two differ) beside the recomputed ``text``.

    Rows are matched on sector, variable and item, and for trends on the period; a printed trend the data
    cannot give is added with ``/`` as the recomputed value. Only for the study's region
    (:data:`PUBLISHED_REGION`, Provincie Antwerpen); other regions get empty columns.
    """
    pub = published_key_figures()
    pub = pub[pub["sector"].isin(set(sheet["sector"]))]
    out = sheet.copy()
    out["published"] = ""
    out["difference"] = ""
    if pub.empty or kf.attrs.get("region") != PUBLISHED_REGION:
        return out
    extra = []
    units = kf.attrs.get("unit", {})
    for p in pub.itertuples():
        same = (
            (out["sector"] == p.sector) & (out["variable"] == p.variable) & (out["item"] == p.item)
        )
        if p.item == "trend":
            same &= (kf["start"].to_numpy() == p.start) & (kf["end"].to_numpy() == p.end)
        cell = f"{p.text} (Tabel {p.table}, r. {p.seed_line})"
        recomputed = kf.loc[same.to_numpy(), "value"]
        if p.item in ("level", "share", "ref_share", "lq") and recomputed.notna().any():
            ryear = kf.loc[same.to_numpy(), "end"]
            why = PUBLISHED_DIFFERENCE[lang].format(
                what=PUBLISHED_WHAT[lang].get(p.variable, p.variable),
                pyear=p.end,
                unit=UNIT_NAMES[lang].get(units.get(p.variable, ""), units.get(p.variable, "")),
                ryear=int(ryear.iloc[0]) if len(ryear) else "",
                source=source or kf.attrs.get("source", ""),
                nace=nace,
            )
        else:
            why = _KF_WORDS[lang]["not_in_data"]
        if same.any():
            idx = out.index[same.to_numpy()][0]
            out.loc[idx, "published"] = cell
            out.loc[idx, "difference"] = why
        else:
            extra.append(
                {
                    "sector": p.sector,
                    "variable": p.variable,
                    "item": p.item,
                    "label": _LABELS[lang][p.item].format(
                        var=VARIABLE_NAMES[lang].get(p.variable, p.variable),
                        varlow=VARIABLE_NAMES[lang].get(p.variable, p.variable).lower(),
                        region=region_name or kf.attrs.get("region", ""),
                        ref=reference_name or kf.attrs.get("reference", ""),
                        a=p.start,
                        b=p.end,
                    ),
                    "text": NA,
                    "note": "",
                    "published": cell,
                    "difference": _KF_WORDS[lang]["not_in_data"],
                }
            )
    if extra:
        out = pd.concat([out, pd.DataFrame(extra)], ignore_index=True)
    return out


_KF_WORDS = {
    "nl": {"not_in_data": "deze periode of variabele zit niet in de gegevens"},
    "en": {"not_in_data": "this period or variable is not in the data"},
}


def sector_composition(
    panel: Panel, *, region: str, sector: object, variable: str, year: int, lang: str = "nl"
) -> pd.DataFrame:
    """A policy sector in ``region`` by its data codes (NACE divisions, or NACE-BEL subclasses), largest
    first: ``sector, code, label, value, share`` (share of the sector's sum; the study's "basic chemicals
    one third, pharma one quarter").

    ``sector`` is a :class:`~speerpunt.classify.policy.PolicySector`; the panel must hold its member codes
    (build it with ``keep=True``). A missing member is shown missing and leaves every share missing.

    >>> import pandas as pd
    >>> from speerpunt.classify.policy import PolicySector
    >>> df = pd.DataFrame({"region": "R", "sector": ["20", "21", "TOTAL"], "year": 2014,
    ...                    "variable": "x", "value": [30.0, 10.0, 100.0]})
    >>> chem = PolicySector("chem", "Chemie", "Chemicals", ("20", "21"))
    >>> sector_composition(Panel(df), region="R", sector=chem, variable="x", year=2014)["share"].tolist()
    [0.75, 0.25]
    """
    from speerpunt.classify.nace import is_nace, nace_label
    from speerpunt.classify.sector_build import resolve_sector, subclass_class

    members, _, _ = resolve_sector(sector, [s for s in panel.sectors if s != TOTAL])
    wide = panel.wide(variable, year)
    if region not in wide.index:
        raise MeasureError(
            Text("rp_region_missing_year", region=region, year=year), column="region"
        )
    values = wide.loc[region].reindex(members)
    if subclass_class(members[0] if members else "") is not None:
        values = values.fillna(0.0)  # complete counts: an absent subclass has no enterprise
    total = values.sum(skipna=False)

    def label(code: str) -> str:
        cls = subclass_class(code) or code
        return nace_label(cls, lang) if is_nace(cls) else code

    out = pd.DataFrame(
        {
            "sector": sector.name,
            "code": values.index,
            "label": [label(c) for c in values.index],
            "value": values.to_numpy(),
            "share": (values / total).to_numpy(),
        }
    )
    return out.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)
