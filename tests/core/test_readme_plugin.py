"""The README's plugin example, copied verbatim into a plugins folder, works as the README says."""
from __future__ import annotations

import os
import re

from pybossa_admin import ROOT
from pybossa_admin.extensions import db

from .. import factories
from ..conftest import Client

# A fenced block whose first line names its file: "# plugins/..." or "{# plugins/... #}".
BLOCK = re.compile(r"```(?:python|html)\n(?:#|\{#) (plugins/\S+?)(?: #\})?\n(.*?)```", re.S)


def _readme_files() -> dict[str, str]:
    with open(os.path.join(ROOT, "README.md")) as handle:
        return {path: body for path, body in BLOCK.findall(handle.read())}


def test_readme_plugin_example(make_app, tmp_path):
    files = _readme_files()
    assert set(files) == {"plugins/hello/__init__.py", "plugins/hello/templates/hello/page.html"}
    for path, body in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body)

    app = make_app(PLUGINS_FOLDER=str(tmp_path / "plugins"))
    with app.app_context():
        record = app.extensions["pybossa_admin"]["plugins"]["hello"]
        assert record.loaded, record.error
        root = factories.user(name="root", admin=True)
        client = Client(app)
        client.signin(root)
        page = client.get("/admin/hello/")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "<h1>Hello, root</h1>" in html
        assert '<p id="hello-users">This platform has 1 users.</p>' in html
        index = client.get("/admin/").get_data(as_text=True)
        assert re.search(r'href="/admin/hello/">\s*Hello</a>', index)  # the menu item
        data = client.get_json("/admin/hello/").get_json()
        assert data["users"] == 1 and data["title"] == "Hello" and data["template"] == "hello/page.html"

        assert Client(app).get("/admin/hello/").status_code == 302
        joe = Client(app)
        joe.signin(factories.user(name="joe"))
        assert joe.get("/admin/hello/").status_code == 403
        db.session.remove()
