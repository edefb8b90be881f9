"""Vectorised construction of the ``note`` column and of the string columns of result frames."""

from __future__ import annotations

import threading
from collections import OrderedDict
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
    return sparse_column(sparse_notes(shape, *parts))


class SparseNotes(NamedTuple):
    """The notes of a grid, held only where a cell has one: sorted flat (C-order) positions of ``shape``
    and their texts. Every other cell's note is ``''``."""

    shape: tuple[int, ...]
    where: np.ndarray
    texts: np.ndarray


def sparse_notes(shape: tuple[int, ...], *parts: tuple[np.ndarray, object]) -> SparseNotes:
    """:func:`join_notes` of ``(mask, message)`` pairs, evaluated only at the cells some mask selects.

    >>> n = sparse_notes((2, 2), (np.array([[True, False], [False, False]]), "a"), (np.eye(2, dtype=bool), "b"))
    >>> n.where.tolist(), n.texts.tolist()
    ([0, 3], ['a; b', 'b'])
    """
    masks = [np.broadcast_to(np.asarray(m, dtype=bool), shape) for m, _ in parts]
    used = [i for i, m in enumerate(masks) if m.any()]
    if not used:
        return SparseNotes(shape, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object))
    anyn = np.logical_or.reduce([masks[i] for i in used]) if len(used) > 1 else masks[used[0]]
    where = np.flatnonzero(anyn)
    sub = join_notes(
        (where.size,),
        *((masks[i].ravel()[where], _message_at(parts[i][1], shape, where)) for i in used),
    )
    return SparseNotes(shape, where, sub)


def _message_at(message: object, shape: tuple[int, ...], where: np.ndarray) -> object:
    """A ``(mask, message)`` pair's message at the flat positions ``where`` (a scalar stays one)."""
    if isinstance(message, CodedText):
        return CodedText(message.texts, np.broadcast_to(message.codes, shape).ravel()[where])
    if np.ndim(message) == 0:
        return message
    return np.broadcast_to(np.asarray(message, dtype=object), shape).ravel()[where]


def extend_notes(notes: SparseNotes, mask: np.ndarray, message: str) -> SparseNotes:
    """``message`` joined (``"; "``) after the notes of the cells in ``mask``, as :func:`join_notes` does.

    >>> n = extend_notes(SparseNotes((3,), np.array([0]), np.array(["a"], dtype=object)), np.array([1, 0, 1]), "b")
    >>> n.where.tolist(), n.texts.tolist()
    ([0, 2], ['a; b', 'b'])
    """
    pos = np.flatnonzero(np.broadcast_to(np.asarray(mask, dtype=bool), notes.shape))
    if pos.size == 0:
        return notes
    where = np.union1d(notes.where, pos)
    texts = np.full(where.size, "", dtype=object)
    texts[np.searchsorted(where, notes.where)] = notes.texts
    at = np.searchsorted(where, pos)
    cur = texts[at]
    texts[at] = np.where(cur == "", message, cur + "; " + message)
    return SparseNotes(notes.shape, where, texts)


def sparse_column(notes: SparseNotes) -> pd.api.extensions.ExtensionArray:
    """The flat string column of :class:`SparseNotes` (``''`` where a cell has no note), one Python
    string per distinct text."""
    codes = np.zeros(int(np.prod(notes.shape)), dtype=np.int64)
    if notes.where.size == 0:
        return string_column([""], codes)
    texts, inverse = np.unique(notes.texts.astype(str), return_inverse=True)
    codes[notes.where] = inverse + 1
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
    When ``labels[0]`` is ``''`` and few codes are not 0 (a notes column), only those rows' bytes are
    copied (:func:`_sparse_strings`).

    >>> list(string_column(["A", "B"], np.array([1, 0, 1])))
    ['B', 'A', 'B']
    >>> list(string_column(["", "note"], np.array([0, 0, 1, 0])))
    ['', '', 'note', '']
    """
    codes = np.asarray(codes, dtype=np.int64)
    labels = list(labels)
    if labels and labels[0] == "":
        filled = np.flatnonzero(codes)
        if filled.size * 8 < codes.size:
            return pd.array(_sparse_strings(labels, codes, filled), dtype="str")
    taken = pa.array(labels, pa.large_string()).take(pa.array(codes))
    return pd.array(taken, dtype="str")


def _sparse_strings(labels: list[str], codes: np.ndarray, filled: np.ndarray) -> pa.Array:
    """``labels[codes]`` (``labels[0] == ''``) built from its Arrow buffers: offsets by a cumulative sum of
    the byte lengths, data by joining the bytes of the ``filled`` rows only (Arrow's ``take`` copies every
    row)."""
    encoded = [label.encode() for label in labels]
    lengths = np.array([len(b) for b in encoded], dtype=np.int64)
    offsets = np.zeros(codes.size + 1, dtype=np.int64)
    if filled.size:  # all empty: every offset is 0
        offsets[filled + 1] = lengths[codes[filled]]
        np.cumsum(offsets, out=offsets)
    data = b"".join([encoded[c] for c in codes[filled].tolist()])
    return pa.LargeStringArray.from_buffers(codes.size, pa.py_buffer(offsets), pa.py_buffer(data))


def grid_label_column(
    labels: Sequence[str], *, repeat: int = 1, tile: int = 1, blocks: int = 1
) -> pd.api.extensions.ExtensionArray:
    """A label column of a C-ordered grid: each label ``repeat`` times in a row, that run ``tile`` times,
    and the whole block ``blocks`` times (e.g. one block per year).

    The block is gathered once; its repetitions are chunks that share the block's (immutable) Arrow
    buffers, so a 25-year column costs one year's gather. Equal to ``labels[codes]`` with
    ``codes = tile(repeat(arange(len(labels)), repeat), tile)`` repeated ``blocks`` times.

    Blocks are kept in a small cache keyed by the labels themselves and the shape (measures over the
    same regions and sectors — several periods, several measures — build the same blocks). Arrow arrays
    are immutable and pandas copies on write, so a frame that changes its column never changes the block.

    >>> list(grid_label_column(["A", "B"], repeat=2, blocks=2))
    ['A', 'A', 'B', 'B', 'A', 'A', 'B', 'B']
    >>> list(grid_label_column(["A", "B"], tile=2))
    ['A', 'B', 'A', 'B']
    """
    return chunked_label_column([(labels, repeat, tile)] * blocks)


def chunked_label_column(
    chunks: Sequence[tuple[Sequence[str], int, int]],
) -> pd.api.extensions.ExtensionArray:
    """One string column of grid blocks, one ``(labels, repeat, tile)`` per chunk (see
    :func:`grid_label_column`; e.g. one chunk per year when the years have different regions).

    >>> list(chunked_label_column([(["A", "B"], 2, 1), (["C"], 1, 2)]))
    ['A', 'A', 'B', 'B', 'C', 'C']
    """
    # Within one call the same label list (one object, e.g. every year's regions) is looked up once.
    seen: dict[tuple[int, int, int], pa.Array] = {}
    blocks = []
    for labels, repeat, tile in chunks:
        key = (id(labels), repeat, tile)
        block = seen.get(key)
        if block is None:
            block = seen[key] = _GRID_BLOCKS.get((tuple(labels), repeat, tile))
        blocks.append(block)
    return pd.array(pa.chunked_array(blocks, type=pa.large_string()), dtype="str")


class _BlockCache:
    """Grid label blocks by ``(labels, repeat, tile)``, least recently used dropped beyond ``max_rows``
    rows in all (a block of 3,200 × 1,000 cells is ~ 40 MB)."""

    def __init__(self, max_rows: int = 16_000_000) -> None:
        self.max_rows = max_rows
        self.blocks: OrderedDict[tuple[tuple[str, ...], int, int], pa.Array] = OrderedDict()
        self.lock = threading.Lock()  # the web server computes measures in several threads

    def get(self, key: tuple[tuple[str, ...], int, int]) -> pa.Array:
        with self.lock:
            block = self.blocks.get(key)
            if block is not None:
                self.blocks.move_to_end(key)
                return block
        labels, repeat, tile = key
        codes = np.tile(np.repeat(np.arange(len(labels), dtype=np.int64), repeat), tile)
        block = pa.array(list(labels), pa.large_string()).take(pa.array(codes))
        if len(block) <= self.max_rows:
            with self.lock:
                self.blocks[key] = block
                while sum(len(b) for b in self.blocks.values()) > self.max_rows:
                    self.blocks.popitem(last=False)
        return block

    def clear(self) -> None:
        self.blocks.clear()


_GRID_BLOCKS = _BlockCache()
