"""NACE Rev. 2 hierarchy: counts, structure and hand-checked labels."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speerpunt.classify import (
    is_nace,
    nace_children,
    nace_classes_of,
    nace_codes,
    nace_label,
    nace_level,
    nace_parent,
    nace_section,
    normalise_nace,
)
from speerpunt.errors import ClassificationError

# Division ranges of each section, from the NACE Rev. 2 structure (Eurostat 2008, pp. 61-90).
SECTION_DIVISIONS = {
    "A": (1, 3),
    "B": (5, 9),
    "C": (10, 33),
    "D": (35, 35),
    "E": (36, 39),
    "F": (41, 43),
    "G": (45, 47),
    "H": (49, 53),
    "I": (55, 56),
    "J": (58, 63),
    "K": (64, 66),
    "L": (68, 68),
    "M": (69, 75),
    "N": (77, 82),
    "O": (84, 84),
    "P": (85, 85),
    "Q": (86, 88),
    "R": (90, 93),
    "S": (94, 96),
    "T": (97, 98),
    "U": (99, 99),
}
UNUSED_DIVISIONS = {4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89}


def test_counts_per_level() -> None:
    assert len(nace_codes("section")) == 21
    assert len(nace_codes("division")) == 88
    assert len(nace_codes("group")) == 272
    assert len(nace_codes("class")) == 615


def test_every_division_maps_to_exactly_one_section() -> None:
    expected = {
        f"{d:02d}": s
        for s, (lo, hi) in SECTION_DIVISIONS.items()
        for d in range(lo, hi + 1)
        if d not in UNUSED_DIVISIONS
    }
    assert len(expected) == 88
    got = {d: nace_section(d) for d in nace_codes("division")}
    assert got == expected
    assert all(nace_parent(d) == expected[d] for d in expected)


@pytest.mark.parametrize(
    ("code", "lang", "label"),
    [
        ("C", "nl", "Industrie"),
        ("C", "en", "Manufacturing"),
        ("20", "nl", "Vervaardiging van chemische producten"),
        ("20", "en", "Manufacture of chemicals and chemical products"),
        ("F", "nl", "Bouwnijverheid"),
        ("46", "en", "Wholesale trade, except of motor vehicles and motorcycles"),
        ("H", "nl", "Vervoer en opslag"),
        (
            "62",
            "nl",
            "Ontwerpen en programmeren van computerprogramma's, computerconsultancy-activiteiten en "
            "aanverwante activiteiten",
        ),
        ("20.14", "en", "Manufacture of other organic basic chemicals"),
        ("52.24", "en", "Cargo handling"),
        ("U", "en", "Activities of extraterritorial organisations and bodies"),
    ],
)
def test_hand_checked_labels(code: str, lang: str, label: str) -> None:
    assert nace_label(code, lang) == label


def test_dutch_labels_for_every_section_and_division() -> None:
    for code in nace_codes("section") + nace_codes("division"):
        assert nace_label(code, "nl") != nace_label(code, "en"), code


def test_group_without_dutch_label_falls_back_to_english() -> None:
    assert nace_label("20.1", "nl") == nace_label("20.1", "en")


def test_hierarchy_examples() -> None:
    assert nace_section("20.14") == "C"
    assert nace_section("20") == "C"
    assert nace_parent("20.14") == "20.1"
    assert nace_parent("20.1") == "20"
    assert nace_parent("C") is None
    assert nace_level("C") == "section"
    assert nace_level("20.14") == "class"
    assert nace_children("20.1") == [f"20.1{i}" for i in range(1, 8)]
    assert nace_children("T") == ["97", "98"]
    # Single-class groups repeat the group's label (e.g. 01.30 "Plant propagation").
    assert nace_label("01.30") == nace_label("01.3") == "Plant propagation"


def test_spellings() -> None:
    assert normalise_nace("2014") == "20.14"
    assert normalise_nace("C20") == "20"
    assert normalise_nace(" f ") == "F"
    assert is_nace("4690") and is_nace("46.90")
    assert not is_nace("34") and not is_nace("V") and not is_nace("B-E")


def test_unknown_code_names_it() -> None:
    with pytest.raises(ClassificationError, match="'34' is not a NACE"):
        nace_label("34")


def test_classes_partition_the_sections() -> None:
    seen: list[str] = []
    for s in nace_codes("section"):
        seen += nace_classes_of(s)
    assert sorted(seen) == sorted(nace_codes("class"))


@settings(deadline=None)
@given(st.sampled_from(nace_codes("class")))
def test_class_chain_is_consistent(code: str) -> None:
    group = nace_parent(code)
    division = nace_parent(group)
    assert code.startswith(group) and group.startswith(division)
    assert nace_section(code) == nace_section(group) == nace_parent(division)
    assert code in nace_children(group) and group in nace_children(division)
