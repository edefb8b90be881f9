"""The PDF rendered in parts by helper processes is the PDF rendered as one document, page for page.

The reference is WeasyPrint on the whole HTML in this process (``processes=1``); the parts path cuts the
same HTML at the template's page breaks, renders the parts in other processes, draws the page numbers
separately and joins everything with pikepdf. Both are read back with independent tools: poppler's
``pdftotext`` and ``pdftoppm`` (pixels), pikepdf for the bookmarks and destinations.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops

from speerpunt.io import read_panel
from speerpunt.report import write_report
from speerpunt.report.pdf import (
    PART_BREAK,
    Helpers,
    _claim,
    _wait_for_parts,
    default_processes,
    print_html,
    render_pdf,
    split_parts,
)


@pytest.fixture(scope="module")
def html(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("html") / "r.html"
    write_report(
        read_panel("be-employment"),
        region="BE21",
        reference="BE",
        lang="nl",
        out=out,
        progress=False,
    )
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def whole(html, tmp_path_factory) -> Path:
    return render_pdf(html, tmp_path_factory.mktemp("whole") / "r.pdf", processes=1)


@pytest.fixture(scope="module")
def parts(html, tmp_path_factory) -> Path:
    return render_pdf(html, tmp_path_factory.mktemp("parts") / "r.pdf", processes=2)


def text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout


def pixels(pdf: Path, folder: Path) -> list[Image.Image]:
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "50", "-gray", str(pdf), str(folder / "p")], check=True)
    return [Image.open(p) for p in sorted(folder.glob("p-*.pgm"))]


def outline(pdf: Path) -> tuple[list, dict[str, int], tuple[str, str]]:
    """Every bookmark in order as ``(depth, title, page index, XYZ position)``, the named destinations
    (name → page index), and the title and language."""
    with pikepdf.open(pdf) as doc:
        page = {p.objgen: i for i, p in enumerate(doc.pages)}
        found = []

        def walk(items, depth):
            for item in items:
                dest = item.destination
                found.append(
                    (depth, item.title, page[dest[0].objgen], [float(v) for v in list(dest)[2:]])
                )
                walk(item.children, depth + 1)

        with doc.open_outline() as tree:
            walk(tree.root, 0)
        names = {
            str(k): page[v[0].objgen] for k, v in pikepdf.NameTree(doc.Root.Names.Dests).items()
        }
        meta = (str(doc.docinfo["/Title"]), str(doc.Root.Lang))
    return found, names, meta


def test_the_template_marks_page_breaks_in_the_body_only(html):
    body = html.index("<body>")
    assert PART_BREAK not in html[:body]
    # every chapter and every sheet after the first: enough marks for parts on any machine
    assert html.count(PART_BREAK) >= 10
    pieces = split_parts(print_html(html), 10)
    assert 2 <= len(pieces) <= 10
    assert all(p.startswith(html[: html.index("<style>")]) for p in pieces)


def test_parts_read_as_the_whole_document(whole, parts):
    got, expected = text(parts), text(whole)
    assert got == expected
    assert "1 / " in got and f"{expected.count(chr(12))} / {expected.count(chr(12))}" in got


def test_parts_look_like_the_whole_document(whole, parts, tmp_path):
    mine, theirs = pixels(parts, tmp_path / "parts"), pixels(whole, tmp_path / "whole")
    assert len(mine) == len(theirs) > 10
    for page, (a, b) in enumerate(zip(mine, theirs, strict=True), start=1):
        assert a.size == b.size, page
        assert ImageChops.difference(a, b).getbbox() is None, f"page {page} differs"


def test_parts_keep_the_bookmarks_destinations_and_metadata(whole, parts):
    got, expected = outline(parts), outline(whole)
    assert got == expected
    bookmarks, names, (title, lang) = got
    assert bookmarks[0][0] == 0 and all(depth > 0 for depth, *_ in bookmarks[1:])
    assert {"keyfigures", "methods"} <= set(names)
    assert title.startswith("Speerpuntsectoren") and lang == "nl"


def test_a_dead_helper_costs_time_not_pages(html, whole, tmp_path):
    helpers = Helpers.start(2)
    helpers.procs[1].kill()
    helpers.procs[1].wait()
    out = tmp_path / "r.pdf"
    with helpers:
        render_pdf(html, out, helpers=helpers)
    assert text(out) == text(whole)


def test_a_part_whose_claimant_died_is_not_waited_for(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    (tmp_path / "claim-0").write_text(dead.stdout.decode().strip())
    assert _wait_for_parts(tmp_path, 1) is False
    assert _claim(tmp_path, "1") and not _claim(tmp_path, "1")


def test_a_failed_render_leaves_the_old_file(html, tmp_path):
    out = tmp_path / "r.pdf"
    out.write_bytes(b"old")
    external = '<img src="http://127.0.0.1:9/chart.png" alt="x">'
    bad = html.replace(PART_BREAK, PART_BREAK + external, 1)
    # WeasyPrint stops on the fetch (FatalURLFetchingError derives from BaseException)
    with pytest.raises(BaseException, match="127.0.0.1"):
        render_pdf(bad, out, processes=2)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]


def test_one_helper_per_core_in_a_process():
    cores = default_processes()
    first = Helpers.start(cores + 2)
    second = Helpers.start(1)
    try:
        assert first.count == cores and second.count == 0
        pids = {p.pid for p in first.procs}
        assert len(pids) == cores and all(p.poll() is None for p in first.procs)
    finally:
        first.close()
        second.close()
    again = Helpers.start(1)
    with again:
        assert again.count == 1  # the slots came back when the first ones were reaped


def test_with_every_helper_slot_taken_the_pdf_is_rendered_here(html, whole, tmp_path):
    busy = Helpers.start(default_processes())
    with busy:
        assert not Helpers.start(1).count
        out = render_pdf(html, tmp_path / "r.pdf")
    assert text(out) == text(whole)


def test_a_claimant_that_ended_unreaped_is_not_waited_for(tmp_path):
    """A helper that died is a zombie until the caller reaps it; the others must not wait for it."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    stat = Path(f"/proc/{ended.pid}/stat")
    for _ in range(1000):  # until it has ended (not reaped: no wait() yet)
        if stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
            break
        time.sleep(0.01)
    try:
        (tmp_path / "claim-0").write_text(str(ended.pid))
        assert _wait_for_parts(tmp_path, 1) is False
    finally:
        ended.wait()
