"""Alembic environment: runs online against the connection or URL given by the caller."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from speerpunt.registry.models import Base

target_metadata = Base.metadata


def run() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


# Alembic imports this file inside a migration context; a plain import (pytest's doctest collection)
# has no context and must not run anything.
if getattr(context, "config", None) is not None:
    run()
