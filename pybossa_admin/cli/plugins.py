import click
from flask import current_app
from flask.cli import with_appcontext

from ..plugin.loader import plugin_records
from ..services import plugins as plugin_service


@click.group("plugins")
def plugins():
    """List plugins and enable or disable them (applied on restart)."""


@plugins.command("list")
@with_appcontext
def list_plugins():
    disabled = plugin_service.disabled_names()
    for record in plugin_records(current_app):
        state = "disabled" if record.name in disabled else "enabled"
        click.echo(f"{record.name:<16} {record.version or '-':<10} {record.status:<22} {state:<9} {record.source}")
        if record.error:
            click.echo("    " + record.error.strip().splitlines()[-1])


@plugins.command("enable")
@click.argument("name")
@with_appcontext
def enable(name):
    _set(name, True)


@plugins.command("disable")
@click.argument("name")
@with_appcontext
def disable(name):
    _set(name, False)


def _set(name, flag):
    try:
        plugin_service.set_enabled(name, flag, by=None)
    except plugin_service.PluginError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"{name} {'enabled' if flag else 'disabled'}; restart the platform to apply it.")
