"""Getting the first admin in: first registration wins the admin role (race-free), the one-time
bootstrap link, and `pybossa-admin users create --admin`."""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import requests
from sqlalchemy import delete, func, select, update

from pybossa_admin.extensions import db
from pybossa_admin.models import AppSetting, LogEvent, OneTimeToken, User, utcnow
from pybossa_admin.services import bootstrap, tokens
from pybossa_admin.services import users as user_service

from ..browser_support import LiveServer
from ..conftest import Client

PASSWORD = "first admin password"


def _admins() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(User.name).where(User.admin.is_(True))))


def _race(app, count: int, action) -> list:
    """Run action(i) in `count` threads released together, each in its own app context."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def worker(i):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                results[i] = action(i)
            except Exception as exc:  # reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_concurrent_first_registrations_make_exactly_one_admin(app):
    for round_no in range(3):
        def register(i, round_no=round_no):
            return user_service.create(f"racer{round_no}x{i}", f"r{round_no}x{i}@example.org", PASSWORD).name
        names = _race(app, 4, register)
        admins = _admins()
        assert len(admins) == 1, f"round {round_no}: admins {admins}"
        assert db.session.scalar(select(func.count()).select_from(User)) == 4
        assert admins[0] in names
        db.session.execute(delete(User))
        db.session.execute(delete(AppSetting))
        db.session.commit()
        # With the claim row gone too, the next round starts from an empty platform again.


def test_registration_after_an_admin_exists_is_not_admin(app, admin_user):
    user = user_service.create("late", "late@example.org", PASSWORD)
    assert user.admin is False


def test_concurrent_registrations_through_the_web(app):
    with LiveServer(app) as server:
        def register(i):
            session = requests.Session()
            page = session.get(f"{server.url}/account/register", timeout=30).text
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            return session.post(f"{server.url}/account/register", timeout=60, allow_redirects=False,
                                data={"csrf_token": token, "name": f"web{i}", "email_addr": f"web{i}@example.org",
                                      "fullname": f"Web {i}", "password": PASSWORD}).status_code
        statuses = _race(app, 3, register)
    assert statuses == [302, 302, 302]
    assert len(_admins()) == 1


# --- the bootstrap link ---------------------------------------------------------------------------

def _link(base="http://127.0.0.1:5000") -> tuple[str, str]:
    link = bootstrap.offer_link(base, "127.0.0.1")
    assert link is not None
    url, _, token = link.partition("#")
    return url, token


def _claim(client, token, name="boss", **extra):
    data = {"token": token, "name": name, "fullname": "The Boss", "email_addr": f"{name}@example.org",
            "password": PASSWORD}
    data.update(extra)
    return client.post("/account/bootstrap", data)


def test_link_carries_the_token_in_the_fragment_only(app):
    url, token = _link()
    assert url == "http://127.0.0.1:5000/account/bootstrap"
    assert len(token) >= 40 and "?" not in url
    row = db.session.scalar(select(OneTimeToken))
    assert row.kind == "bootstrap" and token not in row.token_hash  # only the hash is stored
    assert timedelta(minutes=29) < row.expires - utcnow() <= timedelta(minutes=30)


def test_link_creates_the_admin_once(client):
    _, token = _link()
    assert client.get("/account/bootstrap").status_code == 200
    response = _claim(client, token)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    assert client.get("/admin/").status_code == 200
    assert _admins() == ["boss"]
    again = _claim(Client(client.app), token, name="intruder")
    assert again.status_code == 404  # an admin exists: the page is gone
    assert _admins() == ["boss"] and db.session.scalar(select(User).where(User.name == "intruder")) is None
    assert "bootstrap.used" in db.session.scalars(select(LogEvent.event)).all()


def test_used_token_is_refused(client):
    _, token = _link()
    assert tokens.consume("bootstrap", token) is not None
    db.session.commit()
    assert tokens.consume("bootstrap", token) is None  # single use
    response = _claim(client, token)
    assert response.status_code == 403
    assert "invalid, used or expired" in response.get_data(as_text=True)
    assert _admins() == []


def test_expired_token_is_refused(client):
    _, token = _link()
    db.session.execute(update(OneTimeToken).values(expires=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert _claim(client, token).status_code == 403
    assert _admins() == []


def test_wrong_token_and_bad_fields(client):
    _, token = _link()
    assert _claim(client, "not-the-token").status_code == 403
    response = _claim(client, token, password="short")
    assert response.status_code == 400
    assert tokens.peek("bootstrap", token) is not None  # a typo does not burn the link
    assert _admins() == []


@pytest.mark.parametrize("mode, remote, status", [
    ("auto", "127.0.0.1", 200), ("auto", "203.0.113.7", 404), ("always", "203.0.113.7", 200),
    ("never", "127.0.0.1", 404),
])
def test_bootstrap_page_only_where_allowed(make_app, mode, remote, status):
    app = make_app(BOOTSTRAP_LINK=mode)
    with app.app_context():
        response = app.test_client().get("/account/bootstrap", environ_base={"REMOTE_ADDR": remote})
        assert response.status_code == status
        db.session.remove()


def test_offer_link_rules(make_app):
    app = make_app()
    with app.app_context():
        assert bootstrap.offer_link("http://127.0.0.1:5000", "127.0.0.1")
        assert bootstrap.offer_link("http://localhost:5000", "localhost")
        assert bootstrap.offer_link("http://[::1]:5000", "::1")
        assert bootstrap.offer_link("http://0.0.0.0:5000", "0.0.0.0") is None
        assert bootstrap.offer_link("http://crowd.example.org", "crowd.example.org") is None
        app.config["BOOTSTRAP_LINK"] = "always"
        assert bootstrap.offer_link("http://crowd.example.org", "crowd.example.org")
        app.config["BOOTSTRAP_LINK"] = "never"
        assert bootstrap.offer_link("http://127.0.0.1:5000", "127.0.0.1") is None
        app.config["BOOTSTRAP_LINK"] = "auto"
        user_service.create("admin1", "admin1@example.org", PASSWORD, admin=True, via="test")
        assert bootstrap.offer_link("http://127.0.0.1:5000", "127.0.0.1") is None
        db.session.remove()


# --- the CLI ---------------------------------------------------------------------------------------

def test_cli_bootstrap_link(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "bootstrap-link"])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"http://127\.0\.0\.1:5000/account/bootstrap#[\w-]{40,}\n", result.output)
    remote = runner.invoke(args=["users", "bootstrap-link", "--base-url", "http://crowd.example.org"])
    assert remote.exit_code == 1 and "BOOTSTRAP_LINK=auto does not allow it" in remote.output
    app.config["BOOTSTRAP_LINK"] = "always"
    assert runner.invoke(args=["users", "bootstrap-link", "--base-url", "http://crowd.example.org"]).exit_code == 0
    user_service.create("admin1", "admin1@example.org", PASSWORD, admin=True, via="test")
    taken = runner.invoke(args=["users", "bootstrap-link"])
    assert taken.exit_code == 1 and "an admin exists already" in taken.output


@pytest.fixture
def served(monkeypatch):
    """`pybossa-admin run` without actually serving: records run_simple's arguments."""
    calls = []
    import werkzeug.serving
    monkeypatch.setattr(werkzeug.serving, "run_simple", lambda *args, **kwargs: calls.append((args, kwargs)))
    return calls


def test_run_prints_the_link_only_without_an_admin_on_loopback(app, served):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["run", "--port", "5999"])
    assert result.exit_code == 0, result.output
    assert "No admin yet" in result.output
    assert re.search(r"http://127\.0\.0\.1:5999/account/bootstrap#[\w-]{40,}", result.output)
    assert served[-1][0][:2] == ("127.0.0.1", 5999)
    public = runner.invoke(args=["run", "--host", "0.0.0.0", "--port", "5999"])
    assert public.exit_code == 0 and "bootstrap#" not in public.output
    user_service.create("admin1", "admin1@example.org", PASSWORD, admin=True, via="test")
    with_admin = runner.invoke(args=["run", "--port", "5999"])
    assert with_admin.exit_code == 0 and "bootstrap#" not in with_admin.output
    assert len(served) == 3


def test_cli_users_create_admin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--name", "ops", "--email", "ops@example.org",
                                 "--password", PASSWORD, "--admin"])
    assert result.exit_code == 0, result.output
    assert "Created user ops" in result.output and "admin role" in result.output
    assert _admins() == ["ops"]
    client = Client(app)
    assert client.post("/account/signin", {"name": "ops", "password": PASSWORD}).status_code == 302
    assert client.get("/admin/").status_code == 200
    # No bootstrap link once an admin exists, and a later registration is an ordinary user.
    assert bootstrap.offer_link("http://127.0.0.1:5000", "127.0.0.1") is None
    assert user_service.create("someone", "someone@example.org", PASSWORD).admin is False


def test_cli_users_create_generates_a_password_and_refuses_duplicates(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--name", "vol", "--email", "vol@example.org"])
    assert result.exit_code == 0, result.output
    password = re.search(r"Password \(shown once\): (\S+)", result.output).group(1)
    vol = db.session.scalar(select(User).where(User.name == "vol"))
    assert vol.check_password(password) and vol.admin is False
    again = runner.invoke(args=["users", "create", "--name", "vol", "--email", "other@example.org"])
    assert again.exit_code == 1 and "That user name is taken." in again.output
