"""Backends for the registry tests: every test that takes ``db_url`` or ``registry`` runs on SQLite
and on the PostgreSQL server that ``scripts/setup.d/10-postgres.sh`` starts (``make test`` runs it first).

The PostgreSQL fixture fails (never skips) when the server cannot be reached. Its URL comes from
``$SPEERPUNT_TEST_PG`` or the file ``/tmp/speerpunt-pg/url`` written by the setup script.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from speerpunt.registry.store import Registry, init_db

PG_URL_FILE = Path("/tmp/speerpunt-pg/url")
SEEDS = {
    "000": "000_5f628ccc190b7276.txt",
    "001": "001_b9a7bd31d35a8ce6.txt",
    "002": "002_9f7e02f9a37e2fe8.txt",
    "003": "003_5dded1aa7ac0127d.txt",
}
BACKENDS = ["sqlite", "postgresql"]
# database names unique per test process, so parallel runs (pytest-xdist, two checkouts) never collide
SUFFIX = f"{os.environ.get('PYTEST_XDIST_WORKER', 'w')}_{os.getpid()}"


def pg_url() -> str:
    url = os.environ.get("SPEERPUNT_TEST_PG") or (
        PG_URL_FILE.read_text().strip() if PG_URL_FILE.is_file() else ""
    )
    if not url:
        pytest.fail(
            "no PostgreSQL for the registry tests: run 'bash scripts/setup-services' as root "
            f"(it writes {PG_URL_FILE}) or set SPEERPUNT_TEST_PG"
        )
    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any driver error means the server is not usable
        pytest.fail(
            f"PostgreSQL at {url} is not reachable ({exc.__class__.__name__}): "
            "run 'bash scripts/setup-services'"
        )
    return url


def _drop(base: str, names: list[str]) -> None:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _pg_database(base: str, name: str, template: str | None = None) -> str:
    """(Re)create database ``name`` on the server of ``base``, optionally from a template."""
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(
            text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        )
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def loaded_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A database per backend with the schema at head and the curated data loaded, built once."""
    sqlite_file = tmp_path_factory.mktemp("registry") / "template.sqlite"
    Registry(f"sqlite:///{sqlite_file}", create=True).close()
    base = pg_url()
    template = f"speerpunt_template_{SUFFIX}"
    Registry(_pg_database(base, template), create=True).close()
    yield {"sqlite": str(sqlite_file), "postgresql": template, "pg_base": base}
    _drop(base, [template, f"speerpunt_case_{SUFFIX}", f"speerpunt_empty_{SUFFIX}"])


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database (no schema) on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite'}"
    return _pg_database(pg_url(), f"speerpunt_empty_{SUFFIX}")


@pytest.fixture(params=BACKENDS)
def loaded_url(
    request: pytest.FixtureRequest, tmp_path: Path, loaded_template: dict[str, str]
) -> str:
    """A fresh copy of the loaded registry on each backend."""
    if request.param == "sqlite":
        target = tmp_path / "registry.sqlite"
        shutil.copy(loaded_template["sqlite"], target)
        return f"sqlite:///{target}"
    return _pg_database(
        loaded_template["pg_base"],
        f"speerpunt_case_{SUFFIX}",
        template=loaded_template["postgresql"],
    )


@pytest.fixture
def registry(loaded_url: str) -> Iterator[Registry]:
    reg = Registry(loaded_url)
    yield reg
    reg.close()


@pytest.fixture
def empty_registry(db_url: str) -> Iterator[Registry]:
    """Schema at head, no data."""
    init_db(db_url)
    reg = Registry(db_url)
    yield reg
    reg.close()


@pytest.fixture(scope="session")
def seed(shared_dir: Path):
    """``seed(doc, line)``: one line of a seed document, whitespace collapsed; ``seed.texts`` all lines."""
    texts = {
        k: (shared_dir / "seeds" / v).read_text(encoding="utf-8").splitlines()
        for k, v in SEEDS.items()
    }

    def line(doc: str, number: int) -> str:
        return " ".join(texts[doc][number - 1].split())

    line.texts = texts  # type: ignore[attr-defined]
    return line


@pytest.fixture(scope="session")
def data() -> dict:
    """The curated records as shipped (before loading)."""
    from speerpunt.registry.curated import curated_records

    return curated_records()
