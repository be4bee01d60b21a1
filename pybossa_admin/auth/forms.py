from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class SignInForm(FlaskForm):
    name = StringField("User name or e-mail", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])
    next = HiddenField()


class RegisterForm(FlaskForm):
    name = StringField("User name", validators=[DataRequired(), Length(2, 254)])
    fullname = StringField("Full name", validators=[Length(0, 500)])
    email_addr = StringField("E-mail", validators=[DataRequired(), Length(3, 254)])
    password = PasswordField("Password", validators=[DataRequired()])


class BootstrapForm(RegisterForm):
    token = HiddenField(validators=[DataRequired()])


class ResetForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    password = PasswordField("New password", validators=[DataRequired()])


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for POST-only buttons."""
