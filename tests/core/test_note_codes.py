"""Measure notes carry stable codes: the English catalogue text of each code is exactly what its pattern
matches (so the measures' text and the catalogue cannot drift apart), and Dutch differs from English."""

from __future__ import annotations

import numpy as np
import pandas as pd

from speerpunt.i18n import gettext
from speerpunt.i18n.notes import NOTES, note_code, note_text
from speerpunt.measures import location_quotient
from speerpunt.panel import Panel

FIELDS = {"year": "2018", "flag": "not available", "sectors": "bouw, zorg"}


def test_each_code_round_trips_through_the_english_catalogue():
    for code in NOTES:
        english = gettext("en", f"note_{code}", **FIELDS)
        found = note_code(english)
        assert found is not None and found[0] == code, (code, english, found)
        assert note_text(english, "en") == english
        assert note_text(english, "nl") != english, code


def test_a_real_measure_note_is_shown_in_dutch():
    """Sector B is zero in the whole reference: the LQ is undefined and the note says why, in Dutch."""
    rows = [("R1", "A", 5.0), ("R1", "B", 0.0), ("R2", "A", 3.0), ("R2", "B", 0.0)]
    rows += [("ALL", "A", 8.0), ("ALL", "B", 0.0)]
    df = pd.DataFrame(rows, columns=["region", "sector", "value"]).assign(
        year=2018, variable="jobs"
    )
    lq = location_quotient(Panel(df), regions="R1", reference="ALL", year=2018, variable="jobs")
    note = lq.loc[(lq["region"] == "R1") & (lq["sector"] == "B"), "note"].iloc[0]
    assert np.isnan(lq.loc[(lq["region"] == "R1") & (lq["sector"] == "B"), "lq"].iloc[0])
    assert note_text(note, "nl") == "referentie heeft nul in deze sector: LQ niet bepaald"
