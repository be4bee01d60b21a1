"""rq-dashboard polls use the app's own Redis client: no new connection per poll, no state across apps."""
import redis

from plugins.jobs import rq_mount
from rq_dashboard import web as rq_web

from ...conftest import REDIS_URL


def _clients_on_our_db(url):
    probe = redis.Redis.from_url(url)
    db = probe.connection_pool.connection_kwargs.get("db", 0)
    try:
        return sum(1 for c in probe.client_list() if int(c.get("db", -1)) == db) - 1  # minus the probe itself
    finally:
        probe.close()


def test_connection_factory_returns_the_apps_client(admin_client, app):
    assert rq_web.from_url is rq_mount.app_connection
    admin_client.get("/admin/rq/0/data/queues.json")
    assert app.redis_conn is app.extensions["redis"]
    with app.test_request_context("/admin/rq/"):
        assert rq_web.from_url("redis://elsewhere:1/9")[1] is app.extensions["redis"]


def test_twenty_polls_open_no_new_connection(admin_client, app):
    admin_client.get("/admin/rq/0/data/queues.json")  # warm the pool
    if REDIS_URL:
        before = _clients_on_our_db(REDIS_URL)
    for _ in range(20):
        assert admin_client.get("/admin/rq/0/data/queues.json").status_code == 200
        assert admin_client.get("/admin/rq/0/data/jobs/low/queued/8/asc/1.json").status_code == 200
        assert app.redis_conn is app.extensions["redis"]
    if REDIS_URL:
        after = _clients_on_our_db(REDIS_URL)
        assert after <= before, (before, after)
    pool = app.extensions["redis"].connection_pool
    created = getattr(pool, "_created_connections", None)
    if created is not None:      # real redis-py pool: one connection serves every sequential poll
        assert created <= 2


def test_each_app_sees_its_own_redis(make_app):
    from tests import factories
    from tests.conftest import Client
    apps = (make_app(), make_app())
    clients = []
    for n, app in enumerate(apps):
        with app.app_context():
            client = Client(app)
            client.signin(factories.user(name=f"root{n}", admin=True))
            clients.append(client)
    for _ in range(2):  # interleaved: a factory that cached the first app's client would fail here
        for app, client in zip(apps, clients):
            with app.app_context():
                assert client.get("/admin/rq/0/data/queues.json").status_code == 200
                assert app.redis_conn is app.extensions["redis"]
    assert apps[0].redis_conn is not apps[1].redis_conn
