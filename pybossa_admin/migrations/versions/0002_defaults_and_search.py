"""default categories, case-insensitive and trigram search indexes

Revision ID: 0002
Revises: 0001
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CATEGORIES = (("Thinking", "thinking", "Volunteer Thinking projects"),
              ("Sensing", "sensing", "Volunteer Sensing projects"))


def upgrade():
    bind = op.get_bind()
    op.create_index("ix_users_lower_name", "users", [sa.text("lower(name)")])
    op.create_index("ix_users_lower_email", "users", [sa.text("lower(email_addr)")])
    if bind.dialect.name == "postgresql":
        # Partial, case-insensitive search ("%ann%") on a million users needs trigram indexes.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_users_name_trgm ON users USING gin (lower(name) gin_trgm_ops)")
        op.execute("CREATE INDEX ix_users_fullname_trgm ON users USING gin (lower(fullname) gin_trgm_ops)")
        op.execute("CREATE INDEX ix_users_email_trgm ON users USING gin (lower(email_addr) gin_trgm_ops)")
    category = sa.table("category", sa.column("name"), sa.column("short_name"), sa.column("description"),
                        sa.column("created", sa.DateTime(timezone=True)), sa.column("info", sa.JSON))
    existing = {row[0] for row in bind.execute(sa.text("SELECT short_name FROM category"))}
    now = datetime.now(timezone.utc)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    rows = [{"name": n, "short_name": s, "description": d, "created": now, "info": {}}
            for n, s, d in CATEGORIES if s not in existing]
    if rows:
        op.bulk_insert(category, rows)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for name in ("ix_users_email_trgm", "ix_users_fullname_trgm", "ix_users_name_trgm"):
            op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index("ix_users_lower_email", "users")
    op.drop_index("ix_users_lower_name", "users")
