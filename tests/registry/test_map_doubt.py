"""The print maps (CLI ``map``) mark features whose sector choice rests only on ambiguous table cells.

Hand premise from the curated files: RESOC Antwerpen chose care only in the ambiguous Tabel 5 cell of
001 line 1683 ('x Zorg Zorg', column not identifiable); the port of Antwerp (logistics) rests on certain
cells. So in the care map of the province of Antwerp every feature of RESOC Antwerpen alone is marked
with that line, and no logistics feature is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[2] / "src/speerpunt/registry/data"


@pytest.fixture(scope="module")
def geo_dir(shared_dir):
    return shared_dir / "data" / "geo" / "belgium"


def _map(tmp_path: Path, geo_dir: Path, sector: str, *extra: str) -> list[dict]:
    out = tmp_path / f"{sector}.geojson"
    res = subprocess.run(
        [sys.executable, "-m", "speerpunt", "map", "projects", "--province", "Antwerpen"]
        + ["--sector", sector, "--out", str(out), "--geo-dir", str(geo_dir), *extra],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    return [f["properties"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]


def test_care_features_of_an_ambiguous_choice_are_marked(tmp_path, geo_dir):
    sel = pd.read_csv(DATA / "selections.csv", dtype=str)
    own = sel[(sel["actor"] == "resoc-antwerpen") & (sel["sector"] == "care")]
    assert len(own) and (own["ambiguous"] == "true").all()  # the premise, from the file
    assert set(own["line"]) == {"1683"}

    feats = pd.read_csv(DATA / "features.csv", dtype=str)
    expected = set(
        feats.loc[
            (feats["province"] == "prov-antwerpen")
            & (feats["sector"] == "care")
            & (feats["actors"] == "resoc-antwerpen"),
            "id",
        ]
    )
    assert expected
    props = _map(tmp_path, geo_dir, "care")
    marked = {p["id"] for p in props if p["ambiguous"]}
    assert expected <= marked
    for p in props:
        if p["id"] in expected:
            assert "001 line 1683" in p["ambiguity"]


def test_certain_choices_are_not_marked(tmp_path, geo_dir):
    props = _map(tmp_path, geo_dir, "logistics")
    assert props and not any(p["ambiguous"] for p in props)
    assert all(p["ambiguity"] == "" for p in props)
