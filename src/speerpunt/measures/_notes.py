"""Vectorised construction of the ``note`` column and of the string columns of result frames."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from speerpunt.panel import describe_flag


def join_notes(shape: tuple[int, ...], *parts: tuple[np.ndarray, object]) -> np.ndarray:
    """Combine ``(mask, message)`` pairs into one ``"; "``-joined note per cell.

    ``message`` is a string or an array of strings of the same shape as ``mask``. Only the cells a mask
    selects are touched, so a part that concerns a few cells costs a few string operations.

    >>> join_notes((3,), (np.array([True, False, True]), "a"), (np.array([True, True, False]), "b")).tolist()
    ['a; b', 'b', 'a']
    """
    out = np.full(shape, "", dtype=object)
    for mask, message in parts:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), shape)
        if not mask.any():
            continue
        if isinstance(message, CodedText):
            msg = message.texts[np.broadcast_to(message.codes, shape)[mask]]
        else:
            msg = np.broadcast_to(np.asarray(message, dtype=object), shape)[mask]
        cur = out[mask]
        out[mask] = np.where(cur == "", msg, cur + "; " + msg)
    return out


def note_column(shape: tuple[int, ...], *parts: tuple[np.ndarray, object]):
    """:func:`join_notes` then :func:`text_column`, building strings only for the cells some mask selects.

    The result is the flat string column (C order of ``shape``); cells without a note are ``''``.

    >>> list(note_column((3,), (np.array([True, False, True]), "a"), (np.array([True, True, False]), "b")))
    ['a; b', 'b', 'a']
    """
    size = int(np.prod(shape))
    masks = [np.broadcast_to(np.asarray(m, dtype=bool), shape) for m, _ in parts]
    used = [i for i, m in enumerate(masks) if m.any()]
    if not used:
        return string_column([""], np.zeros(size, dtype=np.int64))
    anyn = np.logical_or.reduce([masks[i] for i in used]) if len(used) > 1 else masks[used[0]]
    where = np.flatnonzero(anyn)
    sub = join_notes(
        (where.size,),
        *(
            (
                masks[i].ravel()[where],
                CodedText(
                    parts[i][1].texts, np.broadcast_to(parts[i][1].codes, shape).ravel()[where]
                )
                if isinstance(parts[i][1], CodedText)
                else (
                    parts[i][1]
                    if np.ndim(parts[i][1]) == 0
                    else np.broadcast_to(np.asarray(parts[i][1], dtype=object), shape).ravel()[
                        where
                    ]
                ),
            )
            for i in used
        ),
    )
    codes = np.zeros(size, dtype=np.int64)
    texts, inverse = np.unique(sub.astype(str), return_inverse=True)
    codes[where] = inverse + 1
    return string_column(["", *texts.tolist()], codes)


def flag_text(flags: pd.DataFrame | np.ndarray, prefix: str) -> np.ndarray:
    """``prefix`` followed by the spelled-out flag of each cell (``''`` where none)."""
    arr = np.asarray(flags, dtype=object)
    uniques, inverse = np.unique(arr.astype(str), return_inverse=True)
    texts = np.array([prefix + describe_flag(f) if f else "" for f in uniques], dtype=object)
    return texts[inverse].reshape(arr.shape)


class CodedText(NamedTuple):
    """A message per cell as ``texts[codes]``, resolved by :func:`join_notes` only where a mask is true."""

    texts: np.ndarray
    codes: np.ndarray


def flag_code_text(codes: np.ndarray, vocab: np.ndarray, prefix: str) -> CodedText:
    """:func:`flag_text` for flag codes into ``vocab`` (a :class:`~speerpunt.panel.Core`'s flags)."""
    texts = np.array([prefix + describe_flag(f) if f else "" for f in vocab], dtype=object)
    return CodedText(texts, codes)


def label_column(labels: Sequence[str], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """The string column ``labels[codes]`` (see :func:`string_column`).

    A plain string column, not a categorical: callers compare and combine result columns across frames,
    which categoricals with different categories refuse.

    >>> list(label_column(["A", "B"], np.array([1, 0, 1])))
    ['B', 'A', 'B']
    """
    return string_column(labels, codes)


def text_column(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A mostly-empty object array of strings (e.g. notes) as a string column, via its distinct texts."""
    flat = np.asarray(values, dtype=object).ravel()
    filled = np.flatnonzero(flat != "")
    codes = np.zeros(flat.size, dtype=np.int64)
    if filled.size == 0:
        return string_column([""], codes)
    texts, inverse = np.unique(flat[filled].astype(str), return_inverse=True)
    codes[filled] = inverse + 1
    return string_column(["", *texts.tolist()], codes)


def string_column(labels: Sequence[str], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``labels[codes]`` as a plain string column, gathered in Arrow (no Python string per row).

    Used for free text such as notes, which callers extend or fill (a categorical would refuse new texts).

    >>> list(string_column(["A", "B"], np.array([1, 0, 1])))
    ['B', 'A', 'B']
    """
    taken = pa.array(list(labels), pa.large_string()).take(
        pa.array(np.asarray(codes, dtype=np.int64))
    )
    return pd.array(taken, dtype="str")
