"""Case-insensitive uniqueness checks shared by the services (names, short names, e-mail)."""
from sqlalchemy import func, select

from ..extensions import db


def taken(column, value: str, exclude_id: int | None = None) -> bool:
    """True when another row already holds value in column, ignoring case."""
    model = column.class_
    query = select(model.id).where(func.lower(column) == value.lower())
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None
