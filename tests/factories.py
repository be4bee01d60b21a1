"""Test data factories: each call makes one committed object with sensible defaults."""
from __future__ import annotations

import itertools

from pybossa_admin.extensions import db
from pybossa_admin.models import Category, Project, Task, TaskRun, User, new_api_key, utcnow

PASSWORD = "correct horse battery"
_seq = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _hash(password: str) -> str:
    if password not in _hash_cache:
        probe = User()
        probe.set_password(password)
        _hash_cache[password] = probe.passwd_hash
    return _hash_cache[password]


def user(name=None, password=PASSWORD, **fields) -> User:
    n = next(_seq)
    name = name or f"user{n}"
    obj = User(name=name, fullname=fields.pop("fullname", f"User {name.title()}"),
               email_addr=fields.pop("email_addr", f"{name}@example.org"), api_key=new_api_key(),
               passwd_hash=_hash(password), **fields)
    db.session.add(obj)
    db.session.commit()
    return obj


def category(name=None, **fields) -> Category:
    n = next(_seq)
    name = name or f"Category {n}"
    obj = Category(name=name, short_name=fields.pop("short_name", name.lower().replace(" ", "")),
                   description=fields.pop("description", f"About {name}"), **fields)
    db.session.add(obj)
    db.session.commit()
    return obj


def default_category() -> Category:
    return db.session.query(Category).order_by(Category.id).first()


def project(owner=None, name=None, published=True, presenter=True, **fields) -> Project:
    n = next(_seq)
    name = name or f"Project {n}"
    owner = owner or user()
    info = fields.pop("info", {"task_presenter": "<p>Answer me</p>"} if presenter else {})
    obj = Project(name=name, short_name=fields.pop("short_name", f"project{n}"), description=f"About {name}",
                  owner_id=owner.id, category_id=fields.pop("category_id", None) or default_category().id,
                  published=published, info=info, **fields)
    db.session.add(obj)
    db.session.commit()
    return obj


def task(project=None, **fields) -> Task:
    project = project or globals()["project"]()
    obj = Task(project_id=project.id, info=fields.pop("info", {"question": "?"}),
               n_answers=fields.pop("n_answers", 3), **fields)
    db.session.add(obj)
    db.session.commit()
    return obj


def task_run(task=None, user=None, **fields) -> TaskRun:
    task = task or globals()["task"]()
    obj = TaskRun(project_id=task.project_id, task_id=task.id, user_id=getattr(user, "id", None),
                  info=fields.pop("info", {"answer": "yes"}), finish_time=fields.pop("finish_time", utcnow()),
                  **fields)
    db.session.add(obj)
    db.session.commit()
    return obj
