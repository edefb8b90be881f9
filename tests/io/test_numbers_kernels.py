"""The number-convention checks run in Arrow's C kernels (RE2, literal replace); Python's ``re`` and
``str.replace`` are the independent reference: both must accept and read every token alike."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from speerpunt.io import numbers

# Every character a token can hold (split_tokens keeps digits, signs, separators and an exponent).
ALPHABET = list("0123456789") * 3 + list(".,'+-eE ") + ["\u00a0", "\u202f", "\u2009", "\u2019"]
REALISTIC = ["35.991", "1.234,5", "1,234.5", "35 991", "35’991", "5,4", ".5", ",5", "1e5", "-12"]


def _tokens(seed: int, n: int = 4000) -> pd.Series:
    rng = np.random.default_rng(seed)
    out = list(REALISTIC)
    for _ in range(n):
        k = int(rng.integers(1, 12))
        out.append("".join(rng.choice(ALPHABET, size=k)))
    return pd.Series(out, dtype=object)


def _python_valid(tokens: pd.Series, conv: tuple[str, str]) -> np.ndarray:
    pattern = re.compile(numbers._PATTERNS[conv].pattern)
    return np.array([pattern.match(t) is not None for t in tokens], dtype=bool)


def _python_reading(tokens: pd.Series, conv: tuple[str, str]) -> np.ndarray:
    d, t = conv
    plain = []
    for tok in tokens:
        for ch in numbers.THOUSANDS[t]:
            tok = tok.replace(ch, "")
        plain.append(tok.replace(",", ".") if d == "," else tok)
    return pd.to_numeric(pd.Series(plain, dtype=object), errors="coerce").to_numpy(dtype=float)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("conv", numbers.CONVENTIONS, ids=lambda c: f"{c[0]}|{c[1]!r}")
def test_arrow_kernels_accept_and_read_like_python(conv, seed):
    tokens = _tokens(seed)
    expected = _python_valid(tokens, conv)
    assert expected.any() and not expected.all()  # the corpus has both kinds
    np.testing.assert_array_equal(numbers._valid(tokens, conv), expected)
    got = numbers._reading(tokens, conv)
    np.testing.assert_array_equal(got, _python_reading(tokens, conv))


def test_hand_examples():
    tokens = pd.Series(["35.991", "1.234,5", "35 991", "35\u00a0991"], dtype=object)
    assert list(numbers._valid(tokens, (",", "."))) == [True, True, False, False]
    assert list(numbers._valid(tokens, (".", " "))) == [True, False, True, True]
    np.testing.assert_array_equal(
        numbers._reading(tokens, (",", " ")), [35.991, np.nan, 35991.0, 35991.0]
    )
    np.testing.assert_array_equal(numbers._reading(tokens[:2], (",", ".")), [35991.0, 1234.5])


def test_missing_tokens_are_not_accepted():
    tokens = pd.Series(["1.5", np.nan], dtype=object)
    assert list(numbers._valid(tokens, (".", ""))) == [True, False]
    assert np.isnan(numbers._reading(tokens, (".", ""))[1])
