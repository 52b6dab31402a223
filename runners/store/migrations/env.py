"""Alembic environment: the connection from `Database.migrate`, else `sqlalchemy.url`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from runners.store.database import engine_url
from runners.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    url = config.get_main_option("sqlalchemy.url") or ""
    connection = create_engine(engine_url(url)).connect()
context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()
