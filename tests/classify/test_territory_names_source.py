"""The named territories come from the registry's actors.yaml without importing the registry's database layer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

import speerpunt
from speerpunt.classify import territories


def test_registry_territories_match_the_actors_file():
    # Independent read of the shipped file: every actor with a territory is one named territory.
    path = Path(speerpunt.__file__).parent / "registry" / "data" / "actors.yaml"
    actors = [a for a in yaml.safe_load(path.read_text("utf-8"))["actors"] if a.get("territory")]
    t = territories().set_index("id")
    assert len(t) == len(actors) > 0
    for a in actors:
        key = a["id"].replace("resoc-", "resoc:").replace("prov-", "prov:")
        assert t.loc[key, "name"] == a["name"]
        assert t.loc[key, "members"] == "+".join(a["territory"])


def test_region_names_do_not_import_the_registry_store():
    # The report names its regions through the territories; that must not pull in SQLAlchemy/alembic.
    code = (
        "import sys; from speerpunt.i18n.names import region_name; "
        "print(region_name('BE21', 'nl')); "
        "print('speerpunt.registry.store' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == "Provincie Antwerpen"
    assert out[1] == "False"
