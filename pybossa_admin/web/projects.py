"""Project pages: the project page, creation, settings, publish and delete. Views are thin: every change
goes through services.projects with caller="web", which validates and writes the audit trail."""
from __future__ import annotations

from flask import flash, request, url_for
from flask_login import current_user

from ..auth.guards import login_required
from ..extensions import db
from ..repositories import projects as project_repo
from ..responses import redirect_to, respond
from ..services import projects as project_service
from ..services.projects import ProjectError
from .access import can_manage, managed_project, owner_view, project_view, visible_project
from .blueprint import bp
from .forms import DeleteForm, ProjectForm, SettingsForm, category_choices

SETTINGS_FIELDS = ("name", "description", "long_description", "category_id", "allow_anonymous_contributors",
                   "paused")


def _me():
    return current_user._get_current_object()


def _field_error(form, exc: ProjectError) -> None:
    """Show a service refusal next to its field (or as a flash when it has none on this form)."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = list(field.errors) + [str(exc)]
    else:
        flash(str(exc), "error")


def project_page(project, status: int = 200):
    manager = can_manage(project)
    progress = project_repo.progress(project)
    reasons = project_service.draft_reasons(project, progress.n_tasks) if manager and not project.published else []
    return respond("web/project.html", status=status, title=project.name,
                   project=project_view(project, full=manager), owner=owner_view(project),
                   category=project.category, progress=progress, can_manage=manager,
                   draft_reasons=reasons, can_contribute=project.published and not project.paused,
                   links=_links(project, manager))


def _links(project, manager: bool) -> dict:
    links = {"self": url_for("web.project", short_name=project.short_name),
             "contribute": url_for("web.contribute", short_name=project.short_name),
             "category": url_for("web.category", short_name=project.category.short_name)}
    if manager:
        links["settings"] = url_for("web.settings", short_name=project.short_name)
        if not project.published:
            links["publish"] = url_for("web.publish", short_name=project.short_name)
    return links


@bp.route("/project/<short_name>")
def project(short_name):
    return project_page(visible_project(short_name))


@bp.route("/project/new", methods=["GET", "POST"])
@login_required
def new_project():
    form = ProjectForm()
    form.category_id.choices = category_choices(project_repo.categories())
    status = 200
    if form.validate_on_submit():
        values = {name: getattr(form, name).data
                  for name in ("name", "short_name", "description", "long_description", "category_id")}
        try:
            created = project_service.create(_me(), values, caller="web")
        except ProjectError as exc:
            db.session.rollback()
            _field_error(form, exc)
            status = exc.status
        else:
            flash("Project created. It is a draft until it has tasks and a task presenter and you publish it.",
                  "success")
            return redirect_to(url_for("web.project", short_name=created.short_name))
    elif request.method == "POST":
        status = 400
    if not form.category_id.choices:
        flash("There are no categories yet; ask an administrator to create one.", "error")
    return respond("web/project_new.html", status=status, form=form, title="New project")


@bp.route("/project/<short_name>/publish", methods=["POST"])
def publish(short_name):
    project, denial = managed_project(short_name)
    if denial is not None:
        return denial
    try:
        project_service.publish(project, _me(), caller="web")
    except ProjectError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return project_page(project, status=exc.status)
    flash("The project is published: volunteers can now find it and contribute.", "success")
    return redirect_to(url_for("web.project", short_name=project.short_name))


def _normalize_presenter(text: str | None) -> str:
    # Browsers send textarea content with CRLF line ends; store LF so an untouched presenter is no change.
    return (text or "").replace("\r\n", "\n")


def _settings_form(project) -> SettingsForm:
    data = {name: getattr(project, name) for name in SETTINGS_FIELDS}
    data["task_presenter"] = (project.info or {}).get("task_presenter", "")
    form = SettingsForm(data=data)
    form.category_id.choices = category_choices(project_repo.categories())
    return form


def _submitted_names() -> set[str] | None:
    """For JSON callers, the fields they sent (a partial update); None for HTML forms (all fields)."""
    return set(request.get_json()) if request.is_json else None  # an object: see blueprint.py


def _settings_values(project, form: SettingsForm) -> dict:
    sent = _submitted_names()
    values = {name: getattr(form, name).data for name in SETTINGS_FIELDS if sent is None or name in sent}
    if sent is None or "task_presenter" in sent:
        info = dict(project.info or {})
        old = info.get("task_presenter")
        new = _normalize_presenter(form.task_presenter.data)
        if not new.strip():
            info.pop("task_presenter", None)
        elif _normalize_presenter(old) != new:
            info["task_presenter"] = new
        values["info"] = info
    return values


def settings_page(project, form=None, delete_form=None, status: int = 200):
    return respond("web/settings.html", status=status, title=f"{project.name}: settings",
                   project=project_view(project, full=True), form=form or _settings_form(project),
                   delete_form=delete_form or DeleteForm(formdata=None))


@bp.route("/project/<short_name>/settings", methods=["GET", "POST"])
def settings(short_name):
    project, denial = managed_project(short_name)
    if denial is not None:
        return denial
    form = _settings_form(project)
    if request.method == "GET":
        return settings_page(project, form)
    if not form.validate_on_submit():
        return settings_page(project, form, status=400)
    try:
        rows = project_service.update(project, _me(), _settings_values(project, form), caller="web")
    except ProjectError as exc:
        db.session.rollback()
        _field_error(form, exc)
        return settings_page(project, form, status=exc.status)
    flash(f"Settings saved ({rows} change{'s' if rows != 1 else ''})." if rows else "Nothing changed.",
          "success")
    return redirect_to(url_for("web.settings", short_name=project.short_name))


@bp.route("/project/<short_name>/delete", methods=["POST"])
def delete(short_name):
    project, denial = managed_project(short_name)
    if denial is not None:
        return denial
    form = DeleteForm()
    if not form.validate_on_submit() or form.confirm.data != project.short_name:
        if not form.confirm.errors:
            form.confirm.errors = [f"Type {project.short_name} exactly to delete the project."]
        flash("The project was not deleted.", "error")
        return settings_page(project, delete_form=form, status=400)
    name = project.name
    project_service.delete(project, _me(), caller="web")
    flash(f"The project {name} and all its tasks, answers and results are deleted.", "success")
    return redirect_to(url_for("web.home"))
