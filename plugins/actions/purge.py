"""Purging one project's task runs: a job on the `maintenance` queue, batched, audited and logged."""
from __future__ import annotations

from rq import get_current_job
from sqlalchemy import delete, func, select, update

from pybossa_admin.plugin import db, models
from pybossa_admin.services import audit, events

BATCH = 5000


def counts(project_id: int) -> dict:
    run, result, task = models.TaskRun, models.Result, models.Task
    return {
        "task_runs": db.session.scalar(select(func.count()).select_from(run).where(run.project_id == project_id)) or 0,
        "results": db.session.scalar(select(func.count()).select_from(result)
                                     .where(result.project_id == project_id)) or 0,
        "tasks": db.session.scalar(select(func.count()).select_from(task).where(task.project_id == project_id)) or 0,
        "completed_tasks": db.session.scalar(select(func.count()).select_from(task)
                                             .where(task.project_id == project_id, task.state != "ongoing")) or 0,
    }


def purge_task_runs(project_id: int, by_id: int | None = None) -> dict:
    """Delete the project's results and task runs and set its tasks back to ongoing. Idempotent.

    Task runs go in batches with a commit each, so a big project never holds one huge transaction;
    a job that stops half way is simply run again."""
    project = db.session.get(models.Project, project_id)
    if project is None:
        return {"project_id": project_id, "missing": True, "task_runs": 0}
    by = db.session.get(models.User, by_id) if by_id else None
    before = counts(project_id)
    job = get_current_job()
    db.session.execute(delete(models.Result).where(models.Result.project_id == project_id))
    db.session.commit()
    removed = 0
    while True:
        batch = select(models.TaskRun.id).where(models.TaskRun.project_id == project_id).limit(BATCH)
        gone = db.session.execute(delete(models.TaskRun).where(models.TaskRun.id.in_(batch))).rowcount or 0
        db.session.commit()
        removed += gone
        if job is not None:
            job.meta["progress"] = {"done": removed, "total": before["task_runs"]}
            job.save_meta()
        if gone < BATCH:
            break
    reset = db.session.execute(update(models.Task).where(models.Task.project_id == project_id,
                                                         models.Task.state != "ongoing")
                               .values(state="ongoing")).rowcount or 0
    audit.note(project, by, "job", "task_runs", before["task_runs"], 0, action="delete")
    events.record("platform", "project.task_runs_purged",
                  f"{removed} task runs and {before['results']} results of {project.short_name} purged, "
                  f"{reset} tasks set back to ongoing", user=by, user_name=None if by else "system",
                  commit=False, data={"project_id": project_id, "project": project.short_name,
                                      "task_runs": removed, "results": before["results"], "tasks_reset": reset})
    db.session.commit()
    return {"project_id": project_id, "project": project.short_name, "task_runs": removed,
            "results": before["results"], "tasks_reset": reset}
