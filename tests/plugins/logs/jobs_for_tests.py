"""Job functions the logs tests enqueue (importable by a worker, like any job)."""


def explode(project_id):
    raise RuntimeError(f"kaboom on project {project_id}: password=hunter2-planted")


def succeed(project_id):
    return {"ok": project_id}
