"""Render the HTML report to PDF with WeasyPrint (the same HTML, print CSS with page numbers).

WeasyPrint lays out and draws on one core, so a report is rendered in parts, one process per core. The
template marks with :data:`PART_BREAK` every place where the print CSS starts a new page anyway (each
chapter and each sector sheet); :func:`split_parts` cuts the HTML there into parts of about equal work;
helper processes (:class:`Helpers`, started while the report is built) claim parts from both ends of the
list (:func:`_claim`) and render them without page numbers, since a part does not know on which page it
starts. The first helper to see every part done draws the page numbers (``3 / 57``, by the report's own
``@page`` rule) on a document of as many empty pages (:func:`render_numbers`), and :func:`merge_parts`
joins the parts with pikepdf, lays the numbers over the pages and joins the bookmarks (by heading level)
and named destinations. The result is the single-process rendering of the same HTML, page for page and
pixel for pixel (``tests/report/test_pdf_parts.py``). Whatever a helper leaves undone (it died) is
rendered by the calling process; on one core the whole document is rendered there in one piece.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from speerpunt._parallel import cores


def _no_search(_name: str) -> None:
    return None


def import_weasyprint() -> ModuleType:
    """``import weasyprint``, loading its C libraries (GObject, Pango, HarfBuzz, fontconfig) by their
    file names directly.

    WeasyPrint tries several names per library (``gobject-2.0-0``, ``gobject-2.0``, …,
    ``libgobject-2.0.so.0``); cffi hands every name it cannot load directly to
    ``ctypes.util.find_library``, which on Linux starts ``ldconfig`` and ``gcc`` — 54 processes and
    ≈ 0.3 s of CPU per import. With that search switched off for the import, the names fall through to
    the ``.so.0`` file name, which the dynamic loader opens at once: the same libraries (see
    ``tests/report/test_pdf_import.py``). Where only the search finds them (no loadable file name), the
    half-done import is forgotten and repeated with the search.
    """
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = _no_search
    try:
        import weasyprint
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
        ctypes.util.find_library = search
        import weasyprint
    finally:
        ctypes.util.find_library = search
    return weasyprint


#: A ``data-*`` attribute as the report template writes it: the value in double quotes, which the
#: autoescaped template never leaves unescaped inside a value or in text (``"`` becomes ``&#34;``), and
#: the chart ``data:`` URIs are base64 (no space, no quote). So the pattern meets real attributes only.
_DATA_ATTRIBUTE = re.compile(r' data-[a-z][a-z0-9-]*="[^"<>]*"')


def print_html(html: str) -> str:
    """``html`` without its ``data-*`` attributes, which WeasyPrint would parse and carry through the
    style cascade for every table cell although the PDF shows nothing of them (they hold the raw values
    for checks of the HTML, ``data-v``, and test hooks; the report's CSS selects none of them). On the
    W-EU report (4,600 cells) this is ≈ 0.2 s of WeasyPrint's 5 s.

    >>> print_html('<td class="num" data-col="lq" data-v="1.25">1,25</td>')
    '<td class="num">1,25</td>'
    >>> print_html('<td>see data-v=&#34;1&#34;</td>')  # text, as the autoescaped template writes it
    '<td>see data-v=&#34;1&#34;</td>'
    """
    return _DATA_ATTRIBUTE.sub("", html)


#: Where the print CSS starts a new page and the PDF may be cut into parts (written by the template only:
#: the template is autoescaped, so no data can spell it).
PART_BREAK = "<!--pdf-part-->"
#: The least work (:func:`_weight`) worth a part of its own: ≈ 0.3 s of WeasyPrint.
PART_WEIGHT = 100_000
#: Most processes rendering parts of one PDF.
MAX_PROCESSES = 4
#: The parts draw no page number: they are laid over the merged pages from one numbered document.
_NO_NUMBERS = "@page { @bottom-right { content: none !important; } }"
_ONLY_NUMBERS = (
    "@page { @bottom-left { content: none !important; } } body > div + div { break-before: page; }"
)


def _render(html: str, base_url: str, css: str = ""):
    """WeasyPrint's layout of ``html`` (with the extra stylesheet ``css``), resolving ``data:`` URIs only
    and failing on any other fetch, so rendering never touches the network and never silently drops a
    chart."""
    import_weasyprint()
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    # WeasyPrint logs every unsupported CSS property; the report's CSS is print-checked, so keep it quiet.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fetcher = URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
    doc = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return doc.render(stylesheets=[CSS(string=css)] if css else [])


def default_processes() -> int:
    """How many processes render a PDF's parts: one per core, at most :data:`MAX_PROCESSES` (1 on a
    single core: the whole document in the calling process). POSIX only: helpers watch each other
    with ``os.kill(pid, 0)``, which on Windows would end the process instead."""
    if os.name != "posix":
        return 1
    return min(cores(), MAX_PROCESSES)


def render_pdf(
    html: str, out: Path, *, processes: int | None = None, helpers: Helpers | None = None
) -> Path:
    """Write ``html`` as a PDF to ``out`` (replaced only once complete); no URL is fetched.

    ``processes``: how many helper processes render parts (default :func:`default_processes`; ``1``
    renders the whole document in this process). ``helpers``: processes started earlier with
    :meth:`Helpers.start`, so that they import WeasyPrint while the report is built.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    html = print_html(html)
    if helpers is not None and not helpers.count:  # none started, or used by an earlier PDF
        helpers = None
    if processes is None:
        processes = helpers.count if helpers is not None else default_processes()
    own = Helpers.start(processes) if helpers is None and processes > 1 else None
    helpers = helpers or own
    try:
        # parts only when helpers run (none are left when this process renders other PDFs already)
        parts = split_parts(html, 5 * helpers.count) if helpers and helpers.count > 1 else [html]
        if len(parts) == 1:
            _write_atomic(out, lambda tmp: _render(html, str(out.parent)).write_pdf(str(tmp)))
        else:
            _render_parts(html, parts, helpers, out)
    finally:
        if own is not None:
            own.close()
    return out


def _render_parts(html: str, parts: list[str], helpers: Helpers, out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="speerpunt-pdf-") as folder:
        work = Path(folder)
        (work / "head.html").write_text(html[: html.index("<body>")], encoding="utf-8")
        for i, part in enumerate(parts):
            (work / f"part-{i}.html").write_text(part, encoding="utf-8")
        helpers.go(work, len(parts))
        helpers.wait()
        # What a helper that died left undone is rendered here.
        for i in range(len(parts)):
            if not (work / f"part-{i}.pdf").exists():
                render_part(work, i)
        if not (work / "numbers.pdf").exists():
            render_numbers(work, len(parts))
        _write_atomic(out, lambda tmp: merge_parts(work, len(parts), tmp))


def _write_atomic(out: Path, write) -> None:
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def split_parts(html: str, most: int, least: int = PART_WEIGHT) -> list[str]:
    """``html`` cut at its :data:`PART_BREAK` marks into at most ``most`` documents of about equal work
    (:func:`_weight`), each of at least ``least`` weight where the document allows (a part costs a
    new document: ≈ 0.05 s).

    Each part but the first gets the document's head and an opening ``<body><main>``; an element left
    open at the end of a part, or closed at the start of the next, is closed or dropped by the HTML
    parser (the marks sit between sibling sections, whose print layout does not depend on their
    parents).

    >>> doc = "<html><head></head><body><h1>t</h1><main>a<!--pdf-part-->b<!--pdf-part-->c</main></body></html>"
    >>> [p[p.index("<body>"):] for p in split_parts(doc, 2, least=0)]
    ['<body><h1>t</h1><main>a</main></body></html>', '<body><main>bc</main></body></html>']
    >>> len(split_parts(doc, 1)), len(split_parts(doc, 2)), len(split_parts("<html><body>x</body></html>", 4))
    (1, 1, 1)
    """
    body = html.find("<body>")
    segments = html[body:].split(PART_BREAK) if body >= 0 else []
    if most < 2 or len(segments) < 2:
        return [html]
    weights = [_weight(s) for s in segments]
    most = min(most, sum(weights) // least) if least else most
    if most < 2:
        return [html]
    head, suffix = html[:body], "</main></body></html>"
    parts = []
    for first, last in _groups(weights, most):
        text = "".join(segments[first:last])
        opening = head if first == 0 else head + "<body><main>"
        parts.append(opening + text + ("" if last == len(segments) else suffix))
    return parts


def _weight(segment: str) -> int:
    """About how long WeasyPrint takes on ``segment``, in characters: a table cell costs as much as
    ≈ 350 characters of chart or text (on the W-EU report, 0.8 ms a cell and 2–3 µs a character of an
    embedded chart).

    >>> _weight("<td>1</td><td>2</td>")
    720
    """
    return len(segment) + 350 * segment.count("<td")


def _groups(sizes: Sequence[int], most: int) -> list[tuple[int, int]]:
    """Consecutive index ranges ``(first, last_exclusive)`` of ``sizes``, at most ``most``, of about
    equal sum.

    >>> _groups([1, 1, 1, 1], 2), _groups([5, 1, 1, 1], 2), _groups([1, 1], 5), _groups([1, 9, 1], 3)
    ([(0, 2), (2, 4)], [(0, 1), (1, 4)], [(0, 1), (1, 2)], [(0, 1), (1, 2), (2, 3)])
    """
    n = min(most, len(sizes))
    total, out, start, acc = sum(sizes), [], 0, 0
    for i, size in enumerate(sizes):
        acc += size
        done = len(out) + 1  # groups so far, this one included
        # close a group once the groups so far hold their share, or when each item left must be a group
        if done < n and (acc >= total * done / n or len(sizes) - (i + 1) == n - done):
            out.append((start, i + 1))
            start = i + 1
    out.append((start, len(sizes)))
    return out


def _claim(work: Path, name: str) -> bool:
    """Claim ``name`` (a part number, ``numbers``) for this process: the first process to create its
    claim file renders it. The file holds the claimant's process id (see :func:`_wait_for_parts`)."""
    try:
        fd = os.open(work / f"claim-{name}", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as f:
        f.write(str(os.getpid()))
    return True


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, ended but not yet reaped by its parent, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - another user's process of that id
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no /proc (not Linux): the caller of render_pdf reaps its helpers at once
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait_for_parts(work: Path, n: int) -> bool:
    """Wait until every part is rendered; ``False`` as soon as a part's claimant has died (the caller of
    :func:`render_pdf` renders what is missing)."""
    while True:
        missing = [i for i in range(n) if not (work / f"part-{i}.pdf").exists()]
        if not missing:
            return True
        for i in missing:
            owner = (work / f"claim-{i}").read_text().strip()
            # a claim file is created empty and then given its owner: empty means just claimed
            if owner and not _alive(int(owner)):
                return False
        time.sleep(0.005)


def render_part(work: Path, i: int) -> None:
    """Render ``part-i.html`` in ``work`` to ``part-i.pdf`` without page numbers, and its bookmark
    levels to ``part-i.json`` (the PDF's outline has no levels, and a part's first heading is not its
    document's first)."""
    html = (work / f"part-{i}.html").read_text(encoding="utf-8")
    doc = _render(html, str(work), _NO_NUMBERS)
    marks = [[level, label] for page in doc.pages for level, label, *_ in page.bookmarks]
    (work / f"part-{i}.json").write_text(
        json.dumps({"pages": len(doc.pages), "bookmarks": marks}), encoding="utf-8"
    )
    # last: a part is complete once its PDF is there
    _write_atomic(work / f"part-{i}.pdf", lambda tmp: doc.write_pdf(str(tmp)))


def render_numbers(work: Path, n: int) -> None:
    """``numbers.pdf`` in ``work``: as many empty pages as the ``n`` parts have, carrying only the page
    numbers, drawn by the report's own head (``head.html``: its ``@page`` rule, font and position)."""
    pages = sum(
        json.loads((work / f"part-{i}.json").read_text(encoding="utf-8"))["pages"] for i in range(n)
    )
    head = (work / "head.html").read_text(encoding="utf-8")
    doc = head + "<body>" + "<div></div>" * pages + "</body></html>"
    rendered = _render(doc, str(work), _ONLY_NUMBERS)
    if len(rendered.pages) != pages:  # pragma: no cover - a template change that breaks the rule
        raise RuntimeError(f"page numbers: {len(rendered.pages)} pages for {pages}")
    _write_atomic(work / "numbers.pdf", lambda tmp: rendered.write_pdf(str(tmp)))


def merge_parts(work: Path, n: int, out: Path) -> None:
    """Join ``part-0.pdf`` … ``part-{n-1}.pdf`` of ``work`` into ``out``: the pages in order, the page
    numbers of ``numbers.pdf`` laid over them, one bookmark tree (by heading level) and the named
    destinations of all."""
    import pikepdf

    parts = [pikepdf.open(work / f"part-{i}.pdf") for i in range(n)]
    try:
        merged = pikepdf.new()
        marks, dests = [], {}
        for i, part in enumerate(parts):
            offset = len(merged.pages)
            merged.pages.extend(part.pages)
            where = {page.objgen: offset + k for k, page in enumerate(part.pages)}
            levels = json.loads((work / f"part-{i}.json").read_text(encoding="utf-8"))["bookmarks"]
            marks += _part_marks(part, levels, where)
            for name, dest in _named(part):
                dests.setdefault(name, (where[dest[0].objgen], list(dest)[1:]))
        numbers = pikepdf.open(work / "numbers.pdf")
        for page, number in zip(merged.pages, numbers.pages, strict=True):
            page.add_overlay(number, pikepdf.Rectangle(page.mediabox))
        _outline(merged, marks)
        _dest_tree(merged, dests)
        first = parts[0]
        if "/Lang" in first.Root:
            merged.Root.Lang = first.Root.Lang
        for key, value in first.docinfo.items():
            merged.docinfo[key] = value
        merged.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    finally:
        for part in parts:
            part.close()


def _part_marks(part, levels: list, where: dict) -> list[tuple[int, str, int, list]]:
    """The part's bookmarks in document order: ``(level, title, merged page, rest of destination)``."""
    items = []

    def walk(item) -> None:
        while item is not None:
            items.append(item)
            walk(item.get("/First"))
            item = item.get("/Next")

    if "/Outlines" in part.Root:
        walk(part.Root.Outlines.get("/First"))
    titles = [str(item.Title) for item in items]
    labels = [label for _, label in levels]
    if titles != labels:  # pragma: no cover - WeasyPrint changed its outline
        raise RuntimeError("the part's outline does not match its bookmarks")
    return [
        (level, title, where[item.Dest[0].objgen], list(item.Dest)[1:])
        for (level, _), title, item in zip(levels, titles, items, strict=True)
    ]


def _named(part) -> list[tuple[str, object]]:
    import pikepdf

    names = part.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return []
    return [(str(k), v) for k, v in pikepdf.NameTree(names.Dests).items()]


def _outline(merged, marks: list[tuple[int, str, int, list]]) -> None:
    """Nest the bookmarks by heading level, as WeasyPrint does within one document."""
    import pikepdf

    with merged.open_outline() as outline:
        stack: list[tuple[int, list]] = [(0, outline.root)]
        for level, title, page, rest in marks:
            dest = pikepdf.Array([merged.pages[page].obj, *rest])
            item = pikepdf.OutlineItem(title, dest)
            while stack[-1][0] >= level:
                stack.pop()
            stack[-1][1].append(item)
            stack.append((level, item.children))


def _dest_tree(merged, dests: dict[str, tuple[int, list]]) -> None:
    import pikepdf

    if not dests:
        return
    tree = pikepdf.NameTree.new(merged)
    for name, (page, rest) in sorted(dests.items()):
        tree[name] = pikepdf.Array([merged.pages[page].obj, *rest])
    merged.Root.Names = pikepdf.Dictionary(Dests=tree.obj)


_slots = threading.Lock()
_running = 0  # helper processes of this process, alive or not yet reaped


def _reserve(count: int) -> int:
    """Up to ``count`` helper slots, within one helper per core (:func:`default_processes`)."""
    global _running
    with _slots:
        take = max(0, min(count, default_processes() - _running))
        _running += take
        return take


def _release(count: int) -> None:
    global _running
    with _slots:
        _running -= count


class Helpers:
    """Processes that render the parts of a PDF while the calling one waits to join them.

    Started early (:meth:`start`), each imports WeasyPrint and waits for one job on its standard input:
    a folder of parts (:func:`render_pdf`). Half of them claim parts from the start of the list, half
    from its end, until none is left; the first to see every part done draws the page numbers.
    Closing without a job ends them.
    """

    def __init__(self, procs: list[subprocess.Popen]) -> None:
        self.procs = procs
        self._errors: dict[int, object] = {}  # pid → the helper's standard error (a temporary file)

    def _reaped(self) -> None:
        for err in self._errors.values():
            err.close()
        self._errors = {}
        _release(len(self.procs))
        self.procs = []

    @property
    def count(self) -> int:
        return len(self.procs)

    @classmethod
    def start(cls, count: int | None = None) -> Helpers:
        """``count`` helpers (default :func:`default_processes`, none on a single core), fewer when
        other PDFs of this process are being rendered: at most one helper per core at a time in one
        process (a web server rendering many reports at once renders the others in one piece)."""
        if count is None:
            count = default_processes()
            count = count if count > 1 else 0
        helpers = cls([])
        cmd = [sys.executable, "-m", "speerpunt.report.pdf"]
        for _ in range(_reserve(count)):
            # standard error to a file, not a pipe: nothing can fill a pipe no one reads while waiting
            err = tempfile.TemporaryFile()  # noqa: SIM115 - closed when the helper is reaped
            try:
                proc = subprocess.Popen(
                    cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err
                )
            except OSError:  # pragma: no cover - no process could be started: render here
                err.close()
                _release(1)
                continue
            helpers.procs.append(proc)
            helpers._errors[proc.pid] = err
        return helpers

    def go(self, work: Path, parts: int) -> None:
        for k, proc in enumerate(self.procs):
            # half of them claim from the start of the list, half from its end
            job = {"work": str(work), "parts": parts, "down": k % 2 == 1}
            try:
                proc.stdin.write(json.dumps(job).encode() + b"\n")
                proc.stdin.close()
            except OSError:  # it died already; its parts are rendered by the caller
                pass

    def wait(self) -> None:
        """Wait for every helper, reaping each as soon as it ends: a helper waiting for the parts of
        one that died sees it gone (not a zombie) and gives up."""
        while any(proc.poll() is None for proc in self.procs):
            time.sleep(0.005)
        for proc in self.procs:
            if proc.returncode:
                err = self._errors[proc.pid]
                err.seek(0)
                text = err.read().decode(errors="replace").strip().splitlines()
                logging.getLogger(__name__).warning(
                    "a PDF helper process stopped (%s): %s",
                    proc.returncode,
                    text[-1] if text else "no message",
                )
        self._reaped()

    def close(self) -> None:
        """End helpers that got no job (or are still running after an error in the caller)."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            if proc.stdin and not proc.stdin.closed:
                proc.stdin.close()
        self._reaped()

    def __enter__(self) -> Helpers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serve() -> None:
    """A helper process: import WeasyPrint, wait for a job, render parts."""
    # At the caller's priority: `nice 5` saved 0.1–0.5 s on a quiet machine (the import competes less
    # with the report being built) but made a PDF on a busy one slower than one process alone.
    import_weasyprint()
    # A first document loads the fonts (≈ 0.05 s), before the parts are waited for.
    _render("<p>speerpunt <b>1</b></p>", tempfile.gettempdir()).write_pdf()
    line = sys.stdin.readline()
    if not line:
        return  # closed without a job
    job = json.loads(line)
    work = Path(job["work"])
    n = int(job["parts"])
    for i in reversed(range(n)) if job["down"] else range(n):
        if _claim(work, str(i)):
            render_part(work, i)
    # The page numbers need every part's page count: the first helper to see all parts done draws them.
    if _wait_for_parts(work, n) and _claim(work, "numbers"):
        render_numbers(work, n)


if __name__ == "__main__":
    _serve()
