"""Alembic migrations of the registry schema, run programmatically by :func:`speerpunt.registry.store.init_db`."""
