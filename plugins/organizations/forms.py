from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class CreateForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(1, 255)])
    short_name = StringField("Short name (optional)", validators=[Optional(), Length(1, 100)])
    description = TextAreaField("Description", validators=[Optional(), Length(0, 2000)])


class RenameForm(FlaskForm):
    name = StringField("New name", validators=[DataRequired(), Length(1, 255)])


class MemberForm(FlaskForm):
    user = StringField("User name or e-mail", validators=[DataRequired(), Length(1, 254)])


class ProjectForm(FlaskForm):
    project = StringField("Project short name", validators=[DataRequired(), Length(1, 255)])
