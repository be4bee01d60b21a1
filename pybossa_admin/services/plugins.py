"""Enabled/disabled state of plugins, stored in the database, applied on restart."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import PluginState
from . import events


class PluginError(ValueError):
    pass


def disabled_names() -> set[str]:
    return set(db.session.scalars(select(PluginState.name).where(PluginState.enabled.is_(False))))


def set_enabled(name: str, flag: bool, by=None) -> None:
    known = current_app.extensions["pybossa_admin"]["plugins"]
    if name not in known:
        raise PluginError(f"No plugin named {name!r}. Known: {', '.join(sorted(known)) or 'none'}.")
    row = db.session.get(PluginState, name) or PluginState(name=name)
    row.enabled = flag
    row.updated_by = getattr(by, "id", None)
    db.session.add(row)
    db.session.commit()
    events.record("platform", "plugin.enabled" if flag else "plugin.disabled",
                  f"plugin {name} {'enabled' if flag else 'disabled'} (applies on restart)", user=by,
                  data={"plugin": name})
