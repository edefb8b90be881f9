"""``write_report``: build the report data once and render it to HTML, PDF and/or XLSX."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path

from speerpunt.errors import SpeerpuntError, Text
from speerpunt.io.safe import output_path, safe_filename
from speerpunt.panel import Panel
from speerpunt.report.build import STEPS, build_report_data
from speerpunt.report.html import render_html
from speerpunt.report.i18n import t
from speerpunt.report.model import ReportData
from speerpunt.report.pdf import Helpers, render_pdf
from speerpunt.screening import ScreeningConfig, load_config

FORMATS = (".html", ".pdf", ".xlsx")


@contextmanager
def _progress(enabled: bool, total: int):
    """A rich progress bar on stderr (a no-op when disabled)."""
    if not enabled:
        yield lambda _label: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description:<14}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bar:
        task = bar.add_task("report", total=total)

        def step(label: str) -> None:
            bar.update(task, description=label, advance=1)

        yield step


def render(
    report: ReportData, out: Path, html: str | None = None, pdf_helpers: Helpers | None = None
) -> Path:
    """Render ``report`` to ``out`` by its suffix (.html, .pdf or .xlsx).

    ``html``: the report's HTML when already rendered (the HTML file and the PDF share it, so the
    charts are drawn once). ``pdf_helpers``: processes started earlier to render parts of the PDF
    (:class:`speerpunt.report.pdf.Helpers`).
    """
    suffix = out.suffix.lower()
    if suffix == ".html":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html or render_html(report), encoding="utf-8")
        return out
    if suffix == ".pdf":
        return render_pdf(html or render_html(report), out, helpers=pdf_helpers)
    if suffix == ".xlsx":
        # openpyxl loads only for a workbook (most reports are HTML and PDF)
        from speerpunt.report.xlsx import render_xlsx

        return render_xlsx(report, out)
    raise SpeerpuntError(Text("rp_unknown_format", suffix=out.suffix), column="--out")


def report_name(region: str, lang: str, suffix: str) -> str:
    """The report's file name from its region and language, safe whatever the region code holds.

    >>> report_name("BE22", "nl", ".pdf")
    'speerpunt_BE22_nl.pdf'
    """
    return safe_filename("speerpunt", region, lang, suffix=suffix)


def report_paths(out: Path, region: str, lang: str) -> list[Path]:
    """``out`` itself when it names a file; for a folder, ``speerpunt_<region>_<lang>.html`` and ``.pdf``
    in it, so reports of different regions or languages never overwrite each other."""
    if out.suffix:
        if out.suffix.lower() not in FORMATS:
            raise SpeerpuntError(Text("rp_unknown_format", suffix=out.suffix), column="--out")
        return [out]
    return [output_path(out, report_name(region, lang, suffix)) for suffix in (".html", ".pdf")]


def write_report(
    panel: Panel,
    *,
    region: str,
    reference: str = "country",
    lang: str = "nl",
    out: Path,
    config: ScreeningConfig | str | Path | None = None,
    variables: Sequence[str] = ("employment",),
    progress: bool = True,
    extra_outputs: Sequence[Path] = (),
    providers: Sequence[Callable] | None = None,
) -> Path:
    """Write the complete regional report and return the path of the first file written.

    ``out`` ending in ``.html``, ``.pdf`` or ``.xlsx`` gives that format; a folder gives the HTML and the
    PDF in it, named by :func:`report_name`. ``extra_outputs`` renders the same report data to more files (e.g. the XLSX beside the HTML).
    ``config`` is a :class:`ScreeningConfig`, a YAML path, or ``None`` for the study's default.
    ``providers`` are the optional sections (default: the registered ones, see
    :mod:`speerpunt.report.sections`).
    """
    out = Path(out)
    targets = [*report_paths(out, region, lang), *map(Path, extra_outputs)]
    if not isinstance(config, ScreeningConfig):
        config = load_config(config)
    # The PDF's helper processes import WeasyPrint while the report is built here.
    helpers = Helpers.start(None if any(p.suffix.lower() == ".pdf" for p in targets) else 0)
    with helpers, _progress(progress, len(STEPS) + len(targets)) as step:
        data = build_report_data(
            panel,
            region=region,
            reference=reference,
            lang=lang,
            config=config,
            variables=variables,
            step=step,
            providers=providers,
        )
        try:
            html = None
            for target in targets:
                step(t("step_write", lang, fmt=target.suffix[1:]))
                if target.suffix.lower() in (".html", ".pdf") and html is None:
                    html = render_html(data)
                render(data, target, html, helpers)
        finally:
            data.close()
    return targets[0]
