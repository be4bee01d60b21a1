"""Platform signals. Senders are the app (current_app._get_current_object()), so a receiver
connected with sender=app hears only its own app: several apps in one process stay apart."""
from blinker import Namespace

_signals = Namespace()

project_created = _signals.signal("project-created")
project_updated = _signals.signal("project-updated")
project_deleted = _signals.signal("project-deleted")
task_run_created = _signals.signal("task-run-created")
task_completed = _signals.signal("task-completed")
user_created = _signals.signal("user-created")
user_updated = _signals.signal("user-updated")
user_signed_in = _signals.signal("user-signed-in")
user_signed_out = _signals.signal("user-signed-out")
plugins_loaded = _signals.signal("plugins-loaded")

ALL = {s.name: s for s in (project_created, project_updated, project_deleted, task_run_created,
                           task_completed, user_created, user_updated, user_signed_in,
                           user_signed_out, plugins_loaded)}


def send(signal, **kwargs):
    from flask import current_app
    return signal.send(current_app._get_current_object(), **kwargs)
