import click
from flask import current_app
from flask.cli import with_appcontext

from ..services.bootstrap import offer_link


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--demo", is_flag=True, help="Upgrade the database and load demo data if it is empty first.")
@with_appcontext
def run(host, port, demo):
    """Serve the platform (development server). Prints the first-admin link when no admin exists."""
    from flask_migrate import upgrade
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()
    if demo:
        upgrade()
        from .demo import seed_if_empty
        seed_if_empty()
    base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}"
    try:
        link = offer_link(base, host)
    except Exception as exc:  # no tables yet
        link = None
        click.echo(f"Database not ready ({exc.__class__.__name__}); run `pybossa-admin db upgrade` first.",
                   err=True)
    if link:
        click.echo("\n  No admin yet. Open this one-time link to create the first admin account:\n"
                   f"\n    {link}\n\n  (single use; it expires in {app.config['BOOTSTRAP_LINK_MINUTES']} minutes)\n")
    click.echo(f"Serving on {base}/  (admin at {base}/admin/)")
    run_simple(host, port, app, use_reloader=False, threaded=True)
