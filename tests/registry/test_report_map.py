"""The report's printed project map is the registry layer the web map draws: same features, same numbers."""

from __future__ import annotations

import csv
import re

from speerpunt.registry.curated import DATA
from speerpunt.registry.sections import project_map_chart, report_registry


def test_report_project_map_draws_the_curated_features(shared_dir, monkeypatch):
    monkeypatch.setenv("SPEERPUNT_GEO_DIR", str(shared_dir / "data" / "geo"))
    with (DATA / "features.csv").open(encoding="utf-8") as f:
        care = [
            r
            for r in csv.DictReader(f)
            if (r["province"], r["sector"]) == ("prov-antwerpen", "care")
        ]
    kinds = [r["kind"] for r in care]
    with report_registry() as reg:
        chart = project_map_chart(reg, "BE21", "care", "en")
        assert project_map_chart(reg, "BE2", "care", "en") is None  # Flanders is not one province
    svg = chart.svg()
    points = set(re.findall(r'<g id="point-(\d+)"', svg))
    zones = set(re.findall(r'<g id="zone-(Z\d+)"', svg))
    assert points == {str(i) for i in range(1, kinds.count("point") + 1)}
    assert zones == {f"Z{i}" for i in range(1, kinds.count("zone") + 1)}
    assert "Antwerpen" in chart.alt and chart.name == "registry-map-care"
    monkeypatch.delenv("SPEERPUNT_GEO_DIR")
    with report_registry() as reg:
        assert project_map_chart(reg, "BE21", "care", "en") is None  # no boundaries, no map
