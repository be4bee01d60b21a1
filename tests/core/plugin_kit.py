"""Helpers that write fake plugins into a folder and install the third-party fixture distribution."""
from __future__ import annotations

import configparser
import os
import shutil
import sys
import textwrap

FIXTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures",
                       "thirdparty_plugin")

PAGE = """{% extends 'admin/master.html' %}
{% block body %}<h1 id="plugin-page">{{ message }}</h1>{% endblock %}
"""


def write_plugin(folder, package: str, source: str, templates: dict[str, str] | None = None) -> str:
    """plugins/<package>/__init__.py with `source`, plus templates/<relative path> files."""
    path = os.path.join(str(folder), package)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "__init__.py"), "w") as handle:
        handle.write(textwrap.dedent(source))
    for relative, body in (templates or {}).items():
        target = os.path.join(path, "templates", relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w") as handle:
            handle.write(body)
    return path


def page_plugin_source(name: str, url: str, label: str, message: str, extra: str = "", plugin_kw: str = "") -> str:
    """A plugin `name` with one admin page at `url` (endpoint `name`) showing `message`."""
    return f'''
        from pybossa_admin.plugin import AdminView, Plugin, expose


        class Page(AdminView):
            @expose("/")
            def index(self):
                return self.respond("{name}/page.html", message={message!r})

        {extra}

        plugin = Plugin(name={name!r}, version="1.0", description="test plugin {name}",
                        admin_views=lambda: [Page(name={label!r}, url={url!r}, endpoint={name!r})],
                        {plugin_kw})
    '''


def write_page_plugin(folder, name: str, url: str | None = None, label: str | None = None,
                      message: str | None = None, package: str | None = None, **kw) -> str:
    return write_plugin(folder, package or name,
                        page_plugin_source(name, url or f"/admin/{name}", label or name.title(),
                                           message or f"{name} page", **kw),
                        {f"{name}/page.html": PAGE})


def install_fixture_distribution(site_dir) -> str:
    """Install tests/fixtures/thirdparty_plugin into site_dir the way pip lays out an installed wheel:
    the package plus a .dist-info with METADATA, entry_points.txt and RECORD, from its setup.cfg."""
    cfg = configparser.ConfigParser()
    cfg.read(os.path.join(FIXTURE, "setup.cfg"))
    name, version = cfg["metadata"]["name"], cfg["metadata"]["version"]
    site_dir = str(site_dir)
    for entry in os.listdir(FIXTURE):
        source = os.path.join(FIXTURE, entry)
        if os.path.isdir(source) and os.path.exists(os.path.join(source, "__init__.py")):
            shutil.copytree(source, os.path.join(site_dir, entry), ignore=shutil.ignore_patterns("__pycache__"))
    dist_info = os.path.join(site_dir, f"{name.replace('-', '_')}-{version}.dist-info")
    os.makedirs(dist_info)
    with open(os.path.join(dist_info, "METADATA"), "w") as handle:
        handle.write(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                     f"Summary: {cfg['metadata']['description']}\n")
    with open(os.path.join(dist_info, "entry_points.txt"), "w") as handle:
        for group, body in cfg["options.entry_points"].items():
            handle.write(f"[{group}]\n")
            for line in body.strip().splitlines():
                handle.write(line.strip() + "\n")
    with open(os.path.join(dist_info, "RECORD"), "w") as handle:
        handle.write("")
    with open(os.path.join(dist_info, "INSTALLER"), "w") as handle:
        handle.write("pytest\n")
    return dist_info


def forget_modules(prefix: str) -> None:
    for module in [m for m in sys.modules if m == prefix or m.startswith(prefix + ".")]:
        del sys.modules[module]
