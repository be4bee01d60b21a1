"""/admin/featured: feature or un-feature published projects (the home page shows featured ones).

POST /admin/featured/<id> features, DELETE un-features, and both answer the project as JSON with
PYBOSSA's messages and codes (415 already / not featured, 404 unknown). A browser form cannot send
DELETE, so the page's Remove button POSTs `_method=DELETE` (still CSRF-checked) and gets a redirect
back to the page with a flash instead of JSON.
"""
from __future__ import annotations

from flask import flash, jsonify, request, url_for
from flask_wtf import FlaskForm

from pybossa_admin.plugin import AdminView, current_user, db, expose, models, redirect_to, wants_json
from pybossa_admin.services import projects as project_service

from . import queries


def _from_browser_form() -> bool:
    return request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data") and not wants_json()


def _error(message: str, code: int):
    if _from_browser_form():
        flash(message, "error")
        return redirect_to(url_for(".index"))
    return jsonify({"error": message, "status_code": code, "code": code, "description": message,
                    "status": "error"}), code


class ButtonsForm(FlaskForm):
    """Only the CSRF token the Add/Remove buttons carry (PYBOSSA's JSON has it as form.csrf)."""


class FeaturedView(AdminView):
    @expose("/")
    @expose("")
    def index(self):
        groups = queries.published_by_category()
        return self.respond("featured/index.html", _groups=groups,
                            categories=[category for category, _ in groups],
                            projects={category.short_name: projects for category, projects in groups},
                            form=ButtonsForm(),
                            title="Manage featured projects")

    @expose("/<int:project_id>", methods=["POST", "DELETE"])
    def toggle(self, project_id: int):
        method = request.method
        if method == "POST" and request.form.get("_method", "").upper() == "DELETE":
            method = "DELETE"
        feature = method == "POST"
        project = db.session.get(models.Project, project_id)
        if project is None:
            return _error(f"Project.id {project_id} not found", 404)
        if feature and project.featured:
            return _error(f"Project.id {project_id} already featured", 415)
        if not feature and not project.featured:
            return _error(f"Project.id {project_id} is not featured", 415)
        if feature and not project.published:
            return _error(f"Project.id {project_id} is a draft: only published projects can be featured", 415)
        try:
            project_service.set_featured(project, feature, current_user._get_current_object(), caller="web")
        except project_service.ProjectError as exc:
            return _error(str(exc), exc.status)
        if _from_browser_form():
            flash(f"{project.name} is {'now' if feature else 'no longer'} featured.", "success")
            return redirect_to(url_for(".index") + f"#project-{project.id}")
        return jsonify(project.as_dict())
