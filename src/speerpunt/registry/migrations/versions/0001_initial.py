"""Initial registry schema: sectors, actors, documents, criteria, clusters, selections, features,
assessments and the history table.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _record_columns() -> list[sa.Column]:
    """Key, provenance, validity and version: the columns every curated table has."""
    return [
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("doc", sa.String(40)),
        sa.Column("line", sa.Integer),
        sa.Column("valid_from", sa.Date),
        sa.Column("valid_to", sa.Date),
        sa.Column("version", sa.Integer, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "sectors",
        *_record_columns(),
        sa.Column("en", sa.String(120)),
        sa.Column("nl", sa.String(120)),
        sa.Column("nace", sa.JSON),
        sa.Column("aggregate", sa.String(20)),
        sa.Column("aggregate_note", sa.Text),
        sa.Column("patterns", sa.JSON),
    )
    op.create_table(
        "actors",
        *_record_columns(),
        sa.Column("type", sa.String(40)),
        sa.Column("name", sa.String(200)),
        sa.Column("aliases", sa.JSON),
        sa.Column("territory", sa.JSON),
        sa.Column("province", sa.String(80)),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "documents",
        *_record_columns(),
        sa.Column("type", sa.String(40)),
        sa.Column("title", sa.String(300)),
        sa.Column("period", sa.String(40)),
        sa.Column("year", sa.Integer),
        sa.Column("actor", sa.String(80), sa.ForeignKey("actors.id")),
        sa.Column("generation", sa.String(40)),
    )
    op.create_table(
        "criteria",
        *_record_columns(),
        sa.Column("category", sa.String(40)),
        sa.Column("nl", sa.String(200)),
        sa.Column("question", sa.Text),
    )
    op.create_table(
        "clusters",
        *_record_columns(),
        sa.Column("name", sa.String(200)),
        sa.Column("kind", sa.String(60)),
        sa.Column("domains", sa.Text),
        sa.Column("sectors", sa.JSON),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "selections",
        *_record_columns(),
        sa.Column("actor", sa.String(80), sa.ForeignKey("actors.id")),
        sa.Column("label", sa.String(300)),
        sa.Column("sector", sa.String(80), sa.ForeignKey("sectors.id")),
        sa.Column("nace", sa.JSON),
        sa.Column("document", sa.String(80), sa.ForeignKey("documents.id")),
        sa.Column("year", sa.Integer),
        sa.Column("status", sa.String(20)),
        sa.Column("ambiguous", sa.Boolean),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "features",
        *_record_columns(),
        sa.Column("province", sa.String(80), sa.ForeignKey("actors.id")),
        sa.Column("sector", sa.String(80), sa.ForeignKey("sectors.id")),
        sa.Column("figure", sa.String(20)),
        sa.Column("kind", sa.String(20)),
        sa.Column("subtype", sa.String(20)),
        sa.Column("name", sa.String(300)),
        sa.Column("place", sa.String(300)),
        sa.Column("actors", sa.JSON),
        sa.Column("source", sa.String(200)),
        sa.Column("year", sa.Integer),
        sa.Column("remark", sa.Text),
        sa.Column("lon", sa.Float),
        sa.Column("lat", sa.Float),
        sa.Column("regions", sa.JSON),
        sa.Column("polygon", sa.JSON),
        sa.Column("precision", sa.String(20)),
    )
    op.create_table(
        "assessments",
        *_record_columns(),
        sa.Column("actor", sa.String(80), sa.ForeignKey("actors.id")),
        sa.Column("criterion", sa.String(80), sa.ForeignKey("criteria.id")),
        sa.Column("code", sa.String(20)),
        sa.Column("quote", sa.Text),
    )
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True)),
        sa.Column("user", sa.String(120)),
        sa.Column("table", sa.String(40)),
        sa.Column("record_id", sa.String(80)),
        sa.Column("action", sa.String(20)),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
    )
    op.create_index("ix_history_record", "history", ["table", "record_id"])
    op.create_index("ix_selections_actor", "selections", ["actor"])
    op.create_index("ix_features_sector", "features", ["sector"])


def downgrade() -> None:
    op.drop_index("ix_features_sector", "features")
    op.drop_index("ix_selections_actor", "selections")
    op.drop_index("ix_history_record", "history")
    for table in (
        "history",
        "assessments",
        "features",
        "selections",
        "clusters",
        "criteria",
        "documents",
        "actors",
        "sectors",
    ):
        op.drop_table(table)
