"""/admin/categories: list (with project counts, drafts included), add, update, delete.

The rules (unique names, derived short names, no deleting a category in use or the last one) live
in pybossa_admin.services.categories, which the REST API uses too.
"""
from __future__ import annotations

from flask import flash, jsonify, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from pybossa_admin.plugin import (AdminView, current_user, db, error_response, expose, models, redirect_to,
                                  wants_json)
from pybossa_admin.services import categories as category_service


class CategoryForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("A category needs a name."), Length(max=255)])
    description = TextAreaField("Description", validators=[Length(max=5000)])


class DeleteForm(FlaskForm):
    """Only the CSRF token."""


def _not_found(category_id: int):
    message = f"Category.id {category_id} not found"
    if wants_json():
        return jsonify({"error": message, "status_code": 404, "code": 404, "description": message,
                        "status": "error"}), 404
    return error_response(404, message)


def _refused(message: str, code: int, next_url: str):
    if wants_json():
        return jsonify({"code": code, "description": message, "flash": message, "status": "warning",
                        "next": next_url}), code
    flash(message, "warning")
    return redirect_to(next_url)


def _save(form, action):
    """Run a service action with the form's data; on a rule broken, attach the message to its field."""
    try:
        return action(), None
    except category_service.CategoryError as exc:
        field = getattr(form, exc.field or "", None)
        if field is not None:
            field.errors = list(field.errors) + [str(exc)]
        return None, exc


class CategoriesView(AdminView):
    @expose("/", methods=["GET", "POST"])
    @expose("", methods=["GET", "POST"])
    def index(self):
        form = CategoryForm()
        status = 200
        if request.method == "POST":
            error = None
            if form.validate():
                _, error = _save(form, lambda: category_service.create(
                    {"name": form.name.data, "description": form.description.data or ""},
                    by=current_user._get_current_object()))
            if form.errors or error:
                flash("Please correct the errors", "error")
                status = error.status if error else 400
            else:
                flash("Category added", "success")
                form = CategoryForm(formdata=None)
        return self.respond("categories/index.html", status=status, **self._list_context(form))

    @staticmethod
    def _list_context(form):
        categories = list(db.session.scalars(select(models.Category).order_by(models.Category.name)))
        counts = category_service.project_counts()
        return {"categories": categories, "form": form,
                "n_projects_per_category": {c.short_name: counts.get(c.id, 0) for c in categories},
                "title": "Categories"}

    @expose("/update/<int:category_id>", methods=["GET", "POST"])
    def update(self, category_id: int):
        category = db.session.get(models.Category, category_id)
        if category is None:
            return _not_found(category_id)
        form = CategoryForm(obj=category)
        status = 200
        if request.method == "POST":
            error = None
            if form.validate():
                # Name and description (PYBOSSA dropped the description); the short name stays, so
                # links to the category keep working after a rename.
                _, error = _save(form, lambda: category_service.update(
                    category, {"name": form.name.data, "description": form.description.data or ""},
                    by=current_user._get_current_object()))
                if error is None:
                    flash("Category updated", "success")
                    return redirect_to(url_for(".index"))
            db.session.rollback()
            flash("Please correct the errors", "error")
            status = error.status if error else 400
        return self.respond("categories/update.html", status=status, category=category, form=form,
                            title=f"Edit category {category.name}")

    @expose("/del/<int:category_id>", methods=["GET", "POST"])
    def delete(self, category_id: int):
        category = db.session.get(models.Category, category_id)
        if category is None:
            return _not_found(category_id)
        back = url_for(".index")
        if request.method == "POST":
            name = category.name
            try:
                category_service.delete(category, by=current_user._get_current_object())
            except category_service.CategoryError as exc:
                return _refused(str(exc), exc.status, back)
            flash(f"Category deleted: {name}", "success")
            return redirect_to(back)
        return self.respond("categories/delete.html", category=category, form=DeleteForm(),
                            refusal=category_service.delete_refusal(category),
                            n_projects=category_service.project_count(category),
                            title=f"Delete category {category.name}")
