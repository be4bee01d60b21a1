"""The Plugin object a plugin package exposes as `plugin`."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ..jobs import PeriodicJob

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,49}$")


@dataclass(frozen=True)
class MenuItem:
    """A link in the admin menu. Hidden from users who cannot open it."""
    label: str
    endpoint: str
    category: str | None = None


@dataclass(frozen=True)
class AdminCard:
    """A card on the admin index: a title, where it leads, and an optional live count."""
    title: str
    endpoint: str
    description: str = ""
    count: Callable[[], int] | None = None
    # Extra buttons on the card: (label, endpoint, url parameters), e.g. ("CSV", "x.export", {"format": "csv"}).
    links: tuple[tuple[str, str, dict], ...] = ()


@dataclass(frozen=True)
class Plugin:
    name: str
    version: str
    description: str = ""
    requires_core: str = ">=0.1"
    blueprints: tuple = ()
    # Called once per app; returns fresh Flask-Admin views (a view instance belongs to one Admin).
    admin_views: Callable[[], list] | None = None
    menu: tuple[MenuItem, ...] = ()
    cards: tuple[AdminCard, ...] = ()
    # (signal, receiver) pairs; receivers are connected for this app only.
    receivers: tuple[tuple[Any, Callable], ...] = ()
    cli: tuple = ()
    periodic_jobs: tuple[PeriodicJob, ...] = ()
    # Config defaults; every key must start with the plugin's upper-cased name and "_".
    config: dict[str, Any] = field(default_factory=dict)
    setup: Callable[[Any], None] | None = None

    def __post_init__(self):
        object.__setattr__(self, "blueprints", tuple(self.blueprints))
        object.__setattr__(self, "menu", tuple(self.menu))
        object.__setattr__(self, "cards", tuple(self.cards))
        object.__setattr__(self, "receivers", tuple(self.receivers))
        object.__setattr__(self, "cli", tuple(self.cli))
        object.__setattr__(self, "periodic_jobs", tuple(self.periodic_jobs))
        object.__setattr__(self, "config", dict(self.config))

    def problems(self) -> list[str]:
        """What is wrong with this declaration, in words; empty when valid."""
        found = []
        if not isinstance(self.name, str) or not NAME_RE.match(self.name):
            found.append(f"name {self.name!r} must be lower-case letters, digits and _ (2-50 characters)")
        if not isinstance(self.version, str) or not self.version:
            found.append("version must be a non-empty string")
        prefix = f"{str(self.name).upper()}_"
        for key in self.config:
            if not key.startswith(prefix):
                found.append(f"config key {key!r} must start with {prefix!r}")
        for item in self.menu:
            if not isinstance(item, MenuItem):
                found.append(f"menu item {item!r} is not a MenuItem")
        for job in self.periodic_jobs:
            if not isinstance(job, PeriodicJob):
                found.append(f"periodic job {job!r} is not a PeriodicJob")
        if self.admin_views is not None and not callable(self.admin_views):
            found.append("admin_views must be a callable that builds fresh views")
        return found
