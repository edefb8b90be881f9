"""The store on both backends: migrations, loading, queries, locking, history, import and export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from sqlalchemy import create_engine, inspect, text

from speerpunt.errors import RegistryError
from speerpunt.registry.curated import DATA
from speerpunt.registry.store import Registry, init_db

ORDER = [
    "sectors",
    "actors",
    "documents",
    "criteria",
    "clusters",
    "selections",
    "features",
    "assessments",
    "cluster_stages",
    "instruments",
    "projects",
    "recommendations",
    "survey",
    "policy_domains",
]


def test_migration_upgrades_an_empty_database_to_head(db_url):
    init_db(db_url)
    engine = create_engine(db_url)
    tables = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    engine.dispose()
    assert head == "0002"
    assert {
        "instruments",
        "projects",
        "cluster_stages",
        "recommendations",
        "survey",
        "policy_domains",
        "actors",
        "documents",
        "selections",
        "features",
        "assessments",
        "clusters",
        "criteria",
        "sectors",
        "history",
    } <= tables
    init_db(db_url)  # a second upgrade is a no-op


def test_curated_data_loaded(registry):
    actors = registry.actors()
    assert (actors["type"] == "province").sum() == 5 and (actors["type"] == "RESOC").sum() == 15
    with (DATA / "selections.csv").open(encoding="utf-8") as fh:
        n_sel = sum(1 for _ in csv.DictReader(fh))
    assert len(registry.selections()) == n_sel
    assert registry.count("criteria") == 22
    # loading wrote one 'insert' history row per record
    hist = registry.history()
    assert set(hist["action"]) == {"insert"}
    assert len(hist) == sum(registry.count(k) for k in ORDER)


def test_queries_filter_by_alias_and_label(registry):
    kempen = registry.selections(actor="RESOC Turnhout")
    assert set(kempen["actor"]) == {"resoc-kempen"}
    assert "Metaal & non-ferro" in set(kempen["label"])
    logi = registry.selections(sector="Logitech")
    assert set(logi["sector"]) == {"logistics"}
    feats = registry.features(sector="logistics", actor="RESOC Kempen")
    # 001 annex lines 3613-3619: the ENA, Hoogstraten and Turnhout zones of RESOC Kempen
    assert {"ENA-netwerk (zone rond Geel)", "Hoogstraten-zone", "Turnhout-zone"} <= set(
        feats["name"]
    )
    assert all("resoc-kempen" in a for a in feats["actors"])
    assert set(registry.features(province="Provincie Limburg")["province"]) == {"prov-limburg"}
    with pytest.raises(RegistryError, match="unknown actor"):
        registry.selections(actor="RESOC Atlantis")


def test_optimistic_locking(registry):
    rec = registry.get("selections", registry.selections(actor="resoc-leuven")["id"].iloc[0])
    v = rec["version"]
    new = registry.update_record(
        "selections", rec["id"], {"note": "checked"}, user="ann", expected_version=v
    )
    assert new["version"] == v + 1 and new["note"] == "checked"
    with pytest.raises(RegistryError, match="stale version"):
        registry.update_record(
            "selections", rec["id"], {"note": "late"}, user="bob", expected_version=v
        )
    assert registry.get("selections", rec["id"])["note"] == "checked"


def test_two_sessions_one_loses(loaded_url):
    a, b = Registry(loaded_url), Registry(loaded_url)
    try:
        v = a.get("actors", "resoc-kempen")["version"]
        a.update_record("actors", "resoc-kempen", {"note": "A"}, user="a", expected_version=v)
        with pytest.raises(RegistryError, match="stale"):
            b.update_record("actors", "resoc-kempen", {"note": "B"}, user="b", expected_version=v)
    finally:
        a.close()
        b.close()


def test_data_version_is_the_history_count_and_another_process_sees_a_save(loaded_url):
    """The web caches key registry pages on data_version: it must equal the number of history rows
    (counted here with plain SQL) and move, for a second connection pool, at the other's commit."""
    a, b = Registry(loaded_url), Registry(loaded_url)
    try:
        with a.engine.connect() as conn:
            rows = conn.execute(text("SELECT count(*) FROM history")).scalar()
        assert a.data_version() == b.data_version() == rows > 0
        v = a.get("actors", "resoc-kempen")["version"]
        a.update_record("actors", "resoc-kempen", {"note": "A"}, user="a", expected_version=v)
        assert b.data_version() == rows + 1
        with pytest.raises(RegistryError, match="stale"):
            b.update_record("actors", "resoc-kempen", {"note": "B"}, user="b", expected_version=v)
        assert a.data_version() == rows + 1  # a refused write leaves no history
    finally:
        a.close()
        b.close()


def test_history_keeps_before_and_after(registry):
    sid = registry.selections(actor="resoc-gent", sector="retail")["id"].iloc[0]
    old = registry.get("selections", sid)
    registry.update_record(
        "selections",
        sid,
        {"label": "Detailhandel (kernwinkelgebied)"},
        user="ann",
        expected_version=old["version"],
    )
    rows = registry.history("selections", sid)
    last = rows.iloc[-1]
    assert (last["user"], last["action"], last["table"]) == ("ann", "update", "selections")
    assert (
        last["before"]["label"] == old["label"]
        and last["after"]["label"] == "Detailhandel (kernwinkelgebied)"
    )
    assert last["before"]["actor"] == last["after"]["actor"] == "resoc-gent"


def test_update_validates(registry):
    v = registry.get("features", "f001")["version"]
    with pytest.raises(RegistryError, match="kind"):
        registry.update_record("features", "f001", {"kind": "blob"}, user="x", expected_version=v)
    with pytest.raises(RegistryError, match="cannot change"):
        registry.update_record("features", "f001", {"colour": "red"}, user="x", expected_version=v)
    placed = registry.update_record(
        "features",
        "f001",
        {"lon": 4.40, "lat": 51.22, "precision": "exact"},
        user="geo",
        expected_version=v,
    )
    gj = json.loads(registry.export("features", "geojson"))
    first = next(f for f in gj["features"] if f["id"] == "f001")
    assert first["geometry"] == {"type": "Point", "coordinates": [4.40, 51.22]}
    assert placed["precision"] == "exact"


@pytest.mark.parametrize("fmt", ["csv", "json", "yaml"])
def test_export_import_round_trip_is_lossless(registry, empty_registry, tmp_path, fmt):
    for kind in ORDER:
        path = tmp_path / f"{kind}.{fmt}"
        registry.export(kind, fmt, path)
        assert empty_registry.import_records(kind, path) == registry.count(kind)
    for kind in ORDER:
        assert empty_registry.export(kind, "json") == registry.export(kind, "json"), kind


def test_geojson_round_trip(registry, empty_registry, tmp_path):
    for kind in ORDER[:-3]:
        registry.export(kind, "csv", tmp_path / f"{kind}.csv")
        empty_registry.import_records(kind, tmp_path / f"{kind}.csv")
    registry.export("features", "geojson", tmp_path / "f.geojson")
    empty_registry.import_records("features", tmp_path / "f.geojson")
    assert empty_registry.export("features", "json") == registry.export("features", "json")


def _snapshot(reg: Registry) -> dict[str, str]:
    return {kind: reg.export(kind, "json") for kind in ORDER} | {"history": str(len(reg.history()))}


def test_failing_import_changes_nothing_and_names_every_bad_line(registry, tmp_path):
    before = _snapshot(registry)
    rows = list(csv.DictReader(io.StringIO(registry.export("selections", "csv"))))
    rows[0]["note"] = "a valid change that must not be written"
    rows[1]["status"] = "maybe"  # line 3 of the file
    rows[3]["actor"] = "resoc-atlantis"  # line 5
    rows[6]["year"] = "twenty"  # line 8
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(RegistryError) as err:
        registry.import_records("selections", path)
    message = err.value.one_line()
    assert "3 bad record(s)" in message and "\n" not in message
    for part in ("line 3: status", "line 5: actor: unknown actor 'resoc-atlantis'", "line 8: year"):
        assert part in message
    assert _snapshot(registry) == before


def test_import_new_records_with_history(registry, tmp_path):
    path = tmp_path / "new.yaml"
    path.write_text(
        yaml.safe_dump(
            [
                {
                    "id": "stad-gent",
                    "type": "city",
                    "name": "Stad Gent",
                    "aliases": ["Gent"],
                    "territory": ["BE234"],
                    "province": "prov-oost-vlaanderen",
                    "doc": "001",
                    "line": 2266,
                }
            ]
        )
    )
    assert registry.import_records("actors", path, user="ann") == 1
    assert registry.get("actors", "stad-gent")["territory"] == ["BE234"]
    hist = registry.history("actors", "stad-gent")
    assert list(hist["action"]) == ["insert"] and hist["before"].iloc[0] is None


def test_bad_files(registry, tmp_path):
    with pytest.raises(RegistryError, match="no such file"):
        registry.import_records("actors", tmp_path / "missing.csv")
    bad = tmp_path / "x.json"
    bad.write_text("{not json")
    with pytest.raises(RegistryError, match="cannot parse"):
        registry.import_records("actors", bad)
    with pytest.raises(RegistryError, match="unknown kind"):
        registry.import_records("people", bad)
    with pytest.raises(RegistryError, match="geojson is only"):
        registry.export("actors", "geojson")


def test_default_url_from_environment(monkeypatch, tmp_path):
    from speerpunt.registry.store import default_url

    monkeypatch.setenv("SPEERPUNT_DB", f"sqlite:///{tmp_path / 'env.sqlite'}")
    assert default_url().endswith("env.sqlite")
    monkeypatch.delenv("SPEERPUNT_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_url().startswith("sqlite:///") and default_url().endswith("registry.sqlite")
    assert Path(default_url().removeprefix("sqlite:///")).parent.is_dir()


def test_snapshot_reads_each_kind_once_and_gives_the_same_frames(tmp_path):
    """Inside ``snapshot()`` records() equals the uncached read, a caller's change to its copy does not
    leak, a write empties the snapshot, and another thread reads the database itself."""
    import threading

    from speerpunt.registry.store import Registry

    reg = Registry(f"sqlite:///{tmp_path / 'r.db'}", create=True)
    kinds = ["actors", "selections", "features", "sectors", "documents", "clusters"]
    plain = {k: reg.records(k) for k in kinds}
    plain_sel = reg.selections(sector="chemie")
    reads = []
    original = reg.rows

    def counting_rows(kind):
        reads.append(kind)
        return original(kind)

    reg.rows = counting_rows
    with reg.snapshot():
        for _ in range(3):
            for k in kinds:
                pd.testing.assert_frame_equal(reg.records(k), plain[k])
        pd.testing.assert_frame_equal(reg.selections(sector="chemie"), plain_sel)
        assert sorted(reads) == sorted(kinds)  # one database read per kind
        mine = reg.records("actors")
        mine["name"] = "changed"
        assert (reg.records("actors")["name"] == plain["actors"]["name"]).all()
        # another thread is not served from this thread's snapshot
        seen = []
        t = threading.Thread(target=lambda: seen.append(reg.records("sectors")))
        t.start()
        t.join()
        assert reads.count("sectors") == 2 and seen[0].equals(plain["sectors"])
        a = reg.get("actors", "prov-antwerpen")
        reg.update_record(
            "actors", a["id"], {"name": "Provincie X"}, user="u", expected_version=a["version"]
        )
        names = reg.records("actors").set_index("id")["name"]
        assert names["prov-antwerpen"] == "Provincie X"
    reads.clear()
    reg.records("actors")
    assert reads == ["actors"]  # after the block every call reads again
    reg.close()
