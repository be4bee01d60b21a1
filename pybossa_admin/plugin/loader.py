"""Two-phase plugin loading.

Phase 1 imports and validates every discovered plugin (type, name, clash, core version).
Phase 2 registers the valid ones. A failure is recorded with its traceback and the plugin is
skipped, unless PLUGINS_STRICT is on, in which case start-up stops with PluginLoadError.
State lives in app.extensions["pybossa_admin"]["plugins"].
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import os
import sys
import traceback
import types
from dataclasses import dataclass, field

from flask import abort, request
from jinja2 import ChoiceLoader, FileSystemLoader
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from .. import __version__ as CORE_VERSION
from ..config import ConfigError, parse_plugin_config
from ..jobs import register_periodic
from .contract import Plugin

ENTRY_POINT_GROUP = "pybossa_admin.plugins"
DEFAULT_FOLDER = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                              "plugins")


class PluginLoadError(RuntimeError):
    pass


@dataclass
class PluginRecord:
    name: str
    source: str                      # "folder:<path>" or "distribution:<name> <version>"
    plugin: Plugin | None = None
    loaded: bool = False
    error: str | None = None         # a traceback or a sentence
    status: str = "pending"          # loaded | failed | disabled-by-settings | safe-mode
    module: str = ""
    blueprints: set = field(default_factory=set)
    templates: str | None = None

    @property
    def version(self):
        return self.plugin.version if self.plugin else None

    @property
    def description(self):
        return self.plugin.description if self.plugin else ""

    def as_dict(self) -> dict:
        return {"name": self.name, "version": self.version, "description": self.description,
                "source": self.source, "loaded": self.loaded, "status": self.status, "error": self.error}


@dataclass
class _Candidate:
    hint: str
    source: str
    module: str      # the module that holds (or is) the plugin; its folder holds templates/

    def load(self):
        loaded = importlib.import_module(self.module)
        return getattr(loaded, self.attr) if self.attr else loaded

    attr: str = ""


def _folder_candidates(folder: str) -> list[_Candidate]:
    if not os.path.isdir(folder):
        return []
    default = os.path.abspath(folder) == os.path.abspath(DEFAULT_FOLDER)
    parent = None
    if not default:
        # A synthetic parent package so that relative imports inside the plugins work.
        parent = "_pybossa_admin_plugins_" + hashlib.sha1(os.path.abspath(folder).encode()).hexdigest()[:10]
        if parent not in sys.modules:
            package = types.ModuleType(parent)
            package.__path__ = [os.path.abspath(folder)]
            sys.modules[parent] = package
    found = []
    for entry in sorted(os.listdir(folder)):
        path = os.path.join(folder, entry)
        if entry.startswith(("_", ".")) or not os.path.isfile(os.path.join(path, "__init__.py")):
            continue
        module_name = f"plugins.{entry}" if default else f"{parent}.{entry}"
        found.append(_Candidate(entry, f"folder:{path}", module_name))
    return found


def _distribution_candidates() -> list[_Candidate]:
    found = []
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        where = f"distribution:{dist.name} {dist.version}" if dist else f"distribution:{ep.value}"
        found.append(_Candidate(ep.name, where, ep.module, ep.attr or ""))
    return found


def _as_plugin(loaded) -> Plugin:
    obj = getattr(loaded, "plugin", loaded) if isinstance(loaded, types.ModuleType) else loaded
    if not isinstance(obj, Plugin):
        raise TypeError(f"expected a pybossa_admin.plugin.Plugin, got {type(obj).__name__}"
                        + (" (the package has no `plugin` attribute)" if obj is loaded else ""))
    return obj


def _check_core(plugin: Plugin):
    try:
        spec = SpecifierSet(plugin.requires_core)
    except InvalidSpecifier:
        raise ValueError(f"requires_core {plugin.requires_core!r} is not a version specifier") from None
    if Version(CORE_VERSION) not in spec:
        raise ValueError(f"requires core {plugin.requires_core}, this is {CORE_VERSION}")


def _fail(app, record: PluginRecord, error: str, status="failed"):
    record.error, record.status, record.loaded = error, status, False
    app.logger.warning("plugin %s not loaded: %s", record.name, error.strip().splitlines()[-1])
    if app.config.get("PLUGINS_STRICT") and status == "failed":
        raise PluginLoadError(f"plugin {record.name} ({record.source}): {error.strip().splitlines()[-1]}")


def load_plugins(app, admin):
    state = app.extensions["pybossa_admin"]
    records: dict[str, PluginRecord] = {}
    state["plugins"] = records
    state["plugin_blueprints"] = {}
    folder = app.config.get("PLUGINS_FOLDER") or DEFAULT_FOLDER
    candidates = _folder_candidates(folder) + _distribution_candidates()

    # Phase 1: import and validate.
    valid: list[PluginRecord] = []
    for cand in candidates:
        record = PluginRecord(name=cand.hint, source=cand.source, module=cand.module)
        key = cand.hint
        if app.config.get("SAFE_MODE"):
            record.status, record.error = "safe-mode", "SAFE_MODE is on: no plugin is loaded"
            records.setdefault(key, record)
            continue
        try:
            plugin = _as_plugin(cand.load())
            record.plugin, record.name = plugin, plugin.name
            key = plugin.name
            problems = plugin.problems()
            if problems:
                raise ValueError("; ".join(problems))
            _check_core(plugin)
            if key in records and records[key].plugin is not None:
                raise ValueError(f"name clash: {key!r} is already provided by {records[key].source}")
        except Exception:
            if key in records:  # keep the first, record the clash under a distinct key
                key = f"{key}@{cand.source}"
                record.name = key
            records[key] = record
            _fail(app, record, traceback.format_exc())
            continue
        records[key] = record
        valid.append(record)

    # Phase 2: register.
    disabled = set(app.config.get("PLUGINS_DISABLED") or [])
    theme_loaders = []
    for record in valid:
        if record.name in disabled:
            record.status, record.error = "disabled-by-settings", "listed in PLUGINS_DISABLED"
            continue
        try:
            _register(app, admin, record)
        except ConfigError:
            raise  # a bad setting stops start-up with its one-line message, like core settings
        except Exception:
            _fail(app, record, traceback.format_exc())
            continue
        record.loaded, record.status = True, "loaded"
        if record.templates:
            theme_loaders.append(FileSystemLoader(record.templates))
    if theme_loaders:
        app.jinja_env.loader = ChoiceLoader([app.jinja_env.loader, *theme_loaders])

    @app.before_request
    def _plugin_enabled_guard():
        # Enabled state is read from the database once per process: it takes effect on restart.
        owner = state["plugin_blueprints"].get(request.blueprint)
        if owner and owner in disabled_in_database(app):
            abort(404)


def _register(app, admin, record: PluginRecord):
    plugin = record.plugin
    app.config.update(parse_plugin_config(app.config, plugin.config, plugin.name))
    views = list(plugin.admin_views()) if plugin.admin_views else []
    package_dir = _package_dir(record)
    if package_dir and os.path.isdir(os.path.join(package_dir, "templates")):
        record.templates = os.path.join(package_dir, "templates")
    for blueprint in plugin.blueprints:
        app.register_blueprint(blueprint)
        record.blueprints.add(blueprint.name)
    for view in views:
        admin.add_view(view)
        record.blueprints.add(view.endpoint)
    for item in plugin.menu:
        admin.add_menu_item(_menu_link(item), target_category=item.category)
    for signal, receiver in plugin.receivers:
        signal.connect(_only_when_enabled(app, record.name, receiver), sender=app, weak=False)
    for group in plugin.cli:
        app.cli.add_command(group)
    for job in plugin.periodic_jobs:
        register_periodic(app, job)
    for name in record.blueprints:
        app.extensions["pybossa_admin"]["plugin_blueprints"][name] = record.name
    app.extensions["pybossa_admin"].setdefault("cards", []).extend(
        (record.name, card) for card in plugin.cards)
    if plugin.setup:
        plugin.setup(app)


def _package_dir(record: PluginRecord) -> str | None:
    module = sys.modules.get(record.module)
    path = getattr(module, "__file__", None)
    return os.path.dirname(path) if path else None


def _menu_link(item):
    from ..admin_shell import GuardedMenuLink
    return GuardedMenuLink(name=item.label, endpoint=item.endpoint, category=item.category)


def _only_when_enabled(app, name, receiver):
    def wrapped(sender, **kwargs):
        if name not in disabled_in_database(app):
            return receiver(sender, **kwargs)
    wrapped.__name__ = getattr(receiver, "__name__", "receiver")
    return wrapped


def disabled_in_database(app) -> set[str]:
    state = app.extensions["pybossa_admin"]
    if "plugins_disabled_db" not in state:
        from sqlalchemy import select
        from sqlalchemy.exc import SQLAlchemyError

        from ..extensions import db
        from ..models import PluginState
        try:
            names = set(db.session.scalars(select(PluginState.name).where(PluginState.enabled.is_(False))))
        except SQLAlchemyError:  # tables not created yet: nothing is disabled
            db.session.rollback()
            names = set()
        state["plugins_disabled_db"] = names
    return state["plugins_disabled_db"]


def plugin_records(app) -> list[PluginRecord]:
    return sorted(app.extensions["pybossa_admin"]["plugins"].values(), key=lambda r: r.name)
