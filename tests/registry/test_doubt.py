"""Doubt travels: derived outputs with ambiguous cells included and excluded.

Expected values are computed here from the curated CSV/YAML files with plain Python, independent of
the analyses under test.
"""

from __future__ import annotations

import csv
from collections import defaultdict

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from speerpunt.errors import RegistryError
from speerpunt.registry import analyses as an
from speerpunt.registry import doubt
from speerpunt.registry.curated import DATA


@pytest.fixture(scope="module")
def raw() -> dict:
    docs = {
        d["id"]: d["generation"]
        for d in yaml.safe_load((DATA / "documents.yaml").read_text())["documents"]
    }
    actors = {a["id"]: a for a in yaml.safe_load((DATA / "actors.yaml").read_text())["actors"]}
    cells = yaml.safe_load((DATA / "ambiguities.yaml").read_text())["ambiguities"]
    with (DATA / "selections.csv").open(encoding="utf-8") as fh:
        rows = [r | {"generation": docs[r["document"]]} for r in csv.DictReader(fh)]
    return {"rows": rows, "actors": actors, "cells": cells}


def _pairs(rows, generations, exclude: bool) -> set[tuple[str, str]]:
    return {
        (r["actor"], r["sector"])
        for r in rows
        if r["generation"] in generations and not (exclude and r["ambiguous"] == "true")
    }


def _changes(raw, old, new, exclude: bool) -> set[tuple[str, str, str]]:
    before, after = _pairs(raw["rows"], old, exclude), _pairs(raw["rows"], new, exclude)
    both = {a for a, _ in before} & {a for a, _ in after}
    dropped = {(a, s, "dropped") for a, s in before - after if a in both}
    return dropped | {(a, s, "added") for a, s in after - before if a in both}


def _doubtful(raw, generations) -> set[tuple[str, str]]:
    """Pairs with an ambiguous cell and no certain one in these generations."""
    pairs = {
        (r["actor"], r["sector"])
        for r in raw["rows"]
        if r["ambiguous"] == "true" and r["generation"] in generations
    }
    for c in raw["cells"]:
        if c.get("sector") and c["generation"] in generations:
            pairs |= {(a, c["sector"]) for a in c["candidates"]}
    return pairs - _pairs(raw["rows"], generations, exclude=True)


@pytest.mark.parametrize("mode", ["include", "exclude"])
def test_changes_both_modes_and_marks(registry, raw, mode):
    old, new = list(an.STUDY_GENERATIONS), ["synthese-2014"]
    r = doubt.changes(registry.selections(), old, new, ambiguous=mode)
    got = {(x.actor, x.sector, x.change) for x in r.frame.itertuples()}
    assert got == _changes(raw, old, new, exclude=mode == "exclude")
    assert r.included == len(_changes(raw, old, new, False))
    assert r.excluded == len(_changes(raw, old, new, True))
    assert r.included != r.excluded  # the curated data has doubt that matters here
    doubtful = _doubtful(raw, old) | _doubtful(raw, new)
    marked = {(x.actor, x.sector) for x in r.frame.itertuples() if x.ambiguous}
    assert marked == {(a, s) for a, s, _ in got} & doubtful
    assert "included" in r.line() and "excluded" in r.line()


def test_overview_counts_both_modes(registry, raw):
    sel = an.study_selections(registry.selections())
    r = doubt.overview(sel).frame.set_index("sector")
    sub = {a for a, v in raw["actors"].items() if v["type"] in ("province", "RESOC")}
    for exclude, col in ((False, "actors_included"), (True, "actors_excluded")):
        chosen = defaultdict(set)
        for a, s in _pairs(raw["rows"], an.STUDY_GENERATIONS, exclude):
            if a in sub:
                chosen[s].add(a)
        assert {s: int(r.at[s, col]) for s in chosen} == {s: len(v) for s, v in chosen.items()}
    assert (r["actors"] == r["actors_included"]).all()
    # in exclude mode the shown counts are the excluded ones; automotive rests only on ambiguous cells
    e = doubt.overview(sel, ambiguous="exclude").frame.set_index("sector")
    assert (e["actors"] == e["actors_excluded"]).all()
    assert "automotive" in r.index and "automotive" not in e.index
    # care: RESOC Antwerpen and Mechelen's cells (001 line 1683) are ambiguous, so 13 → 11 actors
    assert (r.at["care", "actors_included"], r.at["care", "actors_excluded"]) == (13, 11)
    assert r.at["care", "ambiguous"] and "001 line 1683" in r.at["care", "ambiguity"]
    assert not r.at["logistics", "ambiguous"]


def test_overlap_jaccard_both_modes_by_hand(registry):
    sel = an.study_selections(registry.selections())
    r = doubt.overlap(sel, "actor").frame.set_index(["a", "b"])
    # RESOC Antwerpen vs RESOC Mechelen, read from the curated CSV:
    # Antwerpen {logistics, chemistry, retail, diamond, cleantech*, business_services, care*}
    # Mechelen {logistics, chemistry, agrifood, business_services, care*}   (* = ambiguous)
    row = r.loc[("resoc-antwerpen", "resoc-mechelen")]
    assert (row["shared"], row["union"]) == (4, 8)
    assert row["jaccard_included"] == pytest.approx(4 / 8)
    assert row["jaccard_excluded"] == pytest.approx(3 / 6)
    # Provincie Limburg vs RESOC Limburg: automotive (ambiguous, both) is shared only when included
    lim = r.loc[("prov-limburg", "resoc-limburg")]
    assert lim["ambiguous"] and "001 line 2056" in lim["ambiguity"]
    assert row["ambiguous"]


def test_coherence_marks_and_counts(registry):
    from speerpunt.io import read_panel

    sel = an.study_selections(registry.selections())
    args = (sel, registry.actors(), registry.records("sectors"), read_panel("be-employment"))
    inc = doubt.coherence(*args, start=2008, end=2018)
    exc = doubt.coherence(*args, ambiguous="exclude", start=2008, end=2018)
    assert (inc.included, inc.excluded) == (exc.included, exc.excluded)
    assert inc.included == int((inc.frame["flag"] == "not supported").sum())
    assert exc.excluded == int((exc.frame["flag"] == "not supported").sum())
    sel = sel.assign(ambiguous=sel["ambiguous"].astype(bool))
    amb = sel[sel["ambiguous"]][["actor", "sector"]].drop_duplicates()
    keys = set(map(tuple, amb.to_numpy()))
    rows = inc.frame.set_index(["actor", "sector"])
    # pairs that rest only on ambiguous cells: marked, and gone when those cells are excluded
    only = {
        k
        for k in keys & set(rows.index)
        if len(sel[(sel["actor"] == k[0]) & (sel["sector"] == k[1]) & ~sel["ambiguous"]]) == 0
    }
    assert only and all(rows.loc[k, "ambiguous"] for k in only)
    assert not only & set(exc.frame.set_index(["actor", "sector"]).index)
    # a pair with a certain cell as well is not marked unless an unattributed cell names it
    both = (keys & set(rows.index)) - only
    assert both and not any(rows.loc[k, "ambiguous"] for k in both)


def test_mode_is_checked():
    s = pd.DataFrame({"actor": ["a"], "sector": ["x"], "generation": ["g"]})
    with pytest.raises(RegistryError, match="include or exclude"):
        doubt.changes(s, ["g"], ["g"], ambiguous="maybe", cells=[])


def test_cli_flag_prints_both_counts(loaded_url):
    import typer

    from speerpunt.cli.registry import register

    app = typer.Typer()
    register(app)
    runner = CliRunner()
    res = runner.invoke(
        app,
        ["registry", "changes", "--ambiguous", "exclude", "--format", "csv", "--db", loaded_url],
    )
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(res.stdout.splitlines()))
    assert {"ambiguous", "ambiguity"} <= set(rows[0])
    assert (
        "with ambiguous cells included" in res.stderr
        and f"{len(rows)} with them excluded" in res.stderr
    )
    bad = runner.invoke(app, ["registry", "overview", "--ambiguous", "maybe", "--db", loaded_url])
    # the main entry point turns a RegistryError into one line on stderr and exit code 2
    assert isinstance(bad.exception, RegistryError) and "--ambiguous" in bad.exception.one_line()


def test_map_features_mark_choices_that_rest_on_ambiguous_cells(registry, raw):
    feats = registry.features().to_dict("records")
    marks = doubt.feature_doubt(feats, an.study_selections(registry.selections()))
    # independent: the study's pairs (20 sub-regional actors, study generations), by certainty
    sub = {a for a, v in raw["actors"].items() if v["type"] in ("province", "RESOC")}
    shaky = {p for p in _doubtful(raw, an.STUDY_GENERATIONS) if p[0] in sub}
    expected = {
        f["id"]
        for f in feats
        if f["actors"] and all((a, f["sector"]) in shaky for a in f["actors"])
    }
    assert {f["id"] for f, m in zip(feats, marks, strict=True) if m} == expected
    # the care zones of RESOC Antwerpen and Mechelen (001 lines 3918, 3924) illustrate the two
    # ambiguous 'Zorg' cells of Tabel 5 (line 1683)
    assert {"f053", "f055"} <= expected


def test_cli_matrix_counts_both(loaded_url, raw):
    import typer

    from speerpunt.cli.registry import register

    app = typer.Typer()
    register(app)
    sub = {a for a, v in raw["actors"].items() if v["type"] in ("province", "RESOC")}
    inc = {p for p in _pairs(raw["rows"], an.STUDY_GENERATIONS, False) if p[0] in sub}
    exc = {p for p in _pairs(raw["rows"], an.STUDY_GENERATIONS, True) if p[0] in sub}
    res = CliRunner().invoke(
        app,
        ["registry", "matrix", "--ambiguous", "exclude", "--format", "csv", "--db", loaded_url],
    )
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(res.stdout.splitlines()))
    assert sum(int(v) for r in rows for k, v in r.items() if k != "actor") == len(exc)
    assert f"{len(inc)} with ambiguous cells included, {len(exc)} with them excluded" in res.stderr
