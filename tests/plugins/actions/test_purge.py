"""Purge one project's task runs: typed confirmation, a job on `maintenance`, audited, others intact."""
from pybossa_admin.extensions import db
from pybossa_admin.models import AuditLog, LogEvent, Result, Task, TaskRun

from ... import factories

URL = "/admin/actions/purge"


def project_with_runs(short_name, n_tasks=3, runs_per_task=2):
    project = factories.project(short_name=short_name)
    for _ in range(n_tasks):
        task = factories.task(project, n_answers=runs_per_task, state="completed")
        ids = [factories.task_run(task, factories.user()).id for _ in range(runs_per_task)]
        db.session.add(Result(project_id=project.id, task_id=task.id, task_run_ids=ids, info={"answer": "yes"}))
    db.session.commit()
    return project


def counts(project):
    return (db.session.query(TaskRun).filter_by(project_id=project.id).count(),
            db.session.query(Result).filter_by(project_id=project.id).count(),
            db.session.query(Task).filter_by(project_id=project.id, state="completed").count(),
            db.session.query(Task).filter_by(project_id=project.id).count())


def test_confirmation_page_shows_what_goes(admin_client):
    project_with_runs("birds")
    page = admin_client.get(URL + "?project=birds")
    assert page.status_code == 200 and 'id="purge-task-runs">6<' in page.get_data(as_text=True)
    data = admin_client.get_json(URL + "?project=birds").get_json()
    assert data["counts"] == {"task_runs": 6, "results": 3, "tasks": 3, "completed_tasks": 3}
    assert data["project"]["short_name"] == "birds"


def test_mismatched_confirmation_is_400_and_changes_nothing(admin_client, run_jobs):
    birds = project_with_runs("birds")
    for typed in ("", "Birds", "bird", "fish"):
        response = admin_client.post(URL, {"project": "birds", "confirm": typed})
        assert response.status_code == 400
        assert 'id="purge-error"' in response.get_data(as_text=True)
        assert "does not match" in response.get_data(as_text=True)
    response = admin_client.post(URL + "?response_format=json", {"project": "birds", "confirm": "fish"})
    assert response.status_code == 400 and "'birds'" in response.get_json()["description"]
    run_jobs(["maintenance"])
    assert counts(birds) == (6, 3, 3, 3)
    assert db.session.query(AuditLog).filter_by(attribute="task_runs").count() == 0


def test_unknown_or_missing_project(admin_client):
    assert admin_client.get(URL + "?project=nope").status_code == 404
    assert admin_client.post(URL, {"project": "nope", "confirm": "nope"}).status_code == 404
    assert admin_client.post(URL, {"confirm": "x"}).status_code == 400
    assert admin_client.get(URL).status_code == 400


def test_purge_runs_as_a_job_is_audited_and_leaves_other_projects_intact(admin_client, run_jobs):
    birds, fish = project_with_runs("birds"), project_with_runs("fish", n_tasks=2)
    response = admin_client.post(URL + "?response_format=json", {"project": "birds", "confirm": "birds"})
    assert response.status_code == 200, response.get_data(as_text=True)
    run_jobs(["maintenance"])
    db.session.expire_all()
    assert counts(birds) == (0, 0, 0, 3)                 # tasks stay, back to ongoing
    assert counts(fish) == (4, 2, 2, 2)                  # untouched
    audit = db.session.query(AuditLog).filter_by(project_id=birds.id, attribute="task_runs").one()
    assert (audit.action, audit.caller, audit.user_name, audit.old_value, audit.new_value) == \
        ("delete", "job", "root", "6", "0")
    asked = db.session.query(LogEvent).filter_by(event="action.purge_task_runs").one()
    done = db.session.query(LogEvent).filter_by(event="project.task_runs_purged").one()
    assert asked.user_name == "root" and asked.channel == "platform" and asked.data["project"] == "birds"
    assert done.user_name == "root" and done.data["task_runs"] == 6 and done.data["tasks_reset"] == 3


def test_purge_by_html_form_redirects_with_a_message(admin_client, run_jobs, app):
    project_with_runs("birds", n_tasks=1)
    response = admin_client.post(URL, {"project": "birds", "confirm": " birds "})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/actions/")
    run_jobs(["maintenance"])
    page = admin_client.get("/admin/actions/").get_data(as_text=True)
    assert ("Purged 2 task runs" in page) if app.config["EMBEDDED_JOBS"] else ("queued on maintenance" in page)
    assert db.session.query(TaskRun).count() == 0


def test_purge_job_is_idempotent(app, admin_user):
    from plugins.actions.purge import purge_task_runs
    birds = project_with_runs("birds", n_tasks=2)
    assert purge_task_runs(birds.id, admin_user.id)["task_runs"] == 4
    assert purge_task_runs(birds.id, admin_user.id)["task_runs"] == 0
    assert purge_task_runs(999999, admin_user.id)["missing"] is True
