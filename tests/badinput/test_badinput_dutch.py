"""The reader's errors and warnings in Dutch: every message of the reading layer has a catalogue id with an
English and a Dutch text, and each file of the corpus gives its one-line error in Dutch naming the same
file, line and column as the English one (which stays exactly as it was).

Dutch is checked against word lists written here (not taken from the catalogue): the message must hold
Dutch words and none of the English words its English version is made of.
"""

from __future__ import annotations

import gzip
import pickle
import re
from pathlib import Path

import pytest
from tests.badinput.test_badinput import HERE, _cases, _one_cell_sheet, _options

from speerpunt.errors import DataError, Text
from speerpunt.i18n import messages
from speerpunt.i18n.reading import reading_text
from speerpunt.io import check_file, inspect_file, read_panel

SRC = Path(__file__).resolve().parents[2] / "src" / "speerpunt"
#: Modules of the reading layer, the panel and the classifications the reader's options refer to.
READING = [
    *(SRC / "io").glob("*.py"),
    SRC / "panel.py",
    SRC / "data" / "readers.py",
    *(SRC / "classify").glob("*.py"),
]
#: Packages past the reader whose errors are catalogue messages too: prefix of their ids and modules.
CONVERTED = {
    "cli": sorted((SRC / "cli").glob("*.py")),
    "ms": sorted((SRC / "measures").glob("*.py")),
    "sc": sorted((SRC / "screening").glob("*.py")),
    "rp": sorted((SRC / "report").glob("*.py")),
    "geo": sorted((SRC / "geo").glob("*.py")),
    # the registry: its store and record validation, analyses, maps and report sections
    "rg": [
        SRC / "registry" / f"{name}.py"
        for name in (
            "store",
            "records",
            "analyses",
            "curated",
            "doubt",
            "followup",
            "maps",
            "scorecard",
            "sector_policy",
            "sections",
        )
    ],
    # firm records
    "fr": [
        SRC / "firms" / f"{name}.py"
        for name in (
            "concentration",
            "demography",
            "effectiveness",
            "engine",
            "expressions",
            "reach",
            "records",
            "statbel",
            "synthetic",
            "territory",
            "transitions",
        )
    ],
}
#: Words of Dutch that are not English words.
DUTCH = {
    "het", "de", "een", "geen", "niet", "van", "met", "voor", "bestand", "kolom", "kop", "getal",
    "leeg", "waarde", "jaar", "regio", "sleutel", "dubbele", "verwacht", "bevat", "heeft", "blad",
    "leesbaar", "onbekend", "onbekende", "lege", "zijn", "tellen", "boven", "ligt", "binnen", "veld",
    "rij", "indeling", "sectoren", "vlag", "datum", "formule", "geef", "kies", "dubbelzinnig", "leest",
    "als", "gegevenstype", "gelezen", "worden", "verschillen", "notatie", "meer", "dan", "dit",
}  # fmt: skip
#: English words of the reader's messages that are not Dutch words (column names such as ``region`` or
#: ``value`` are data: they stay as they are in the file).
ENGLISH = {
    "the", "file", "column", "not", "number", "expected", "has", "holds", "must", "empty", "header",
    "unknown", "duplicate", "key", "first", "line", "readable", "without", "stored", "result",
    "ambiguous", "reads", "which", "pass", "sum", "above", "allowed", "inside", "both", "twice",
    "choose", "whole", "missing", "marker", "only", "annual", "can", "read", "time", "separated",
    "numbers", "text", "cannot", "could", "name", "one", "row", "fields", "field", "wide",
    "table", "needs", "required", "long", "and", "for", "that", "files", "comma", "sheet", "true",
    "false", "date", "formula", "decimal", "thousands", "separator", "point", "mixes", "lines",
}  # fmt: skip
#: Ids whose Dutch text is the English one (only placeholders and symbols, or "record", a Dutch word too).
SAME_IN_BOTH = {"io_size", "io_reading", "cl_in_nuts", "fr_n_record", "fr_n_records"}
# A place and a message joined, a field and its problem, and words Dutch shares with English.
SAME_IN_BOTH |= {"rg_problem_at", "rg_field_error", "rg_record"}
#: Parts of a message that are data or a library's own words, not the catalogue's: quoted text,
#: parentheses holding a library's message, option names and codes.
NOT_WORDS = re.compile(
    r"'[^']*'|\((?:File is|Error -3|TypeError)[^)]*\)|--?[\w-]+|\w+=|[\w.]*_\w+|\w+!\w+|\b[A-Z]+\b"
    r"|region,sector,year,variable,value|\(region, year|\{\w+\}"
)


def _ids_in_code() -> set[str]:
    found: set[str] = set()
    for path in READING:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'Text\(\s*"((?:io|cl|err|rv)_\w+)"', text))
        found |= {f"io_sheet_{how}" for how in re.findall(r'"(declares|holds)"\)', text)}
    return found


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]+", NOT_WORDS.sub(" ", text))}


def test_every_message_id_of_the_reading_layer_has_dutch_and_english_texts():
    used = _ids_in_code()
    nl, en = messages("nl"), messages("en")
    assert len(used) >= 150, sorted(used)
    assert not sorted(k for k in used if k not in nl or k not in en)
    fields = {
        k: (set(re.findall(r"\{(\w+)\}", nl[k])), set(re.findall(r"\{(\w+)\}", en[k])))
        for k in used
    }
    assert not [k for k, (a, b) in fields.items() if a != b]
    assert not sorted(k for k in used if nl[k] == en[k] and k not in SAME_IN_BOTH)
    # Catalogue ids of the reader: none of their Dutch texts uses an English word of the list.
    english = {k: sorted(_words(nl[k]) & ENGLISH) for k in used if k.startswith(("io_", "cl_"))}
    assert not {k: w for k, w in english.items() if w}


def test_no_reader_error_is_raised_with_a_bare_english_string():
    """Every error call in the reading layer and the converted packages passes a catalogue message
    (``Text``), a variable holding one, or an error's message passed on."""
    bare = []
    for path in [*READING, *(p for paths in CONVERTED.values() for p in paths)]:
        for m in re.finditer(
            r"(?:(?:Data|Measure|Classification|Config|Registry|Speerpunt)Error|_fail|ctx\.error)"
            r"\(\s*f?[\"']",
            path.read_text(),
        ):
            bare.append(f"{path.parent.name}/{path.name}: {m.group(0)}")
    assert not bare


@pytest.mark.parametrize("prefix", sorted(CONVERTED))
def test_every_message_id_of_a_converted_package_has_dutch_and_english_texts(prefix):
    """Each id a converted package raises exists in both catalogues with the same fields, and its Dutch
    differs from its English (a message left untranslated would be the English text twice)."""
    used: set[str] = set()
    for path in CONVERTED[prefix]:
        used |= set(re.findall(r'Text\(\s*"(\w+)"', path.read_text(encoding="utf-8")))
    nl, en = messages("nl"), messages("en")
    assert used, prefix
    assert not sorted(k for k in used if k not in nl or k not in en)
    assert not [
        k
        for k in used
        if set(re.findall(r"\{(\w+)\}", nl[k])) != set(re.findall(r"\{(\w+)\}", en[k]))
    ]
    assert not sorted(k for k in used if nl[k] == en[k] and k not in SAME_IN_BOTH)
    # Ids carry the prefix of a converted package (or the reader's), so each is checked here.
    known = ("io_", "cl_", "err_", *(f"{p}_" for p in CONVERTED))
    assert not sorted(k for k in used if not k.startswith(known))


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["file"] + c["options"])
def test_bad_file_gives_its_one_line_error_in_dutch(case):
    with pytest.raises(DataError) as info:
        check_file(HERE / case["file"], **_options(case["options"]))
    err = info.value
    english, dutch = err.one_line(), err.one_line("nl")
    assert english == str(err) == err.one_line("en") and case["message"] in english
    assert err.translated and dutch != english and "\n" not in dutch
    assert dutch.startswith(case["file"] + ", ") or dutch.startswith(case["file"] + ": ")
    if case["line"]:
        assert f"regel {case['line']}" in dutch and f"line {case['line']}" not in dutch
    if case["column"]:
        assert f"kolom '{case['column']}'" in dutch
    assert ", column '" not in dutch
    message = dutch.split(": ", 1)[1]
    words = _words(message) - {case["column"].lower()}  # the column or option named is data
    assert words & DUTCH, message
    assert not words & ENGLISH, (message, words & ENGLISH)


def test_numbers_in_a_dutch_message_follow_the_study():
    """Parts above the total: 593.5 against 500, allowed 0.55 (10 % of … by the file's rounding)."""
    with pytest.raises(DataError) as info:
        check_file(HERE / "parts_exceed_total.csv")
    dutch = info.value.one_line("nl")
    assert "tellen op tot 593,5, boven TOTAL 500 met 93,5 (toegestaan 0,55)" in dutch
    assert "sum to 593.5, above TOTAL 500 by 93.5 (allowed 0.55)" in info.value.one_line()


def test_ambiguous_number_names_both_readings_in_dutch():
    with pytest.raises(DataError) as info:
        check_file(HERE / "ambiguous_thousands.csv")
    dutch = info.value.one_line("nl")
    # 35.991 read with a thousands dot is 35991 (Dutch: 35.991); with a decimal point 35.991 (35,991).
    assert (
        "het leest als 35.991 (duizendtalscheiding '.') of als 35,991 (decimaalpunt '.')" in dutch
    )


def test_bombs_are_refused_in_dutch(tmp_path):
    bomb = tmp_path / "bom.csv.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as fh:
        fh.write(b"region,sector,year,variable,value\n" + b"0" * 3_000_000)
    with pytest.raises(DataError) as info:
        read_panel(bomb, max_unpacked_bytes=1_500_000)
    assert info.value.one_line() == (
        "bom.csv.gz: the file unpacks to more than 1.5 MB (limit max_unpacked_bytes); "
        "unpack it yourself if it is genuine"
    )
    assert info.value.one_line("nl") == (
        "bom.csv.gz: het bestand pakt uit tot meer dan 1,5 MB (limiet max_unpacked_bytes); "
        "pak het zelf uit als het echt is"
    )
    declared = tmp_path / "groot.xlsx"
    _one_cell_sheet(declared, "XFD1048576", "A1:XFD1048576")
    with pytest.raises(DataError) as info:
        read_panel(declared)
    # 1,048,576 rows × 16,384 columns = 17,179,869,184 cells (by hand), limit 5,000,000
    assert (
        "vermeldt 1.048.576 rijen × 16.384 kolommen = 17.179.869.184 cellen"
        in info.value.one_line("nl")
    )
    assert "meer dan de limiet van 5.000.000 (max_cells)" in info.value.one_line("nl")


def test_warnings_are_written_in_dutch_and_survive_a_copy():
    summary = inspect_file(HERE / "allow_parts.csv", allow_parts_exceed_total=True)
    (warning,) = [w for w in summary.warnings if "parts exceed" in w]
    assert warning == (
        "parts exceed TOTAL in 1 region-years "
        "(allowed by allow_parts_exceed_total / --allow-parts-exceed-total)"
    )
    again = pickle.loads(pickle.dumps(warning))
    assert isinstance(again, Text) and again == warning
    assert again.text("nl") == (
        "delen overschrijden TOTAL in 1 regio-jaren "
        "(toegestaan door allow_parts_exceed_total / --allow-parts-exceed-total)"
    )
    assert "waarschuwing: delen overschrijden TOTAL in 1 regio-jaren" in reading_text(summary, "nl")
    assert "warning: parts exceed TOTAL in 1 region-years" in reading_text(summary, "en")


def test_overlap_warning_writes_the_pairs_in_dutch(tmp_path):
    """C inside B-E next to the other A*10 sectors: the a10 partition is used, with a warning."""
    a10 = ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]
    rows = [f"R1,{s},2018,jobs,10" for s in a10] + ["R1,C,2018,jobs,4", "R1,TOTAL,2018,jobs,100"]
    path = tmp_path / "deel.csv"
    path.write_text("region,sector,year,variable,value\n" + "\n".join(rows) + "\n")
    summary = inspect_file(path)
    (warning,) = [w for w in summary.warnings if "contain each other" in w]
    assert warning.text("nl") == (
        "sectoren bevatten elkaar (C ligt binnen B-E): maatstaven gebruiken standaard de indeling a10"
    )


def test_suppressed_zero_is_described_in_dutch():
    """B is 0 while B-E (its parent) exceeds the sum of its parts: shown as a suppressed-looking zero."""
    summary = inspect_file(HERE / "suppressed_zero.csv")
    assert summary.suppressed_examples == ["BE21 B 2018 (inside B-E)"]
    text = reading_text(summary, "nl")
    assert "BE21 B 2018 (binnen B-E)" in text and "(inside B-E)" not in text
    assert "BE21 B 2018 (inside B-E)" in reading_text(summary, "en")


def test_read_summary_of_trailing_separators_and_a_tsv_in_dutch():
    trailing = inspect_file(HERE / "trailing_separators.csv")
    # 'value;;' ends the header: fields 6 and 7 have no name and no value (dropped from the end)
    assert trailing.skipped_lines == [
        "column 7 (no name, no values)",
        "column 6 (no name, no values)",
    ]
    dutch = reading_text(trailing, "nl")
    assert "overgeslagen: kolom 7 (geen naam, geen waarden)" in dutch
    assert "overgeslagen: kolom 6 (geen naam, geen waarden)" in dutch and "column" not in dutch
    tsv = reading_text(inspect_file(HERE / "eurostat_good.tsv"), "nl")
    assert "opbouw: Eurostat-TSV (kop op regel 1)" in tsv


def test_conventions_given_as_options_are_described_in_dutch():
    """``thousands=""`` (no thousands separator) is an empty field: still written in Dutch."""
    summary = inspect_file(HERE / "suppressed_zero.csv", decimal=".", thousands="")
    assert summary.numbers == "no decimals (as given: decimal '.', thousands '')"
    assert "(opgegeven: decimaal '.', duizendtallen '')" in reading_text(summary, "nl")


def test_a_scheme_the_reader_does_not_know_is_refused_in_dutch():
    with pytest.raises(DataError) as info:
        check_file(HERE / "suppressed_zero.csv", scheme="xyz")
    dutch = info.value.one_line("nl")
    assert dutch.startswith("kolom 'scheme': onbekende sectorindeling of -code 'xyz' (indelingen: ")
    assert dutch.endswith("; of 'regional'")
    assert info.value.one_line().startswith("column 'scheme': unknown sector scheme or code 'xyz'")


def test_a_policy_sector_file_error_is_written_in_dutch(tmp_path):
    from speerpunt.classify import load_policy_sectors
    from speerpunt.errors import ConfigError

    path = tmp_path / "beleid.yaml"
    path.write_text('label_nl: A\nlabel_en: B\nnace: ["20"]\nkleur: rood\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_policy_sectors(path)
    assert info.value.one_line() == (
        f"{path}, line 4, column 'kleur': unknown key 'kleur' (allowed: assumption, description, "
        "exclude, label_en, label_nl, nace, name, note, source)"
    )
    assert info.value.one_line("nl") == (
        f"{path}, regel 4, kolom 'kleur': onbekende sleutel 'kleur' (toegelaten: assumption, "
        "description, exclude, label_en, label_nl, nace, name, note, source)"
    )


def test_a_message_inside_a_message_follows_the_language():
    """The firm records' 'and 2 more' is its own message inside the coarse-code one."""
    more = Text("fr_and_more", n=2)
    coarse = Text(
        "fr_too_coarse", code="10000", code_level="province", more=more, level="arrondissement"
    )
    assert coarse == (
        "the records hold region code 10000 (province and 2 more), "
        "which cannot be split into arrondissement areas"
    )
    assert coarse.text("nl") == (
        "de gegevens bevatten regiocode 10000 (province en 2 andere), "
        "die niet op te splitsen is in gebieden van niveau arrondissement"
    )
    assert pickle.loads(pickle.dumps(coarse)).text("nl") == coarse.text("nl")
