"""The main job behind ``make run``: the indicator table and the Dutch report for one region."""

from __future__ import annotations

from pathlib import Path

import typer

from speerpunt.cli.common import emit


def main_job(*, out: Path, region: str, reference: str, start: int, end: int) -> None:
    from speerpunt.io import read_panel
    from speerpunt.measures import indicators

    panel = read_panel("be-employment")
    table = indicators(
        panel, variable="employment", start=start, end=end, reference=reference, regions=[region]
    )
    out.mkdir(parents=True, exist_ok=True)
    shown = table[
        [
            "sector",
            "value_start",
            "value_end",
            "share_end",
            "growth",
            "lq_start",
            "lq_end",
            "lq_trend",
            "national_share",
            "industry_mix",
            "regional_shift",
        ]
    ]
    typer.echo(
        f"Indicators for {region} against {reference}, employment (thousand persons), {start}→{end}"
    )
    emit(shown.round(3), "table")
    csv_path = out / f"indicators-{region}-{start}-{end}.csv"
    emit(table, "csv", csv_path)
    emit(table, "xlsx", out / f"indicators-{region}-{start}-{end}.xlsx")
    typer.echo(f"\nwritten: {csv_path} (and .xlsx)")
    from speerpunt.report import write_report

    html = write_report(panel, region=region, reference=reference, lang="nl", out=out)
    typer.echo(f"report (Dutch): {html} and {html.with_suffix('.pdf')}")
    if panel.meta.attribution:
        typer.echo(panel.meta.attribution)
