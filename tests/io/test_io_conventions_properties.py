"""Hypothesis: a panel written with any supported convention reads back to the same numbers, and a randomly
corrupted file gives a one-line error, never a traceback or a silently different number.

The writer here is independent of the reader: it groups digits and places separators itself.
"""

from __future__ import annotations

import io
import math

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speerpunt.errors import SpeerpuntError
from speerpunt.io import read_panel

SECTORS = ["S1", "S2", "S3", "Zorg"]
HEADERS = {
    "en": ["region", "sector", "year", "variable", "value"],
    "nl": ["gewest", "sector", "jaar", "variabele", "waarde"],
    "fr": ["région", "secteur", "année", "indicateur", "valeur"],
    "de": ["Bundesland", "Wirtschaftszweig", "Jahr", "Merkmal", "Wert"],
}
SPACES = {"space": " ", "nbsp": "\u00a0", "narrow": "\u202f"}


@st.composite
def panels(draw):
    regions = draw(
        st.lists(
            st.sampled_from(["BE21", "BE22", "Liège", "Zürich"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    sectors = draw(st.lists(st.sampled_from(SECTORS), min_size=1, max_size=4, unique=True))
    years = draw(st.lists(st.integers(1995, 2024), min_size=1, max_size=2, unique=True))
    keys = [(r, s, y) for r in regions for s in sectors for y in years]
    cents = draw(st.lists(st.integers(0, 10**9), min_size=len(keys), max_size=len(keys)))
    decimals = draw(st.sampled_from([0, 1, 2]))
    values = [round(c / 100, decimals) for c in cents]
    return pd.DataFrame(
        [(r, s, y, "employment", v) for (r, s, y), v in zip(keys, values, strict=True)],
        columns=["region", "sector", "year", "variable", "value"],
    ), decimals


@st.composite
def conventions(draw):
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    decimal = draw(st.sampled_from([d for d in (".", ",") if d != sep]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    # cp1252 has the no-break space but not the narrow one.
    groups = ("", ".", ",", "space", "nbsp", "'") + (("narrow",) if encoding != "cp1252" else ())
    thousands = draw(st.sampled_from([t for t in groups if t not in (decimal, sep)]))
    lang = draw(st.sampled_from(sorted(HEADERS)))
    titles = draw(
        st.lists(
            st.sampled_from(["Werkgelegenheid per gewest", "Tabel 3", "Eenheid: banen"]), max_size=3
        )
    )
    notes = draw(
        st.lists(st.sampled_from(["Bron: Statbel", "* voorlopig", "Quelle: Destatis"]), max_size=2)
    )
    return sep, decimal, thousands, encoding, lang, titles, notes


def _number(value: float, decimals: int, decimal: str, thousands: str) -> str:
    """The number as a person writes it: grouped digits, the decimal separator, fixed decimals."""
    whole, frac = f"{value:.{decimals}f}".partition(".")[::2]
    group = SPACES.get(thousands, thousands)
    digits = whole
    if group:
        parts = []
        while len(digits) > 3:
            parts.insert(0, digits[-3:])
            digits = digits[:-3]
        digits = group.join([digits, *parts])
    return digits + (decimal + frac if decimals else "")


def _write(df: pd.DataFrame, decimals: int, conv) -> bytes:
    sep, decimal, thousands, encoding, lang, titles, notes = conv
    lines = list(titles) + ([""] if titles else [])
    lines.append(sep.join(HEADERS[lang]))
    for r, s, y, v, x in df.itertuples(index=False):
        lines.append(sep.join([r, s, str(y), v, _number(x, decimals, decimal, thousands)]))
    lines += [""] + list(notes) if notes else []
    text = "\n".join(lines) + "\n"
    return text.encode(encoding)


def _same_numbers(panel, df: pd.DataFrame) -> bool:
    got = panel.data.set_index(["region", "sector", "year"])["value"]
    want = df.set_index(["region", "sector", "year"])["value"]
    return len(got) == len(want) and all(
        math.isclose(got[k], want[k], rel_tol=0, abs_tol=1e-9) for k in want.index
    )


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(panels(), conventions())
def test_any_convention_reads_back_when_stated(tmp_path, panel, conv):
    df, decimals = panel
    sep, decimal, thousands, encoding, *_ = conv
    path = tmp_path / "t.csv"
    path.write_bytes(_write(df, decimals, conv))
    back = read_panel(
        path,
        decimal=decimal,
        thousands=thousands if thousands not in SPACES else " ",
        encoding="cp1252" if encoding == "cp1252" else "utf-8",
    )
    assert _same_numbers(back, df)
    assert back.meta.reading["separator"] == sep


@SETTINGS
@given(panels(), conventions())
def test_detected_convention_is_right_or_refused_as_ambiguous(tmp_path, panel, conv):
    df, decimals = panel
    encoding = conv[3]
    path = tmp_path / "t.csv"
    path.write_bytes(_write(df, decimals, conv))
    try:
        back = read_panel(path, encoding="cp1252" if encoding == "cp1252" else "utf-8")
    except SpeerpuntError as exc:
        assert "ambiguous number" in exc.message, exc.one_line()
        return
    assert _same_numbers(back, df)


def _valid_files(df: pd.DataFrame) -> dict[str, bytes]:
    csv_bytes = df.to_csv(index=False).encode()
    xlsx = io.BytesIO()
    df.to_excel(xlsx, index=False, engine="openpyxl")
    parquet = io.BytesIO()
    df.to_parquet(parquet, index=False)
    return {"csv": csv_bytes, "xlsx": xlsx.getvalue(), "parquet": parquet.getvalue()}


corruption = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "truncate"]),
        st.floats(0, 1),
        st.binary(min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(panels(), st.sampled_from(["csv", "xlsx", "parquet"]), corruption)
def test_random_corruption_never_gives_a_traceback(tmp_path, panel, fmt, edits):
    df, _ = panel
    data = bytearray(_valid_files(df)[fmt])
    for kind, where, payload in edits:
        at = min(int(where * len(data)), max(len(data) - 1, 0))
        if kind == "flip" and data:
            data[at] ^= payload[0] or 1
        elif kind == "insert":
            data[at:at] = payload
        elif kind == "delete":
            del data[at : at + len(payload)]
        else:
            del data[at:]
    path = tmp_path / f"c.{fmt}"
    path.write_bytes(bytes(data))
    try:
        read_panel(path, decimal=".")
    except SpeerpuntError as exc:
        line = exc.one_line()
        assert "\n" not in line and line.startswith(f"c.{fmt}")
