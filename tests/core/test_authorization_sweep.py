"""The authorization sweep: walks the URL map of an app with every plugin loaded, so it grows with the app.

- every /admin rule: anonymous -> 302 to /account/signin, signed-in non-admin -> 403;
- every browser rule (not /api/, not static) that accepts POST/PUT/PATCH/DELETE:
  GET is refused (405) when the rule only changes state, GET changes no table's row count when the
  rule serves both, and a state-changing request without a CSRF token gets 400 even from an admin.

Path variables get plausible values (1 for integers, "x" for strings). When this fails for a new
route, fix the route; do not exempt it here.
"""
from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import AnyConverter, FloatConverter, IntegerConverter, UUIDConverter

from pybossa_admin.extensions import db

from .. import factories
from ..conftest import Client

STATE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _is_static(rule) -> bool:
    return rule.endpoint == "static" or rule.endpoint.endswith(".static")


def _is_admin_rule(rule) -> bool:
    return rule.rule == "/admin" or rule.rule.startswith("/admin/")


def _sample(converter):
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, FloatConverter):
        return 1.0
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "x"


def _path(rule) -> str:
    values = {name: _sample(converter) for name, converter in rule._converters.items()}
    built = rule.build(values, append_unknown=False)
    assert built is not None, f"could not build {rule.rule} with {values}"
    return built[1]


def _rules(app, keep):
    seen, found = set(), []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if _is_static(rule) or not keep(rule):
            continue
        key = (rule.rule, rule.endpoint)
        if key not in seen:
            seen.add(key)
            found.append(rule)
    return found


def _state_methods(rule) -> list[str]:
    return [m for m in STATE_METHODS if m in rule.methods]


def _browser_state_rules(app):
    return _rules(app, lambda r: _state_methods(r) and not r.rule.startswith("/api/"))


def _first_method(rule) -> str:
    return "GET" if "GET" in rule.methods else _state_methods(rule)[0]


@pytest.fixture
def world(app):
    """Some rows for path variables to find (ids 1), an admin and a volunteer."""
    admin = factories.user(name="root", admin=True)
    joe = factories.user(name="joe")
    project = factories.project(owner=joe)
    task = factories.task(project)
    factories.task_run(task, joe)
    factories.project(owner=joe, published=False, presenter=False)
    return {"admin": admin, "joe": joe}


def _client(app, user=None) -> Client:
    client = Client(app)
    if user is not None:
        client.signin(user)
    return client


def _row_counts() -> dict[str, int]:
    db.session.rollback()  # see what requests committed
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def _report(problems: list[str], what: str) -> str:
    return f"{len(problems)} route(s) {what}:\n  " + "\n  ".join(problems)


def test_the_sweep_sees_the_app(app):
    admin_rules = _rules(app, _is_admin_rule)
    state_rules = _browser_state_rules(app)
    assert any(r.rule == "/admin/" for r in admin_rules)
    assert any(r.endpoint == "account.signout" for r in state_rules)
    assert any(r.endpoint == "account.signin" for r in state_rules)
    records = app.extensions["pybossa_admin"]["plugins"].values()
    failed = [f"{r.name}: {(r.error or '').strip().splitlines()[-1:]}" for r in records if r.status == "failed"]
    assert not failed, "plugins failed to load: " + "; ".join(failed)


def anonymous_problems(app) -> list[str]:
    client = _client(app)
    problems = []
    for rule in _rules(app, _is_admin_rule):
        path, method = _path(rule), _first_method(rule)
        response = client.open(path, method=method)
        location = urlsplit(response.headers.get("Location", ""))
        if response.status_code != 302 or location.path != "/account/signin":
            problems.append(f"{method} {path} ({rule.endpoint}) -> {response.status_code} {location.path}")
    return problems


def non_admin_problems(app, user) -> list[str]:
    client = _client(app, user)
    problems = []
    for rule in _rules(app, _is_admin_rule):
        path, method = _path(rule), _first_method(rule)
        for response in (client.open(path, method=method),
                         client.open(path, method=method, query_string={"response_format": "json"})):
            if response.status_code != 403:
                problems.append(f"{method} {path} ({rule.endpoint}) -> {response.status_code}")
    return problems


def get_problems(app, admin) -> list[str]:
    client = _client(app, admin)
    adapter = app.url_map.bind("localhost")
    problems = []
    for rule in _browser_state_rules(app):
        path = _path(rule)
        try:
            adapter.match(path, method="GET")
            serves_get = True
        except MethodNotAllowed:
            serves_get = False
        except NotFound:
            problems.append(f"GET {path} ({rule.endpoint}): the built path does not match")
            continue
        before = _row_counts()
        response = client.get(path)
        after = _row_counts()
        if not serves_get and response.status_code != 405:
            problems.append(f"GET {path} ({rule.endpoint}) -> {response.status_code}, expected 405")
        changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
        if changed:
            problems.append(f"GET {path} ({rule.endpoint}) changed row counts {changed}")
        if response.status_code >= 500:
            problems.append(f"GET {path} ({rule.endpoint}) -> {response.status_code}")
    return problems


def csrf_problems(app, admin) -> list[str]:
    client = _client(app, admin)
    problems = []
    for rule in _browser_state_rules(app):
        path = _path(rule)
        for method in _state_methods(rule):
            before = _row_counts()
            response = client.open(path, method=method, data={"name": "x", "id": "1"})
            after = _row_counts()
            if response.status_code != 400:
                problems.append(f"{method} {path} ({rule.endpoint}) without CSRF -> {response.status_code}")
            if before != after:
                problems.append(f"{method} {path} ({rule.endpoint}) without CSRF changed row counts")
    return problems


def test_admin_routes_send_anonymous_users_to_sign_in(app, world):
    problems = anonymous_problems(app)
    assert not problems, _report(problems, "did not send anonymous users to /account/signin")


def test_admin_routes_refuse_signed_in_non_admins(app, world):
    problems = non_admin_problems(app, world["joe"])
    assert not problems, _report(problems, "did not refuse a signed-in non-admin with 403")


def test_state_changing_routes_refuse_get_and_get_changes_nothing(app, world):
    problems = get_problems(app, world["admin"])
    assert not problems, _report(problems, "let GET change state")


def test_state_changing_routes_need_a_csrf_token_even_for_admins(app, world):
    problems = csrf_problems(app, world["admin"])
    assert not problems, _report(problems, "accepted a request without a CSRF token")


# --- the sweep itself can fail: a plugin with every mistake it looks for ---------------------------

CARELESS = '''
from flask import Blueprint, request
from pybossa_admin.extensions import csrf, db
from pybossa_admin.models import Category
from pybossa_admin.plugin import Plugin

bp = Blueprint("careless", __name__)


def _add():
    db.session.add(Category(name=f"made by {request.method}", short_name=f"by{request.method.lower()}"))
    db.session.commit()
    return "done"


@bp.route("/careless/vote", methods=["GET", "POST"])      # GET changes state
def vote():
    return _add()


@bp.route("/careless/exempt", methods=["POST"])           # no CSRF check
@csrf.exempt
def exempt():
    return _add()


def _open_door():                                         # lets everyone into /admin/door
    if request.path.startswith("/admin/door"):
        return "door is open"


def setup(app):
    app.before_request_funcs.setdefault(None, []).insert(0, _open_door)
    app.add_url_rule("/admin/door/<int:number>", "door", lambda number: "door")


plugin = Plugin(name="careless", version="1.0", blueprints=(bp,), setup=setup)
'''


def test_the_sweep_catches_a_careless_plugin(make_app, tmp_path):
    from .plugin_kit import write_plugin
    folder = tmp_path / "plugins"
    write_plugin(folder, "careless", CARELESS)
    app = make_app(PLUGINS_FOLDER=str(folder))
    with app.app_context():
        admin, joe = factories.user(name="root", admin=True), factories.user(name="joe")
        assert any("/admin/door/1" in p for p in anonymous_problems(app))
        assert any("/admin/door/1" in p for p in non_admin_problems(app, joe))
        assert any("GET /careless/vote" in p and "changed row counts" in p for p in get_problems(app, admin))
        found = csrf_problems(app, admin)
        assert any("POST /careless/exempt" in p and "-> 200" in p for p in found)
        assert any("POST /careless/exempt" in p and "changed row counts" in p for p in found)
        db.session.remove()
