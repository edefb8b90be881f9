"""Policy objects linked to sectors and actors: instruments, projects, cluster stages,
recommendations, survey answers and policy domains; actors get a country, assessments a document,
clusters their current lifecycle stage.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _record_columns() -> list[sa.Column]:
    """Key, provenance, validity and version (as in 0001: a migration never imports the models)."""
    return [
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("doc", sa.String(40)),
        sa.Column("line", sa.Integer),
        sa.Column("valid_from", sa.Date),
        sa.Column("valid_to", sa.Date),
        sa.Column("version", sa.Integer, nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("actors") as batch:
        batch.add_column(sa.Column("country", sa.String(20)))
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("document", sa.String(80)))
        batch.create_foreign_key("fk_assessments_document", "documents", ["document"], ["id"])
    with op.batch_alter_table("clusters") as batch:
        batch.add_column(sa.Column("stage", sa.String(40)))
    op.create_table(
        "cluster_stages",
        *_record_columns(),
        sa.Column("cluster", sa.String(80), sa.ForeignKey("clusters.id")),
        sa.Column("stage", sa.String(40)),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "instruments",
        *_record_columns(),
        sa.Column("name", sa.String(200)),
        sa.Column("level", sa.String(20)),
        sa.Column("kind", sa.String(40)),
        sa.Column("amount", sa.Float),
        sa.Column("amount_note", sa.Text),
        sa.Column("target_group", sa.Text),
        sa.Column("conditions", sa.Text),
        sa.Column("sectors", sa.JSON),
        sa.Column("actors", sa.JSON),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "projects",
        *_record_columns(),
        sa.Column("name", sa.String(200)),
        sa.Column("kind", sa.String(40)),
        sa.Column("duration_months", sa.Integer),
        sa.Column("budget", sa.Float),
        sa.Column("partners", sa.JSON),
        sa.Column("sectors", sa.JSON),
        sa.Column("actors", sa.JSON),
        sa.Column("instrument", sa.String(80), sa.ForeignKey("instruments.id")),
        sa.Column("cluster", sa.String(80), sa.ForeignKey("clusters.id")),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "recommendations",
        *_record_columns(),
        sa.Column("sector", sa.String(80), sa.ForeignKey("sectors.id")),
        sa.Column("building_block", sa.String(120)),
        sa.Column("text", sa.Text),
        sa.Column("owner", sa.String(80), sa.ForeignKey("actors.id")),
        sa.Column("status", sa.String(20)),
        sa.Column("date", sa.Date),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "survey",
        *_record_columns(),
        sa.Column("question", sa.Text),
        sa.Column("figure", sa.String(40)),
        sa.Column("answer", sa.Text),
        sa.Column("count", sa.Integer),
        sa.Column("base", sa.Integer),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "policy_domains",
        *_record_columns(),
        sa.Column("name", sa.String(200)),
        sa.Column("actor", sa.String(80), sa.ForeignKey("actors.id")),
        sa.Column("sectors", sa.JSON),
        sa.Column("note", sa.Text),
    )
    op.create_index("ix_recommendations_sector", "recommendations", ["sector"])


def downgrade() -> None:
    op.drop_index("ix_recommendations_sector", "recommendations")
    for table in (
        "policy_domains",
        "survey",
        "recommendations",
        "projects",
        "instruments",
        "cluster_stages",
    ):
        op.drop_table(table)
    with op.batch_alter_table("clusters") as batch:
        batch.drop_column("stage")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_constraint("fk_assessments_document", type_="foreignkey")
        batch.drop_column("document")
    with op.batch_alter_table("actors") as batch:
        batch.drop_column("country")
