"""Technology- and knowledge-intensity classes (Eurostat htec; footnote 17 of the SERV report, seed 004)."""

from __future__ import annotations

import re

import pytest

from speerpunt.classify import (
    nace_codes,
    technology_intensity,
    technology_subclass,
    technology_table,
)


def _expand(spec: str) -> list[str]:
    out = []
    for part in re.split(r",| en ", spec):
        part = part.strip()
        if "-" in part:
            lo, hi = part.split("-")
            out += [f"{d:02d}" for d in range(int(lo), int(hi) + 1)]
        elif part:
            out.append(f"{int(part):02d}")
    return out


def test_footnote_17_of_the_serv_report(shared_dir) -> None:
    """Every division listed in footnote 17 (seed 004, lines ~1316-1320) gets that class."""
    text = (shared_dir / "seeds" / "004_11fef98e03670c20.txt").read_text(encoding="utf-8")
    names = {
        "High-tech": "high",
        "Medium-high-tech": "medium-high",
        "Medium-low-tech": "medium-low",
        "Low-tech": "low",
    }
    found = 0
    for label, cls in names.items():
        m = re.search(rf"- {label}: NACE-sectoren ([0-9 ,\-en]+)", text)
        assert m, label
        for division in _expand(m.group(1)):
            assert technology_intensity(division) == cls, division
            found += 1
    assert found == 23  # 2 + 5 + 5 + 11 divisions


def test_division_33_is_medium_low_as_in_eurostat() -> None:
    assert technology_intensity("33") == "medium-low"


def test_every_manufacturing_division_has_a_class() -> None:
    manufacturing = [d for d in nace_codes("division") if 10 <= int(d) <= 33]
    assert all(
        technology_intensity(d) in {"high", "medium-high", "medium-low", "low"}
        for d in manufacturing
    )


@pytest.mark.parametrize(
    ("code", "detail", "expected"),
    [
        ("30.30", "group", "high"),
        ("30.30", "division", "medium-high"),
        ("18.20", "group", "medium-low"),
        ("32.50", "group", "medium-high"),
        ("21.20", "group", "high"),
        ("C", "division", None),
        ("41", "division", None),
        ("62.01", "division", "kis"),
        ("47", "division", "lkis"),
    ],
)
def test_examples(code: str, detail: str, expected: str | None) -> None:
    assert technology_intensity(code, detail=detail) == expected


def test_services_cover_sections_g_to_u_once() -> None:
    t = technology_table()
    services = t[t["intensity"].isin(["kis", "lkis"])]
    expected = [d for d in nace_codes("division") if int(d) >= 45]
    assert sorted(services["division"]) == expected
    assert technology_subclass("72") == "high-tech knowledge-intensive services"
    assert technology_subclass("64") == "knowledge-intensive financial services"
