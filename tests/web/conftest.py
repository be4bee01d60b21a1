"""Shared data for the web page tests: joe owns the projects, ann is another volunteer, root is admin."""
import pytest

from pybossa_admin.models import AuditLog

from .. import factories


@pytest.fixture
def other_user(app, user):
    return factories.user(name="ann")


@pytest.fixture
def other_client(client_for, other_user):
    c = client_for()
    c.signin(other_user)
    return c


@pytest.fixture
def published(app, user):
    project = factories.project(owner=user, name="Penguin Watch", short_name="penguins", featured=True,
                                long_description="Count the penguins.\nEvery answer helps.")
    factories.task(project=project)
    return project


@pytest.fixture
def draft(app, user):
    return factories.project(owner=user, name="Bird Songs", short_name="birds", published=False, presenter=False)


@pytest.fixture
def clients(client, user_client, other_client, admin_client):
    """Every kind of visitor: anonymous, the owner (joe), another user (ann), an admin (root)."""
    return {"anonymous": client, "owner": user_client, "other": other_client, "admin": admin_client}


def audit_rows(project_id, **filters):
    query = AuditLog.query.filter_by(project_id=project_id, **filters).order_by(AuditLog.id)
    return query.all()
