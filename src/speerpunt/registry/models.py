"""The registry's tables as typed SQLAlchemy 2 declarative models.

Every curated record carries its provenance (``doc``: the seed document, ``line``: the line in it),
a validity period (``valid_from`` / ``valid_to``) and a ``version`` used for optimistic locking
(SQLAlchemy's ``version_id_col``: an UPDATE that finds another version changes no row and fails).
Lists (aliases, territory, NACE codes, actors of a feature) are JSON columns, which SQLite and
PostgreSQL both store. The schema itself is created by the Alembic migrations in ``migrations/``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the registry."""


class Record(Base):
    """Columns every curated record has: key, provenance, validity and version."""

    __abstract__ = True

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    doc: Mapped[str | None] = mapped_column(String(40))
    line: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}


class Sector(Record):
    """A canonical sector with its NACE definition and the panel aggregate that contains it."""

    __tablename__ = "sectors"
    en: Mapped[str] = mapped_column(String(120))
    nl: Mapped[str] = mapped_column(String(120))
    nace: Mapped[list[str]] = mapped_column(JSON, default=list)
    aggregate: Mapped[str | None] = mapped_column(String(20))
    aggregate_note: Mapped[str | None] = mapped_column(Text)
    patterns: Mapped[list[str]] = mapped_column(JSON, default=list)


class Actor(Record):
    """A province, RESOC, city, cluster organisation, knowledge institution or other actor."""

    __tablename__ = "actors"
    type: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    territory: Mapped[list[str]] = mapped_column(JSON, default=list)
    province: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(20))


class Document(Record):
    """A strategy document of an actor, or one of the seed documents."""

    __tablename__ = "documents"
    type: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    period: Mapped[str | None] = mapped_column(String(40))
    year: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str | None] = mapped_column(ForeignKey("actors.id"))
    generation: Mapped[str | None] = mapped_column(String(40))


class Selection(Record):
    """A spearhead chosen by an actor: the label as written and its canonical sector."""

    __tablename__ = "selections"
    actor: Mapped[str] = mapped_column(ForeignKey("actors.id"))
    label: Mapped[str] = mapped_column(String(300))
    sector: Mapped[str] = mapped_column(ForeignKey("sectors.id"))
    nace: Mapped[list[str]] = mapped_column(JSON, default=list)
    document: Mapped[str | None] = mapped_column(ForeignKey("documents.id"))
    year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    ambiguous: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)


class Feature(Record):
    """A point, zone or connection on a province × sector map, with its geometry if known."""

    __tablename__ = "features"
    province: Mapped[str] = mapped_column(ForeignKey("actors.id"))
    sector: Mapped[str] = mapped_column(ForeignKey("sectors.id"))
    figure: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    subtype: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    place: Mapped[str | None] = mapped_column(String(300))
    actors: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer)
    remark: Mapped[str | None] = mapped_column(Text)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    polygon: Mapped[list[Any] | None] = mapped_column(JSON)
    precision: Mapped[str] = mapped_column(String(20), default="unknown")


class Criterion(Record):
    """One of the 22 criteria of the coding frame for strategy documents."""

    __tablename__ = "criteria"
    category: Mapped[str] = mapped_column(String(40))
    nl: Mapped[str] = mapped_column(String(200))
    question: Mapped[str | None] = mapped_column(Text)


class Assessment(Record):
    """An actor's strategy document coded on one criterion: explicit, implicit or absent."""

    __tablename__ = "assessments"
    actor: Mapped[str] = mapped_column(ForeignKey("actors.id"))
    criterion: Mapped[str] = mapped_column(ForeignKey("criteria.id"))
    code: Mapped[str] = mapped_column(String(20))
    quote: Mapped[str | None] = mapped_column(Text)
    document: Mapped[str | None] = mapped_column(ForeignKey("documents.id"))


class Cluster(Record):
    """A (Flemish spearhead) cluster with its domains and the canonical sectors it links to."""

    __tablename__ = "clusters"
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(60))
    domains: Mapped[str | None] = mapped_column(Text)
    sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    stage: Mapped[str | None] = mapped_column(String(40))


class ClusterStage(Record):
    """One step in a cluster's life: pre-cluster → learning platform → cluster → roadmap → valorisation."""

    __tablename__ = "cluster_stages"
    cluster: Mapped[str] = mapped_column(ForeignKey("clusters.id"))
    stage: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)


class Instrument(Record):
    """A policy instrument: subsidy, fund, call or programme, with its amount in euro if stated."""

    __tablename__ = "instruments"
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    amount: Mapped[float | None] = mapped_column(Float)
    amount_note: Mapped[str | None] = mapped_column(Text)
    target_group: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[str | None] = mapped_column(Text)
    sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    actors: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)


class Project(Record):
    """A transformation, flagship or (pre-)cluster project: duration, budget, partners."""

    __tablename__ = "projects"
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    duration_months: Mapped[int | None] = mapped_column(Integer)
    budget: Mapped[float | None] = mapped_column(Float)
    partners: Mapped[list[str]] = mapped_column(JSON, default=list)
    sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    actors: Mapped[list[str]] = mapped_column(JSON, default=list)
    instrument: Mapped[str | None] = mapped_column(ForeignKey("instruments.id"))
    cluster: Mapped[str | None] = mapped_column(ForeignKey("clusters.id"))
    note: Mapped[str | None] = mapped_column(Text)


class Recommendation(Record):
    """A recommendation or action for one sector and building block, with owner, status and date."""

    __tablename__ = "recommendations"
    sector: Mapped[str] = mapped_column(ForeignKey("sectors.id"))
    building_block: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(ForeignKey("actors.id"))
    status: Mapped[str] = mapped_column(String(20))
    date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class SurveyAnswer(Record):
    """An aggregated answer to one question of a survey: how many of ``base`` respondents gave it."""

    __tablename__ = "survey"
    question: Mapped[str] = mapped_column(Text)
    figure: Mapped[str | None] = mapped_column(String(40))
    answer: Mapped[str] = mapped_column(Text)
    count: Mapped[int | None] = mapped_column(Integer)
    base: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


class PolicyDomain(Record):
    """A policy domain of an actor (the seven provincial domains of 003), with the sectors it serves."""

    __tablename__ = "policy_domains"
    name: Mapped[str] = mapped_column(String(200))
    actor: Mapped[str | None] = mapped_column(ForeignKey("actors.id"))
    sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)


class History(Base):
    """One change of one record: who, when, which table and record, the row before and after."""

    __tablename__ = "history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    user: Mapped[str] = mapped_column(String(120))
    table: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


# kind name (CLI, import/export) → model; the order is the order of loading (foreign keys)
MODELS: dict[str, type[Record]] = {
    "sectors": Sector,
    "actors": Actor,
    "documents": Document,
    "criteria": Criterion,
    "clusters": Cluster,
    "selections": Selection,
    "features": Feature,
    "assessments": Assessment,
    "cluster_stages": ClusterStage,
    "instruments": Instrument,
    "projects": Project,
    "recommendations": Recommendation,
    "survey": SurveyAnswer,
    "policy_domains": PolicyDomain,
}
