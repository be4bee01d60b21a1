"""Administrators (/admin/users), add/remove the admin role, and the user export."""
from __future__ import annotations

from flask import Response, flash, jsonify, request, stream_with_context, url_for
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

from pybossa_admin.plugin import (AdminView, current_user, db, error_response, expose, models, redirect_to,
                                  wants_json)
from pybossa_admin.services import events, users as user_service

from . import export, queries


class SearchForm(FlaskForm):
    user = StringField("Name or full name", validators=[Length(max=254)])


def _not_found(message: str):
    """PYBOSSA's JSON shape for an unknown id, plus ours (code/description)."""
    if wants_json():
        return jsonify({"error": message, "status_code": 404, "code": 404, "description": message,
                        "status": "error"}), 404
    return error_response(404, message)


def _refused(message: str, next_url: str, code: int = 409):
    """A refused action: a flash and back to the page for browsers, a status code for JSON callers."""
    if wants_json():
        return jsonify({"code": code, "description": message, "flash": message, "status": "error",
                        "next": next_url}), code
    flash(message, "error")
    return redirect_to(next_url)


def _page_arg() -> int | None:
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        return None
    return page if 1 <= page <= 10_000 else None


class AdministratorsView(AdminView):
    # PYBOSSA's URL has no trailing slash; "/" is kept too (Flask-Admin needs it as the default view).
    @expose("/", methods=["GET", "POST"])
    @expose("", methods=["GET", "POST"])
    def index(self):
        me = current_user._get_current_object()
        form = SearchForm()
        page = _page_arg()
        if page is None:
            return error_response(400, "page must be a whole number from 1 to 10000")
        if request.method == "POST":
            if not form.validate():
                return self.respond("admin/administrators.html", status=400, **self._context(me, form))
            query, page = (form.user.data or "").strip(), 1
        else:
            query = (request.args.get("user") or "").strip()[:254]
            form.user.data = query
        found, has_next, total = [], False, 0
        if query:
            found, has_next, total = queries.search_users(query, me.id, page)
            if not found and page == 1:
                flash(f"Ooops! We didn't find a user matching your query: {query}", "message")
        return self.respond("admin/administrators.html",
                            **self._context(me, form, query=query, found=found, page=page, has_next=has_next,
                                            total=total))

    @staticmethod
    def _context(me, form, query="", found=(), page=1, has_next=False, total=0):
        return {"users": queries.admins_except(me.id), "found": list(found), "form": form, "query": query,
                "page": page, "has_next": has_next, "total": total,
                "total_capped": total > queries.SEARCH_COUNT_CAP, "cap": queries.SEARCH_COUNT_CAP,
                "title": "Manage Admin Users"}

    @expose("/add/<int:user_id>", methods=["POST"])
    def add(self, user_id: int):
        return self._set_admin(user_id, True, "User not found")

    @expose("/del/<int:user_id>", methods=["POST"])
    def delete(self, user_id: int):
        return self._set_admin(user_id, False, "User.id not found")

    def _set_admin(self, user_id: int, flag: bool, missing: str):
        target = db.session.get(models.User, user_id)
        if target is None:
            return _not_found(missing)
        back = url_for(".index")
        try:
            user_service.set_admin(target, flag, current_user._get_current_object())
        except user_service.UserError as exc:
            return _refused(str(exc), back)
        flash(f"{target.name} is now an administrator." if flag
              else f"{target.name} is no longer an administrator.", "success")
        return redirect_to(back)

    @expose("/export")
    def export(self):
        fmt = request.args.get("format")
        if not fmt:
            return redirect_to(url_for("admin.index"))
        if fmt not in export.FORMATS:
            return error_response(415, f"Unsupported export format {fmt!r}: use format=csv or format=json.")
        content_type, filename = export.FORMATS[fmt]
        # Who took a copy of every user's e-mail address is worth keeping.
        events.record("platform", "users.exported", f"users exported as {fmt}", data={"format": fmt})
        body = export.csv_stream(bom=request.args.get("bom") != "0") if fmt == "csv" else export.json_stream()
        response = Response(stream_with_context(body), content_type=content_type)
        response.headers["Content-Disposition"] = f"attachment; filename={filename}"
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
