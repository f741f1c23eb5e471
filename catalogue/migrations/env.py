"""Alembic environment: runs migrations on the connection `catalogue.migrate` hands over."""
from __future__ import annotations

from alembic import context

from catalogue.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through catalogue.migrate.upgrade(), which supplies the connection")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
