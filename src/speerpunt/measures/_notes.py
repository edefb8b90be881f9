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
    described = np.vectorize(lambda f: describe_flag(f) if isinstance(f, str) else "not available",
                             otypes=[object])(arr)
    return np.where(described == "", "", prefix + described)
