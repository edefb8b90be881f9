"""Vectorised construction of the ``note`` column that explains missing or qualified results."""

from __future__ import annotations

import numpy as np
import pandas as pd

from speerpunt.panel import describe_flag


def join_notes(shape: tuple[int, ...], *parts: tuple[np.ndarray, object]) -> np.ndarray:
    """Combine ``(mask, message)`` pairs into one ``"; "``-joined note per cell.

    ``message`` is a string or an array of strings of the same shape as ``mask``.
    """
    out = np.full(shape, "", dtype=object)
    for mask, message in parts:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            continue
        msg = np.broadcast_to(np.asarray(message, dtype=object), shape)
        sep = np.where(out == "", "", "; ")
        out = np.where(mask, out + sep + msg, out)
    return out


def flag_text(flags: pd.DataFrame | np.ndarray, prefix: str) -> np.ndarray:
    """``prefix`` followed by the spelled-out flag of each cell (``''`` where none)."""
    arr = np.asarray(flags, dtype=object)
    uniques, inverse = np.unique(arr.astype(str), return_inverse=True)
    texts = np.array([prefix + describe_flag(f) if f else "" for f in uniques], dtype=object)
    return texts[inverse].reshape(arr.shape)
