"""First-pass extraction of the map legends in the annex of document ``001`` (lines ~3546–5816).

The curated ``data/features.csv`` was produced by :func:`parse_annex` and then reviewed by hand;
this module stays so the extraction can be repeated and audited against the source text:

    python -m speerpunt.registry.annex ../shared/seeds/001_b9a7bd31d35a8ce6.txt > features.csv

The annex has one legend per province × sector map, each with three sections (points, zones,
connections). An entry is anchored on its source ("provincie Antwerpen (2007)", "RESOC Kempen
(2009)", "SALK (2013)"); the name is the text before the anchor (or the chunk just above it), the
remark the text after it. The sector of each legend is not printed in the annex: it follows from
the order of the figures in part 3 of the study and from the actors listed above the legend
(``LEGENDS`` below gives the start line of each legend with its province and sector).
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass, field

# start line of each legend ("Speerpuntsector in:") → (province actor id, canonical sector, figure)
LEGENDS: dict[int, tuple[str, str, str]] = {
    3550: ("prov-antwerpen", "logistics", "13"),
    3657: ("prov-antwerpen", "chemistry_life_sciences", "14"),
    3785: ("prov-antwerpen", "cleantech", "15"),
    3874: ("prov-antwerpen", "care", "16"),
    3931: ("prov-antwerpen", "construction", "17"),
    3979: ("prov-antwerpen", "creative", "18"),
    4030: ("prov-antwerpen", "metal", "19"),
    4056: ("prov-antwerpen", "retail", "20"),
    4077: ("prov-antwerpen", "diamond", "21"),
    4095: ("prov-antwerpen", "agrifood", "22"),
    4139: ("prov-antwerpen", "business_services", "23"),
    4164: ("prov-west-vlaanderen", "logistics", "24"),
    4273: ("prov-west-vlaanderen", "cleantech", "25"),
    4346: ("prov-west-vlaanderen", "care", "27"),
    4387: ("prov-west-vlaanderen", "materials", "26"),
    4505: ("prov-west-vlaanderen", "tourism", "28"),
    4536: ("prov-west-vlaanderen", "agrifood", "29"),
    4587: ("prov-oost-vlaanderen", "logistics", "30"),
    4697: ("prov-oost-vlaanderen", "biobased", "31"),
    4762: ("prov-oost-vlaanderen", "ict", "35"),
    4797: ("prov-oost-vlaanderen", "textiles", "39"),
    4833: ("prov-oost-vlaanderen", "chemistry_life_sciences", "32"),
    4853: ("prov-oost-vlaanderen", "care", "33"),
    4924: ("prov-oost-vlaanderen", "tourism", "38"),
    4953: ("prov-oost-vlaanderen", "retail", "36"),
    4970: ("prov-oost-vlaanderen", "cleantech", "34"),
    4984: ("prov-oost-vlaanderen", "agrifood", "37"),
    5001: ("prov-vlaams-brabant", "logistics", "40"),
    5113: ("prov-vlaams-brabant", "cleantech", "41"),
    5199: ("prov-vlaams-brabant", "chemistry_life_sciences", "42"),
    5299: ("prov-vlaams-brabant", "creative", "43"),
    5359: ("prov-limburg", "manufacturing", "44"),
    5429: ("prov-limburg", "logistics", "46"),
    5471: ("prov-limburg", "chemistry_life_sciences", "47"),
    5570: ("prov-limburg", "construction", "48"),
    5627: ("prov-limburg", "cleantech", "45"),
    5719: ("prov-limburg", "agrifood", "51"),
    5756: ("prov-limburg", "tourism", "50"),
    5776: ("prov-limburg", "creative", "49"),
}
END_LINE = 5822

SECTIONS = {"punten": "point", "puntent": "point", "zones": "zone", "verbindingen": "connection"}
_YEAR = re.compile(r"\((\d{4})(?:,\s*\d{2,4})?\)")
# sources written without a year (legends of Oost-Vlaanderen and part of Vlaams-Brabant)
_NAMED = re.compile(
    r"(?:Provincie (?:Oost|West)-[Vv]laanderen|Provincie Vlaams-Brabant|RESOC Gent (?:&|en) Rondom Gent"
    r"|RESOC Waas & Dender|RESOC Zuid-Oost-Vlaanderen|RESOC Meetjesland(?:, Leie en Schelde)?"
    r"|RESOC Halle-Vilvoorde|RESOC Leuven|SALK)(?:\s*,\s*(?:RESOC|Provincie)[A-Za-z &-]+?(?=\s[A-Z]|$))?"
)
_SOURCE = re.compile(r"\b(?:[Pp]rovinc?ie|[Pp]rovinice|RESOC|Resoc|SALK|Stad)\b")
_SALK = re.compile(r"\s*/\s*SALK\s*\((\d{4})\)")
_NUMBER = re.compile(r"^\s*(?:x\s+)?(\d{1,2})\s*(.*)$")
_SPLIT = re.compile(r"\s{2,}")


@dataclass
class Entry:
    """One legend entry as read from the text."""

    line: int
    kind: str
    name_parts: list[str] = field(default_factory=list)
    source: str = ""
    year: str = ""
    remark_parts: list[str] = field(default_factory=list)

    def row(self, province: str, sector: str, figure: str) -> dict[str, str]:
        name = re.sub(r"^x\s+", "", _clean(" ".join(self.name_parts)))
        return {
            "province": province,
            "sector": sector,
            "figure": figure,
            "kind": self.kind,
            "name": name,
            "source": _clean(self.source).replace("provinice", "provincie"),
            "year": self.year,
            "remark": _clean(" ".join(self.remark_parts)),
            "line": str(self.line),
        }


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(\w)- (\w)", r"\1-\2", text)  # words split at a line-end hyphen
    return text.strip(" -")


def _chunks(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Runs of non-blank lines; the blank lines of the extraction separate table cells."""
    out: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for no, text in lines:
        if text.strip():
            current.append((no, text.strip()))
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _find_anchor(text: str) -> tuple[int, int, str, str] | None:
    """(start, end, source, year) of the last "<actor> (YYYY)" on the line."""
    years = list(_YEAR.finditer(text))
    if not years:
        named = [m for m in _NAMED.finditer(text) if m.start() > 0]
        if not named:
            return None
        m = named[-1]
        return m.start(), m.end(), m.group(0), ""
    y = years[0]
    heads = [m for m in _SOURCE.finditer(text[: y.start()])]
    if not heads:
        return None
    h = heads[-1]
    end = y.end()
    year = y.group(1)
    salk = _SALK.match(text, end)
    source = text[h.start() : y.start()].strip()
    if salk:
        source = f"{source} ({year}) / SALK"
        year, end = salk.group(1), salk.end()
    return h.start(), end, source, year


def _section_entries(kind: str, lines: list[tuple[int, str]]) -> list[Entry]:
    entries: list[Entry] = []
    pending: list[list[tuple[int, str]]] = []  # chunks of text not yet assigned
    numbered: tuple[int, list[str]] | None = None  # a numbered point whose anchor is still to come

    def flush_remark() -> None:
        nonlocal numbered
        if numbered is not None:
            # a numbered point without a source: its first chunk is the name, the rest the remark
            chunks = [[t for _, t in c] for c in pending]
            name = numbered[1] or (chunks.pop(0) if chunks else [])
            entries.append(
                Entry(
                    line=numbered[0],
                    kind=kind,
                    name_parts=name,
                    remark_parts=[t for c in chunks for t in c],
                )
            )
            numbered = None
            pending.clear()
            return
        if entries:
            entries[-1].remark_parts += [t for chunk in pending for _, t in chunk]
        pending.clear()

    for chunk in _chunks(_join_years(lines)):
        rest_chunk: list[tuple[int, str]] = []
        after_anchor = False
        for no, text in chunk:
            num = _NUMBER.match(text)
            anchor = _find_anchor(text)
            if num and anchor is None and kind == "point":
                if rest_chunk:
                    pending.append(rest_chunk)
                    rest_chunk = []
                flush_remark()
                numbered = (no, [num.group(2)] if num.group(2) else [])
                continue
            if anchor is None:
                if after_anchor:
                    # text glued right under an anchor line continues its remark
                    entries[-1].remark_parts.append(text)
                else:
                    rest_chunk.append((no, text))
                continue
            a_start, a_end, source, year = anchor
            before = re.sub(r"^(?:x\s+|\d{1,2}\s+)", "", text[:a_start].strip())
            if rest_chunk:
                pending.append(rest_chunk)
                rest_chunk = []
            if numbered is not None:
                line, name = numbered[0], numbered[1] + [t for c in pending for _, t in c]
                pending.clear()
            elif before:
                # the name is on the anchor line, with the lines glued above it in the same chunk
                glued = (
                    pending.pop()
                    if pending and pending[-1][-1][0] == no - 1 and kind != "point"
                    else []
                )
                flush_remark()
                line, name = (glued[0][0] if glued else no), [t for _, t in glued]
            else:
                last = pending.pop() if pending else []
                flush_remark()
                line, name = (last[0][0] if last else no), [t for _, t in last]
            if before:
                name = [*name, before]
            numbered = None
            entry = Entry(line=line, kind=kind, name_parts=name, source=source, year=year)
            tail = text[a_end:].strip(" ,")
            entry.remark_parts = [tail] if tail else []
            entries.append(entry)
            after_anchor = True
        if rest_chunk:
            pending.append(rest_chunk)
    if entries or numbered is not None:
        flush_remark()
    elif pending:
        entries = _unanchored(kind, [pair for c in pending for pair in c])
    return entries


def _last(out: list[tuple[int, str]]) -> str:
    return next((t.rstrip() for _, t in reversed(out) if t.strip()), "")


def _join_years(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Glue a line that starts with "(YYYY)" to the non-blank line above it."""
    out: list[tuple[int, str]] = []
    for no, text in lines:
        stripped = text.strip()
        # "(2007)" alone at the start of a line, or "12)" finishing a "(2007," of the line above
        if out and (
            re.match(r"^\(\d{4}\)", stripped)
            or (re.match(r"^\d{2,4}\)", stripped) and re.search(r"\(\d{4},\s*$", _last(out)))
        ):
            for i in range(len(out) - 1, -1, -1):
                if out[i][1].strip():
                    out[i] = (out[i][0], out[i][1].rstrip() + " " + text.strip())
                    out[i + 1 :] = [(n, "") for n, _ in out[i + 1 :]]
                    break
            out.append((no, ""))
        else:
            out.append((no, text))
    return out


def _unanchored(kind: str, lines: list[tuple[int, str]]) -> list[Entry]:
    """Entries without a source: actor zones ("RESOC Brugge" + remark) or "name␣␣remark" lines."""
    out: list[Entry] = []
    for line, text in lines:
        if re.fullmatch(r"\d{1,3}", text):  # a page number
            continue
        parts = _SPLIT.split(text, maxsplit=1)
        starts_entry = text.startswith(("RESOC", "Provincie")) or len(parts) > 1 or not out
        if out and out[-1].name_parts[-1].endswith("-") and not out[-1].remark_parts:
            out[-1].name_parts[-1] += text  # a name wrapped at a hyphen
        elif starts_entry:
            out.append(Entry(line=line, kind=kind, name_parts=[parts[0]], remark_parts=parts[1:]))
        else:
            out[-1].remark_parts.append(text)
    return out


def parse_annex(text: str) -> list[dict[str, str]]:
    """Rows (province, sector, figure, kind, name, source, year, remark, line) of every legend."""
    lines = text.splitlines()
    starts = sorted(LEGENDS)
    rows: list[dict[str, str]] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else END_LINE
        province, sector, figure = LEGENDS[start]
        kind = None
        section: list[tuple[int, str]] = []
        sections: list[tuple[str, list[tuple[int, str]]]] = []
        for no in range(start, end):
            raw = lines[no - 1]
            key = raw.strip().split(" ")[0].lower() if raw.strip() else ""
            head = raw.strip().lower()
            if head.startswith("actoren - punt"):
                key = "punten"
            if key in SECTIONS and (head.startswith("actoren") or len(head.split()) <= 2):
                if kind:
                    sections.append((kind, section))
                kind, section = SECTIONS[key], []
                continue
            if kind:
                section.append((no, raw))
        if kind:
            sections.append((kind, section))
        for kind_, sec in sections:
            rows += [e.row(province, sector, figure) for e in _section_entries(kind_, sec)]
    return rows


def main(argv: list[str]) -> None:
    with open(argv[1], encoding="utf-8") as fh:
        rows = parse_annex(fh.read())
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


if __name__ == "__main__":
    main(sys.argv)
