"""Project forms. The service layer has the final word on names (uniqueness); these give early,
field-level messages."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

# Paths under /project/ that a short name would shadow.
RESERVED_SHORT_NAMES = frozenset({"new", "category", "categories", "search", "featured"})

PRESENTER_MAX_CHARS = 500_000


def _not_reserved(form, field):
    if (field.data or "").lower() in RESERVED_SHORT_NAMES:
        raise ValidationError(f"'{field.data}' is reserved; choose another short name.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ProjectForm(FlaskForm):
    name = StringField("Name", filters=[_strip], validators=[DataRequired("Give the project a name."),
                                                             Length(max=255)])
    short_name = StringField(
        "Short name", filters=[_strip],
        description="Used in the project's address: letters, digits, '-' and '_' only.",
        validators=[DataRequired("Choose a short name."), Length(max=255),
                    Regexp(r"^[A-Za-z0-9_-]+$", message="Use only letters, digits, '-' and '_' (no spaces)."),
                    _not_reserved])
    description = StringField("Short description", filters=[_strip],
                              validators=[DataRequired("Describe the project in one line."), Length(max=255)])
    long_description = TextAreaField("Long description", filters=[_strip], validators=[Length(max=20_000)])
    category_id = SelectField("Category", coerce=int, validate_choice=True)


class SettingsForm(FlaskForm):
    name = StringField("Name", filters=[_strip], validators=[DataRequired("Give the project a name."),
                                                             Length(max=255)])
    description = StringField("Short description", filters=[_strip],
                              validators=[DataRequired("Describe the project in one line."), Length(max=255)])
    long_description = TextAreaField("Long description", filters=[_strip], validators=[Length(max=20_000)])
    category_id = SelectField("Category", coerce=int, validate_choice=True)
    allow_anonymous_contributors = BooleanField("Anonymous volunteers may contribute")
    paused = BooleanField("Paused (volunteers get no tasks)")
    task_presenter = TextAreaField(
        "Task presenter (HTML)", validators=[Length(max=PRESENTER_MAX_CHARS)],
        description="Runs in a sandboxed frame. Use pybossa.onTask(function (task) {...}) to show a task "
                    "and pybossa.submit(answer) to save the volunteer's answer.")


class DeleteForm(FlaskForm):
    confirm = StringField("Type the project's short name to confirm", filters=[_strip],
                          validators=[DataRequired("Type the short name to confirm.")])


def category_choices(categories) -> list[tuple[int, str]]:
    return [(c.id, c.name) for c in categories]
