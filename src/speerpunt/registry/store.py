"""The registry store: schema migrations, queries, edits with history, import and export.

The database URL comes from the caller (``--db``), else the environment variable ``SPEERPUNT_DB``,
else a SQLite file in the user's data folder. SQLite and PostgreSQL (``postgresql+psycopg://…``)
are supported; the schema is created and upgraded by the Alembic migrations in ``migrations/``.

Every write goes through :class:`Registry` and leaves one :class:`~speerpunt.registry.models.History`
row per changed record (who, when, table, record id, the row before and after, as JSON).

Example
-------
>>> reg = Registry("sqlite://", create=True)      # in memory, schema at head, curated data loaded
>>> len(reg.actors().query("type in ['province', 'RESOC']"))
20
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

import pandas as pd
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, Float, Integer, create_engine, event, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import StaticPool

from speerpunt.errors import Joined, RegistryError, Text
from speerpunt.registry import records as rec
from speerpunt.registry.curated import alias_index, curated_records, normalise_sector
from speerpunt.registry.models import MODELS, History

ENV = "SPEERPUNT_DB"
# kinds no other table points to: a curated record of these that a new release dropped can be deleted
RETIRABLE = (
    "selections",
    "features",
    "assessments",
    "cluster_stages",
    "recommendations",
    "survey",
    "policy_domains",
)

#: The registry's data version (see Registry.data_version), built once.
_HISTORY_COUNT = select(func.count(History.id))


def default_url() -> str:
    """``$SPEERPUNT_DB`` or ``sqlite:///<user data dir>/speerpunt/registry.sqlite``."""
    if os.environ.get(ENV):
        return os.environ[ENV]
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("speerpunt"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'registry.sqlite'}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default :func:`default_url`); SQLite gets foreign keys switched on."""
    url = url or default_url()
    try:
        if url in ("sqlite://", "sqlite:///:memory:"):
            # one shared connection, or every session would see its own empty in-memory database
            engine = create_engine(
                url, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            engine = create_engine(url)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        raise RegistryError(
            Text("rg_bad_db_url", url=url, reason=str(exc)), column="--db"
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA foreign_keys=ON"))
    return engine


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("speerpunt.registry") / "migrations"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Run the migrations up to head on ``engine``."""
    cfg = _alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except SQLAlchemyError as exc:
        raise RegistryError(Text("rg_cannot_migrate", reason=str(exc).splitlines()[0])) from None


def init_db(url: str | None = None) -> str:
    """Create or upgrade the schema at ``url`` to the newest migration; return the URL used."""
    url = url or default_url()
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return url


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _row(obj: Any, kind: str) -> dict[str, Any]:
    return {name: rec.to_plain(getattr(obj, name)) for name in rec.fields(kind)}


class Registry:
    """The policy registry behind one database URL.

    Parameters
    ----------
    url : database URL; ``None`` = ``$SPEERPUNT_DB`` or the SQLite file in the user data folder.
    create : upgrade the schema to head first and, if the database is empty, load the curated data.

    Queries return pandas DataFrames with one column per field (lists stay Python lists).
    """

    def __init__(self, url: str | None = None, *, create: bool = False) -> None:
        self.url = url or default_url()
        self.engine = make_engine(self.url)
        self._local = threading.local()  # per-thread snapshot of read records (see snapshot)
        if create:
            upgrade(self.engine)
            if self.count("actors") == 0:
                self.load_curated()

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """One transaction: committed at the end, rolled back on any error."""
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except StaleDataError:
            raise RegistryError(Text("rg_stale")) from None
        except SQLAlchemyError as exc:
            raise RegistryError(
                Text("rg_database_error", reason=str(exc).splitlines()[0])
            ) from None

    # ---- reading -------------------------------------------------------------------------
    def count(self, kind: str) -> int:
        """Number of records of a kind (0 when the schema does not exist yet)."""
        model = MODELS[rec.check_kind(kind)]
        try:
            with Session(self.engine) as session:
                return len(session.scalars(select(model.id)).all())
        except SQLAlchemyError:
            return 0

    def rows(self, kind: str) -> list[dict[str, Any]]:
        """Every record of a kind as plain dicts (with ``version``), ordered by id."""
        model = MODELS[rec.check_kind(kind)]
        with self._session() as session:
            objs = session.scalars(select(model).order_by(model.id)).all()
            return [_row(o, kind) | {"version": o.version} for o in objs]

    @contextmanager
    def snapshot(self) -> Iterator[Registry]:
        """Inside the block this thread reads each kind once: :meth:`records` (and so ``actors``,
        ``selections``, ``features`` …) returns a copy of the first read.

        For read-only work that queries the same tables many times, such as a report's sector pages (12
        pages, 160 reads of 11 tables). Other threads are not affected; a write in this thread empties the
        snapshot. Cells holding lists are shared between the copies: do not change them in place.
        """
        outer = getattr(self._local, "records", None)
        if outer is None:
            self._local.records = {}
        try:
            yield self
        finally:
            if outer is None:
                self._local.records = None

    def records(self, kind: str) -> pd.DataFrame:
        """Every record of a kind, ordered by id, with a ``version`` column.

        Integer fields are pandas nullable integers (``Int64``): a missing year stays missing.
        """
        cache = getattr(self._local, "records", None)
        if cache is None:
            return self._read_records(kind)
        if kind not in cache:
            cache[kind] = self._read_records(kind)
        return cache[kind].copy(deep=True)

    def _read_records(self, kind: str) -> pd.DataFrame:
        rows = self.rows(kind)
        cols = [*rec.fields(kind), "version"]
        df = pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype=object) for c in cols})
        for name, ctype in rec.column_types(kind).items():
            if isinstance(ctype, Integer):
                df[name] = df[name].astype("Int64")
            elif isinstance(ctype, Float):
                df[name] = df[name].astype("float64")
        return df

    def get(self, kind: str, record_id: str) -> dict[str, Any]:
        """One record as a dict (with ``version``)."""
        model = MODELS[rec.check_kind(kind)]
        with self._session() as session:
            obj = session.get(model, record_id)
            if obj is None:
                raise RegistryError(Text("rg_no_record", what=rec.kind_word(kind), id=record_id))
            return _row(obj, kind) | {"version": obj.version}

    def actor_id(self, name: str) -> str:
        """Resolve an actor id, name or alias (e.g. 'RESOC Turnhout') to its id."""
        actors = self.records("actors").to_dict("records")
        key = name.strip().lower()
        index = alias_index(actors)
        if key not in index:
            raise RegistryError(Text("rg_unknown_actor", name=name), column="--actor")
        return index[key]

    def sector_id(self, name: str) -> str:
        """Resolve a canonical sector id, English/Dutch name or a label as written to its id."""
        sectors = self.records("sectors")
        key = name.strip().lower()
        for col in ("id", "en", "nl"):
            hit = sectors[sectors[col].str.lower() == key]
            if len(hit):
                return str(hit["id"].iloc[0])
        found = normalise_sector(name, tuple(sectors.to_dict("records")))
        if found is None:
            raise RegistryError(Text("rg_unknown_sector", sector=name), column="--sector")
        return found

    def actors(self, type: str | None = None) -> pd.DataFrame:  # noqa: A002 - the field's name
        """Actors, optionally of one type (province, RESOC, …)."""
        df = self.records("actors")
        return df[df["type"] == type].reset_index(drop=True) if type else df

    def selections(self, actor: str | None = None, sector: str | None = None) -> pd.DataFrame:
        """Spearhead selections with the actor's name, type and province and the document's generation."""
        df = self.records("selections")
        actors = self.records("actors").set_index("id")
        docs = self.records("documents").set_index("id")
        df["actor_name"] = df["actor"].map(actors["name"])
        df["actor_type"] = df["actor"].map(actors["type"])
        df["actor_province"] = df["actor"].map(actors["province"])
        df["generation"] = df["document"].map(docs["generation"])
        if actor:
            df = df[df["actor"] == self.actor_id(actor)]
        if sector:
            df = df[df["sector"] == self.sector_id(sector)]
        return df.reset_index(drop=True)

    def features(
        self, sector: str | None = None, actor: str | None = None, province: str | None = None
    ) -> pd.DataFrame:
        """Map features, filtered by sector, by an actor among the feature's actors, by province map."""
        df = self.records("features")
        if sector:
            df = df[df["sector"] == self.sector_id(sector)]
        if actor:
            who = self.actor_id(actor)
            df = df[df["actors"].map(lambda a: who in (a or []))]
        if province:
            df = df[df["province"] == self.actor_id(province)]
        return df.reset_index(drop=True)

    def data_version(self) -> int:
        """A number that grows with every committed write: the count of history rows.

        Every write leaves its history rows in the same transaction (:meth:`_write`, :meth:`_retire`) and
        history is never deleted, so the count rises at each commit that changed anything, whatever the
        process (web workers share it through the database). Not ``max(id)``: on PostgreSQL a transaction
        holding a lower id can commit after one holding a higher id, and the max would not move.
        0 when the schema does not exist yet.

        >>> reg = Registry("sqlite://", create=True)
        >>> v = reg.data_version()
        >>> a = reg.get("actors", "prov-antwerpen")
        >>> _ = reg.update_record("actors", a["id"], {"name": "Provincie X"}, user="u", expected_version=a["version"])
        >>> reg.data_version() == v + 1
        True
        """
        try:
            # a Core connection, not an ORM session: the web app asks on every registry request, and
            # the session cost ~0.26 ms of CPU against ~0.08 ms for the same query here
            with self.engine.connect() as conn:
                return int(conn.execute(_HISTORY_COUNT).scalar() or 0)
        except SQLAlchemyError:
            return 0

    def history(self, kind: str | None = None, record_id: str | None = None) -> pd.DataFrame:
        """Change history (id, at, user, table, record_id, action, before, after), oldest first."""
        stmt = select(History).order_by(History.id)
        if kind:
            stmt = stmt.where(History.table == rec.check_kind(kind))
        if record_id:
            stmt = stmt.where(History.record_id == record_id)
        cols = ["id", "at", "user", "table", "record_id", "action", "before", "after"]
        with self._session() as session:
            rows = [{c: getattr(h, c) for c in cols} for h in session.scalars(stmt)]
        return pd.DataFrame(rows, columns=cols)

    # ---- writing -------------------------------------------------------------------------
    def _known_ids(self, session: Session) -> dict[str, set[str]]:
        return {k: set(session.scalars(select(m.id)).all()) for k, m in MODELS.items()}

    def _write(
        self,
        session: Session,
        kind: str,
        records: list[Mapping[str, Any]],
        user: str,
        action: str | None = None,
    ) -> None:
        """Insert or update records of one kind and log each change (one query for the existing ones)."""
        self._forget_snapshot()
        model = MODELS[kind]
        ids = [r["id"] for r in records]
        existing = {o.id: o for o in session.scalars(select(model).where(model.id.in_(ids)))}
        for record in records:
            obj = existing.get(record["id"])
            before = None if obj is None else _row(obj, kind)
            values = {k: v for k, v in record.items() if k != "version"}
            if obj is None:
                obj = model(**values)
                session.add(obj)
            else:
                for key, value in values.items():
                    setattr(obj, key, value)
            after = _row(obj, kind)
            if before != after:
                session.add(
                    History(
                        at=_now(),
                        user=user,
                        table=kind,
                        record_id=str(record["id"]),
                        action=action or ("insert" if before is None else "update"),
                        before=before,
                        after=after,
                    )
                )
        session.flush()

    def _forget_snapshot(self) -> None:
        """A write empties this thread's snapshot (see :meth:`snapshot`)."""
        if getattr(self._local, "records", None) is not None:
            self._local.records = {}

    def load_curated(self, user: str = "curated-data") -> dict[str, int]:
        """Load (or refresh) the curated dataset shipped with the package; counts per kind."""
        data = curated_records()
        with self._session() as session:
            known = self._known_ids(session)
            for kind, rows in data.items():
                known[kind] = known[kind] | {r["id"] for r in rows}
                typed, problems = rec.validate(kind, list(enumerate(rows, 1)), False, known)
                if problems:  # a broken data file in the package: say where
                    raise RegistryError(Joined(problems[:5], "; "), file=f"curated {kind}")
                self._write(session, kind, typed, user)
            for kind in RETIRABLE:
                self._retire(session, kind, {r["id"] for r in data[kind]}, user)
        return {kind: len(rows) for kind, rows in data.items()}

    def _retire(self, session: Session, kind: str, current: set[str], user: str) -> None:
        """Delete records an older curated release loaded that the current one no longer has.

        A corrected fact can change a record's id (a cell given to another actor): without this, an
        upgraded database would keep the wrong record next to the right one. Only records that only
        ``user`` (the curated loader) ever wrote are removed; one a person touched is kept.
        """
        self._forget_snapshot()
        model = MODELS[kind]
        stale = set(session.scalars(select(model.id)).all()) - current
        if not stale:
            return
        writers = session.execute(
            select(History.record_id, History.user).where(
                History.table == kind, History.record_id.in_(sorted(stale))
            )
        ).all()
        touched = {rid for rid, who in writers if who != user}
        ours = {rid for rid, who in writers if who == user}
        for rid in sorted((stale & ours) - touched):
            obj = session.get(model, rid)
            session.add(
                History(
                    at=_now(),
                    user=user,
                    table=kind,
                    record_id=rid,
                    action="delete",
                    before=_row(obj, kind),
                    after=None,
                )
            )
            session.delete(obj)
        session.flush()

    def update_record(
        self,
        kind: str,
        record_id: str,
        changes: Mapping[str, Any],
        *,
        user: str,
        expected_version: int,
    ) -> dict[str, Any]:
        """Change fields of one record if it is still at ``expected_version``; return the new record.

        Raises :class:`RegistryError` when the record moved on (someone else saved first), when a
        field is unknown or read-only, or when the new values do not validate.
        """
        model = MODELS[rec.check_kind(kind)]
        bad = sorted(set(changes) - set(rec.fields(kind)) | ({"id", "version"} & set(changes)))
        if bad:
            raise RegistryError(Text("rg_cannot_change", fields=", ".join(bad), kind=kind))
        with self._session() as session:
            obj = session.get(model, record_id)
            if obj is None:
                raise RegistryError(Text("rg_no_record", what=rec.kind_word(kind), id=record_id))
            if obj.version != expected_version:
                raise RegistryError(
                    Text(
                        "rg_stale_version",
                        what=rec.kind_word(kind),
                        id=record_id,
                        version=obj.version,
                        expected=expected_version,
                    )
                )
            merged = _row(obj, kind) | dict(changes)
            typed, problems = rec.validate(kind, [(1, merged)], False, self._known_ids(session))
            if problems:
                raise RegistryError(problems[0].fields["errors"], column=kind)
            self._write(session, kind, typed, user, action="update")
            return _row(obj, kind) | {"version": obj.version}

    def add_record(self, kind: str, values: Mapping[str, Any], *, user: str) -> dict[str, Any]:
        """Insert one new record (the web form's "new"): validated like an import, refused if the id exists."""
        model = MODELS[rec.check_kind(kind)]
        with self._session() as session:
            if values.get("id") and session.get(model, values["id"]) is not None:
                raise RegistryError(
                    Text("rg_exists", what=rec.kind_word(kind), id=values["id"]), column="id"
                )
            typed, problems = rec.validate(
                kind, [(1, dict(values))], False, self._known_ids(session)
            )
            if problems:
                raise RegistryError(problems[0].fields["errors"], column=kind)
            self._write(session, kind, typed, user, action="insert")
        return self.get(kind, typed[0]["id"])

    def import_records(self, kind: str, path: str | Path, *, user: str = "import") -> int:
        """Insert or update every record of a CSV/JSON/YAML/GeoJSON file in one transaction.

        All records are validated first; if any is bad nothing is written and the error lists every
        bad record with its line (CSV) or position (JSON/YAML). Returns the number of records.
        """
        rec.check_kind(kind)
        path = Path(path)
        rows, from_text = rec.read_rows(path)
        with self._session() as session:
            records, problems = rec.validate(kind, rows, from_text, self._known_ids(session))
            if problems:
                raise RegistryError(
                    Text("rg_bad_records", n=len(problems), problems=Joined(problems, " | ")),
                    file=str(path),
                )
            self._write(session, kind, records, user)
        return len(records)

    def export(self, kind: str, fmt: str = "csv", out: str | Path | None = None) -> str:
        """The records of a kind as csv, json, yaml (or geojson for features); written to ``out`` if given."""
        text = rec.write_rows(kind, self.rows(kind), fmt)
        if out is not None:
            Path(out).write_text(text, encoding="utf-8")
        return text
