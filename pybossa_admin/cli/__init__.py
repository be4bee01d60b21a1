"""The pybossa-admin command line: a Flask CLI with the platform's command groups."""
from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup, routes_command, shell_command

from ..config import ConfigError


def _make_app():
    from .. import create_app
    try:
        return create_app()
    except ConfigError as exc:
        click.echo(f"Configuration error: {exc}", err=True)
        sys.exit(2)


def init_app(app):
    from .demo import demo
    from .jobs import jobs
    from .plugins import plugins
    from .run import run
    from .users import users
    for group in (users, demo, jobs, plugins, run):
        app.cli.add_command(group)


@click.group(cls=FlaskGroup, create_app=_make_app, add_default_commands=False, add_version_option=False)
def cli():
    """Run and administer a pybossa-admin platform."""


cli.add_command(routes_command)
cli.add_command(shell_command)


def main():
    cli(prog_name="pybossa-admin")
