"""/admin/projects: every project, drafts included, with search, filters, sort and paging;
admins edit and delete any project through services.projects (audited as theirs, caller "web")."""
from __future__ import annotations

import json

from flask import flash, jsonify, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from pybossa_admin.plugin import (AdminView, current_user, db, error_response, expose, models, redirect_to,
                                  wants_json)
from pybossa_admin.services import projects as project_service

from . import queries

class ProjectForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("A project needs a name."), Length(max=255)])
    description = StringField("Description", validators=[Length(max=255)])
    category_id = SelectField("Category", coerce=int)
    owner = StringField("Owner (user name)", validators=[DataRequired("A project needs an owner."), Length(max=254)])
    featured = BooleanField("Featured on the home page")
    paused = BooleanField("Paused (volunteers get no new tasks)")
    info = TextAreaField("info (JSON object)")


class DeleteForm(FlaskForm):
    """Only the CSRF token."""


class BadFilter(ValueError):
    pass


def _filters() -> queries.Filters:
    args = request.args
    status, featured = args.get("status", ""), args.get("featured", "")
    sort, direction = args.get("sort", "updated"), args.get("dir", "desc")
    if status not in ("", "published", "draft"):
        raise BadFilter("status must be published or draft")
    if featured not in ("", "yes", "no"):
        raise BadFilter("featured must be yes or no")
    if sort not in queries.SORTS:
        raise BadFilter(f"sort must be one of {', '.join(queries.SORTS)}")
    if direction not in ("asc", "desc"):
        raise BadFilter("dir must be asc or desc")
    try:
        category_id = int(args["category"]) if args.get("category") else None
        page = int(args.get("page", 1))
    except ValueError:
        raise BadFilter("category and page must be whole numbers") from None
    if page < 1:
        raise BadFilter("page must be 1 or more")
    return queries.Filters(q=(args.get("q") or "").strip()[:255], status=status, featured=featured,
                           category_id=category_id, sort=sort, direction=direction, page=page)


def _not_found(project_id: int):
    message = f"Project.id {project_id} not found"
    if wants_json():
        return jsonify({"error": message, "status_code": 404, "code": 404, "description": message,
                        "status": "error"}), 404
    return error_response(404, message)


def _categories():
    return list(db.session.scalars(select(models.Category).order_by(models.Category.name)))


def _submitted_fields() -> set[str] | None:
    """For a JSON body, the fields it carries (a partial update); None for a browser form (all fields)."""
    if request.is_json:
        body = request.get_json(silent=True)
        return set(body) if isinstance(body, dict) else set()
    return None


def _changes(form: ProjectForm, project) -> dict:
    """The values that differ from the project; problems become field errors on the form."""
    wanted = {"name": str(form.name.data or "").strip(), "description": str(form.description.data or "").strip(),
              "category_id": form.category_id.data, "featured": bool(form.featured.data),
              "paused": bool(form.paused.data)}
    owner = db.session.scalar(select(models.User).where(func.lower(models.User.name)
                                                         == (form.owner.data or "").strip().lower()))
    if owner is None:
        form.owner.errors = list(form.owner.errors) + [f"No user named {form.owner.data!r}."]
    else:
        wanted["owner_id"] = owner.id
    info = form.info.data
    try:
        info = json.loads(info) if isinstance(info, str) else info
    except ValueError as exc:
        form.info.errors = list(form.info.errors) + [f"Not valid JSON: {exc}"]
    else:
        if isinstance(info, dict):
            wanted["info"] = info
        else:
            form.info.errors = list(form.info.errors) + ["info must be a JSON object ({...})."]
    changes = {k: v for k, v in wanted.items() if getattr(project, k) != v}
    if changes.get("featured") and not project.published:
        form.featured.errors = list(form.featured.errors) + ["Only published projects can be featured."]
    return changes


class ProjectsView(AdminView):
    @expose("/")
    @expose("")
    def index(self):
        try:
            filters = _filters()
        except BadFilter as exc:
            return error_response(400, str(exc))
        rows, total = queries.page(filters)
        pages = max(1, -(-total // queries.PAGE_SIZE))
        return self.respond("projects/index.html", projects=rows, total=total, page=filters.page, pages=pages,
                            filters=filters.as_dict(), _filters=filters, categories=_categories(),
                            sorts=queries.SORTS, title="Projects")

    @expose("/update/<int:project_id>", methods=["GET", "POST"])
    def update(self, project_id: int):
        project = db.session.get(models.Project, project_id)
        if project is None:
            return _not_found(project_id)
        form = ProjectForm(name=project.name, description=project.description, category_id=project.category_id,
                           owner=project.owner.name, featured=project.featured, paused=project.paused,
                           info=json.dumps(project.info or {}, indent=2, ensure_ascii=False))
        form.category_id.choices = [(c.id, c.name) for c in _categories()]
        status = 200
        if request.method == "POST":
            if _submitted_fields() is not None:
                _prefill_missing_json_fields(form, project)
            changes = _changes(form, project) if form.validate() else {}
            if not form.errors:
                try:
                    rows = project_service.update(project, current_user._get_current_object(), changes,
                                                  caller="web")
                except project_service.ProjectError as exc:
                    db.session.rollback()
                    field = {"owner_id": "owner"}.get(exc.field, exc.field)
                    target = getattr(form, field or "", None)
                    if target is not None:
                        target.errors = list(target.errors) + [str(exc)]
                    else:
                        flash(str(exc), "error")
                    status = exc.status
                else:
                    flash("Project updated" if rows else "Nothing to change", "success")
                    return redirect_to(url_for(".index"))
            else:
                status = 400
            flash("Please correct the errors", "error")
        return self.respond("projects/update.html", status=status, project=project, form=form,
                            title=f"Edit project {project.name}")

    @expose("/del/<int:project_id>", methods=["GET", "POST"])
    def delete(self, project_id: int):
        project = db.session.get(models.Project, project_id)
        if project is None:
            return _not_found(project_id)
        if request.method == "POST":
            name = project.name
            project_service.delete(project, current_user._get_current_object(), caller="web")
            flash(f"Project deleted! ({name})", "success")
            return redirect_to(url_for(".index"))
        return self.respond("projects/delete.html", project=project, form=DeleteForm(),
                            **queries.footprint(project), title=f"Delete project {project.name}")


def _prefill_missing_json_fields(form: ProjectForm, project) -> None:
    """A JSON body may carry only the fields to change; the others keep the project's values."""
    present = _submitted_fields() or set()
    current = {"name": project.name, "description": project.description, "category_id": project.category_id,
               "owner": project.owner.name, "featured": project.featured, "paused": project.paused,
               "info": project.info or {}}
    for name, value in current.items():
        if name not in present:
            getattr(form, name).data = value
