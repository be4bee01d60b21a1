"""Organizations admin pages. Views are thin: form -> services.organizations -> render."""
from __future__ import annotations

from flask import current_app, flash, request, url_for

from pybossa_admin.plugin import AdminView, current_user, db, error_response, expose, models, redirect_to
from pybossa_admin.services import organizations as service

from . import queries
from .forms import CreateForm, MemberForm, ProjectForm, RenameForm


def _me():
    return current_user._get_current_object()


def _page_arg(name: str = "page") -> int:
    value = request.args.get(name, "1")
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return int(value)


def _form_errors(form) -> str:
    return " ".join(f"{getattr(form, name).label.text}: {'; '.join(errors)}" for name, errors in form.errors.items())


class OrganizationsView(AdminView):

    def _per_page(self):
        return current_app.config["ORGANIZATIONS_PER_PAGE"]

    @expose("/")
    def index(self):
        return self._index()

    def _index(self, form=None, status=200):
        try:
            page = _page_arg()
        except ValueError as exc:
            return error_response(400, str(exc))
        rows, total = queries.listing(page, self._per_page())
        return self.respond("organizations/list.html", status=status, organizations=rows, total=total, page=page,
                            pages=max(1, -(-total // self._per_page())), form=form or CreateForm(),
                            title="Organizations")

    @expose("/create", methods=["POST"])
    def create(self):
        form = CreateForm()
        if not form.validate_on_submit():
            flash(_form_errors(form) or "Check the form.", "error")
            return self._index(form=form, status=400)
        try:
            org = service.create(form.name.data, _me(), short_name=form.short_name.data or "",
                                 description=form.description.data or "")
        except service.OrganizationError as exc:
            flash(str(exc), "error")
            return self._index(form=form, status=exc.status)
        flash(f"Organization {org.name} created.", "success")
        return redirect_to(url_for(".detail", org_id=org.id))

    @expose("/<int:org_id>")
    def detail(self, org_id):
        return self._detail(org_id)

    def _detail(self, org_id, status=200, **forms):
        org = db.session.get(models.Organization, org_id)
        if org is None:
            return error_response(404, f"No organization with id {org_id}.")
        try:
            member_page, project_page = _page_arg("members_page"), _page_arg("projects_page")
        except ValueError as exc:
            return error_response(400, str(exc))
        per_page = self._per_page()
        members, member_total = queries.members(org_id, member_page, per_page)
        projects, project_total = queries.projects(org_id, project_page, per_page)
        account_url = "accounts.detail" if "accounts.detail" in current_app.view_functions else None
        return self.respond("organizations/detail.html", status=status, organization=org, members=members,
                            member_total=member_total, members_page=member_page, projects=projects,
                            project_total=project_total, projects_page=project_page, per_page=per_page,
                            rename_form=forms.get("rename_form") or RenameForm(name=org.name),
                            member_form=forms.get("member_form") or MemberForm(),
                            project_form=forms.get("project_form") or ProjectForm(),
                            account_endpoint=account_url, title=f"Organization {org.name}")

    def _org_or_404(self, org_id):
        org = db.session.get(models.Organization, org_id)
        return org, (error_response(404, f"No organization with id {org_id}.") if org is None else None)

    def _fail(self, org_id, message, status, **forms):
        db.session.rollback()
        flash(message, "error")
        return self._detail(org_id, status=status, **forms)

    @expose("/<int:org_id>/rename", methods=["POST"])
    def rename(self, org_id):
        org, missing = self._org_or_404(org_id)
        if missing:
            return missing
        form = RenameForm()
        if not form.validate_on_submit():
            return self._fail(org_id, _form_errors(form) or "Check the form.", 400, rename_form=form)
        old = org.name
        try:
            service.rename(org, form.name.data, _me())
        except service.OrganizationError as exc:
            return self._fail(org_id, str(exc), exc.status, rename_form=form)
        flash(f"Organization {old} is now called {org.name}.", "success")
        return redirect_to(url_for(".detail", org_id=org_id))

    @expose("/<int:org_id>/delete", methods=["POST"])
    def delete(self, org_id):
        org, missing = self._org_or_404(org_id)
        if missing:
            return missing
        name = org.name
        try:
            service.delete(org, _me())
        except service.OrganizationError as exc:
            return self._fail(org_id, str(exc), exc.status)
        flash(f"Organization {name} deleted.", "success")
        return redirect_to(url_for(".index"))

    @expose("/<int:org_id>/members", methods=["POST"])
    def add_member(self, org_id):
        org, missing = self._org_or_404(org_id)
        if missing:
            return missing
        form = MemberForm()
        if not form.validate_on_submit():
            return self._fail(org_id, _form_errors(form) or "Check the form.", 400, member_form=form)
        user = queries.user_by_login(form.user.data)
        if user is None:
            return self._fail(org_id, f"No user named {form.user.data.strip()!r}.", 404, member_form=form)
        previous = user.organization.name if user.organization else None
        if not service.add_member(org, user, _me()):
            flash(f"{user.name} is already a member of {org.name}.", "info")
        else:
            flash(f"{user.name} added to {org.name}" + (f" (moved from {previous})." if previous else "."),
                  "success")
        return redirect_to(url_for(".detail", org_id=org_id))

    @expose("/<int:org_id>/members/<int:user_id>/remove", methods=["POST"])
    def remove_member(self, org_id, user_id):
        org, missing = self._org_or_404(org_id)
        if missing:
            return missing
        user = db.session.get(models.User, user_id)
        if user is None:
            return error_response(404, f"No user with id {user_id}.")
        try:
            service.remove_member(org, user, _me())
        except service.OrganizationError as exc:
            return self._fail(org_id, str(exc), exc.status)
        flash(f"{user.name} removed from {org.name}.", "success")
        return redirect_to(url_for(".detail", org_id=org_id))

    @expose("/<int:org_id>/projects", methods=["POST"])
    def add_project(self, org_id):
        org, missing = self._org_or_404(org_id)
        if missing:
            return missing
        form = ProjectForm()
        if not form.validate_on_submit():
            return self._fail(org_id, _form_errors(form) or "Check the form.", 400, project_form=form)
        project = queries.project_by_short_name(form.project.data)
        if project is None:
            return self._fail(org_id, f"No project with short name {form.project.data.strip()!r}.", 404,
                              project_form=form)
        if not service.add_project(org, project, _me()):
            flash(f"Project {project.short_name} is already in {org.name}.", "info")
        else:
            flash(f"Project {project.short_name} added to {org.name}.", "success")
        return redirect_to(url_for(".detail", org_id=org_id))

    @expose("/<int:org_id>/projects/<int:project_id>/remove", methods=["POST"])
    def remove_project(self, org_id, project_id):
        org, missing = self._org_or_404(org_id)
        if missing:
            return missing
        project = db.session.get(models.Project, project_id)
        if project is None:
            return error_response(404, f"No project with id {project_id}.")
        try:
            service.remove_project(org, project, _me())
        except service.OrganizationError as exc:
            return self._fail(org_id, str(exc), exc.status)
        flash(f"Project {project.short_name} removed from {org.name}.", "success")
        return redirect_to(url_for(".detail", org_id=org_id))
