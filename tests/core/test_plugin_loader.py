"""The plugin loader: folder and distribution plugins, failures recorded and skipped, strict mode,
safe mode, disabled by settings and in the database, and per-app state."""
from __future__ import annotations

import sys

import pytest

from pybossa_admin.extensions import db
from pybossa_admin.plugin.loader import PluginLoadError, plugin_records
from pybossa_admin.services import plugins as plugin_service
from pybossa_admin.services import users as user_service

from .. import factories
from ..conftest import Client
from .plugin_kit import forget_modules, install_fixture_distribution, write_page_plugin, write_plugin


@pytest.fixture
def thirdparty(tmp_path):
    """The fixture distribution installed into a directory on sys.path, for this test only."""
    site = tmp_path / "site-packages"
    site.mkdir()
    install_fixture_distribution(site)
    sys.path.insert(0, str(site))
    yield site
    sys.path.remove(str(site))
    forget_modules("pba_thirdparty_demo")


def _records(app) -> dict:
    return {record.name: record for record in plugin_records(app)}


def _admin_client(app) -> Client:
    admin = factories.user(name="root", admin=True)
    client = Client(app)
    client.signin(admin)
    return client


def test_distribution_plugin_adds_an_admin_page_with_its_menu_item(make_app, tmp_path, thirdparty):
    app = make_app(PLUGINS_FOLDER=str(tmp_path / "no-folder-plugins"))
    with app.app_context():
        record = _records(app)["thirdparty_demo"]
        assert record.loaded and record.status == "loaded"
        assert record.source == "distribution:pba-thirdparty-demo 1.0.0"
        assert app.config["THIRDPARTY_DEMO_GREETING"] == "Hello from a distribution"
        client = _admin_client(app)
        page = client.get("/admin/thirdparty/")
        assert page.status_code == 200
        assert '<h1 id="thirdparty-greeting">Hello from a distribution</h1>' in page.get_data(as_text=True)
        index = client.get("/admin/").get_data(as_text=True)
        assert 'href="/admin/thirdparty/"' in index and "Third party" in index
        data = client.get_json("/admin/thirdparty/").get_json()
        assert data["template"] == "thirdparty_demo/page.html" and data["greeting"] == "Hello from a distribution"
        joe = factories.user(name="joe")
        other = Client(app)
        assert other.get("/admin/thirdparty/").status_code == 302
        other.signin(joe)
        assert other.get("/admin/thirdparty/").status_code == 403
        db.session.remove()


def _mixed_folder(folder):
    write_page_plugin(folder, "hello")
    write_plugin(folder, "broken_import", "import module_that_does_not_exist\n")
    write_plugin(folder, "broken_raise", "raise RuntimeError('boom at import time')\n")
    write_page_plugin(folder, "dupe", package="dup_one", url="/admin/dupe-one", message="first dupe")
    write_page_plugin(folder, "dupe", package="dup_two", url="/admin/dupe-two", message="second dupe")
    write_page_plugin(folder, "too_new", plugin_kw='requires_core=">=99.0"')
    write_plugin(folder, "not_a_plugin", "VALUE = 1\n")
    write_page_plugin(folder, "bad_config", plugin_kw='config={"OTHER_KEY": 1}')
    return folder


def test_failing_plugins_are_recorded_and_skipped(make_app, tmp_path, caplog):
    folder = _mixed_folder(tmp_path / "plugins")
    app = make_app(PLUGINS_FOLDER=str(folder), PLUGINS_STRICT=False)
    records = _records(app)
    assert records["hello"].loaded
    assert records["dupe"].loaded and "dup_one" in records["dupe"].source
    expected = {
        "broken_import": "ModuleNotFoundError: No module named 'module_that_does_not_exist'",
        "broken_raise": "RuntimeError: boom at import time",
        "too_new": "requires core >=99.0, this is 0.1.0",
        "not_a_plugin": "the package has no `plugin` attribute",
        "bad_config": "config key 'OTHER_KEY' must start with 'BAD_CONFIG_'",
    }
    for name, message in expected.items():
        record = records[name]
        assert record.status == "failed" and not record.loaded, name
        assert "Traceback (most recent call last)" in record.error, name
        assert message in record.error, (name, record.error)
    clash = [r for key, r in records.items() if key.startswith("dupe@")]
    assert len(clash) == 1 and "name clash: 'dupe' is already provided by" in clash[0].error
    assert "dup_two" in clash[0].source
    assert "plugin broken_raise not loaded: RuntimeError: boom at import time" in caplog.text
    with app.app_context():
        client = _admin_client(app)
        assert client.get("/admin/hello/").status_code == 200
        assert "first dupe" in client.get("/admin/dupe-one/").get_data(as_text=True)
        assert client.get("/admin/dupe-two/").status_code == 404
        assert client.get("/admin/too_new/").status_code == 404
        db.session.remove()


@pytest.mark.parametrize("writer, message", [
    (lambda f: write_plugin(f, "broken_import", "import module_that_does_not_exist\n"), "ModuleNotFoundError"),
    (lambda f: write_page_plugin(f, "too_new", plugin_kw='requires_core=">=99.0"'), "requires core >=99.0"),
    (lambda f: (write_page_plugin(f, "dupe", package="dup_one"), write_page_plugin(f, "dupe", package="dup_two")),
     "name clash"),
])
def test_strict_mode_stops_start_up(make_app, tmp_path, writer, message):
    folder = tmp_path / "plugins"
    writer(folder)
    with pytest.raises(PluginLoadError, match=message):
        make_app(PLUGINS_FOLDER=str(folder), PLUGINS_STRICT=True)


def test_safe_mode_loads_no_plugin(make_app, tmp_path, thirdparty):
    folder = tmp_path / "plugins"
    write_page_plugin(folder, "hello")
    app = make_app(PLUGINS_FOLDER=str(folder), SAFE_MODE=True)
    records = _records(app)
    assert set(records) == {"hello", "thirdparty_demo"}
    assert all(r.status == "safe-mode" and not r.loaded for r in records.values())
    with app.app_context():
        client = _admin_client(app)
        assert client.get("/admin/hello/").status_code == 404
        assert client.get("/admin/thirdparty/").status_code == 404
        assert client.get("/admin/").status_code == 200
        db.session.remove()


def test_plugins_disabled_setting_skips_one(make_app, tmp_path):
    folder = tmp_path / "plugins"
    write_page_plugin(folder, "hello")
    write_page_plugin(folder, "other")
    app = make_app(PLUGINS_FOLDER=str(folder), PLUGINS_DISABLED="hello")
    records = _records(app)
    assert records["hello"].status == "disabled-by-settings" and not records["hello"].loaded
    assert records["other"].loaded
    with app.app_context():
        client = _admin_client(app)
        assert client.get("/admin/hello/").status_code == 404
        assert client.get("/admin/other/").status_code == 200
        assert 'href="/admin/hello/"' not in client.get("/admin/").get_data(as_text=True)
        db.session.remove()


def test_disabled_in_the_database_applies_on_restart(make_app, tmp_path):
    folder = tmp_path / "plugins"
    write_page_plugin(folder, "hello")
    first = make_app(PLUGINS_FOLDER=str(folder))
    with first.app_context():
        client = _admin_client(first)
        assert client.get("/admin/hello/").status_code == 200
        plugin_service.set_enabled("hello", False)
        assert plugin_service.disabled_names() == {"hello"}
        assert client.get("/admin/hello/").status_code == 200  # this process keeps it until restart
        db.session.remove()

    restarted = make_app(PLUGINS_FOLDER=str(folder))
    with restarted.app_context():
        client = Client(restarted)
        client.signin(factories.User.query.filter_by(name="root").one())
        assert client.get("/admin/hello/").status_code == 404
        assert 'href="/admin/hello/"' not in client.get("/admin/").get_data(as_text=True)
        plugin_service.set_enabled("hello", True)
        with pytest.raises(plugin_service.PluginError, match="No plugin named 'nope'"):
            plugin_service.set_enabled("nope", False)
        db.session.remove()

    again = make_app(PLUGINS_FOLDER=str(folder))
    with again.app_context():
        client = Client(again)
        client.signin(factories.User.query.filter_by(name="root").one())
        assert client.get("/admin/hello/").status_code == 200
        assert 'href="/admin/hello/"' in client.get("/admin/").get_data(as_text=True)
        db.session.remove()


RECEIVER_PLUGIN = '''
from pybossa_admin.plugin import AdminView, Plugin, expose
from pybossa_admin import signals


class Page(AdminView):
    @expose("/")
    def index(self):
        return self.respond("{name}/page.html", message="{name} page")


def heard(sender, user, **kwargs):
    sender.config.setdefault("{upper}_HEARD", []).append(user.name)


plugin = Plugin(name="{name}", version="1.0",
                admin_views=lambda: [Page(name="{name}", url="/admin/{name}", endpoint="{name}")],
                receivers=((signals.user_created, heard),), config={{"{upper}_FLAG": True}})
'''


def test_two_apps_in_one_process_keep_their_plugins_apart(make_app, tmp_path):
    from .plugin_kit import PAGE
    apps = {}
    for name in ("alpha", "beta"):
        folder = tmp_path / f"plugins-{name}"
        write_plugin(folder, name, RECEIVER_PLUGIN.format(name=name, upper=name.upper()), {f"{name}/page.html": PAGE})
        apps[name] = make_app(PLUGINS_FOLDER=str(folder))
    alpha, beta = apps["alpha"], apps["beta"]
    assert set(_records(alpha)) == {"alpha"} and set(_records(beta)) == {"beta"}
    assert alpha.extensions["pybossa_admin"] is not beta.extensions["pybossa_admin"]
    assert "ALPHA_FLAG" in alpha.config and "ALPHA_FLAG" not in beta.config
    with alpha.app_context():
        client = _admin_client(alpha)
        assert client.get("/admin/alpha/").status_code == 200
        assert client.get("/admin/beta/").status_code == 404
        user_service.create("heard_by_alpha", "a@example.org", "long enough password")
        db.session.remove()
    with beta.app_context():
        client = Client(beta)
        client.signin(factories.User.query.filter_by(name="root").one())
        assert client.get("/admin/beta/").status_code == 200
        assert client.get("/admin/alpha/").status_code == 404
        user_service.create("heard_by_beta", "b@example.org", "long enough password")
        db.session.remove()
    assert alpha.config["ALPHA_HEARD"] == ["heard_by_alpha"] and "ALPHA_HEARD" not in beta.config
    assert beta.config["BETA_HEARD"] == ["heard_by_beta"] and "BETA_HEARD" not in alpha.config
