import secrets
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ..services import users as user_service
from ..services.bootstrap import offer_link


@click.group("users")
def users():
    """Create users and get the first admin in."""


@users.command("create")
@click.option("--name", required=True, help="User name (sign-in name).")
@click.option("--email", required=True, help="E-mail address.")
@click.option("--fullname", default="", help="Full name.")
@click.option("--password", envvar="PYBOSSA_ADMIN_NEW_PASSWORD",
              help="Password (or PYBOSSA_ADMIN_NEW_PASSWORD); generated and printed once when omitted.")
@click.option("--admin", is_flag=True, help="Give the user the admin role.")
@click.option("--pro", is_flag=True, help="Give the user the pro role.")
@with_appcontext
def create(name, email, fullname, password, admin, pro):
    """Create a user non-interactively (with --admin: the first admin, no browser needed)."""
    generated = not password
    password = password or secrets.token_urlsafe(12)
    try:
        user = user_service.create(name, email, password, fullname, admin=bool(admin), pro=pro, via="cli")
    except user_service.UserError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Created user {user.name} (id {user.id}){' with the admin role' if user.admin else ''}.")
    if generated:
        click.echo(f"Password (shown once): {password}")


@users.command("bootstrap-link")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True)
@with_appcontext
def bootstrap_link(base_url):
    """Print a one-time link that creates the first admin (only while no admin exists)."""
    from urllib.parse import urlsplit
    link = offer_link(base_url, urlsplit(base_url).hostname or "")
    if link is None:
        reason = ("an admin exists already" if user_service.admin_count()
                  else f"BOOTSTRAP_LINK={current_app.config['BOOTSTRAP_LINK']} does not allow it for this host")
        click.echo(f"No link: {reason}.", err=True)
        sys.exit(1)
    click.echo(link)
