"""Sign-in and user management forms."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp

from consult.auth.services import MIN_PASSWORD_LENGTH

ROLE_CHOICES = [SelectChoice("admin", "Admin: manages users and surveys"),
                SelectChoice("researcher", "Researcher: codes answers, imports and exports"),
                SelectChoice("staff", "Staff: reads results, drafts and downloads principles")]


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=[InputRequired("Enter your email address")])
    password = PasswordField("Password", validators=[InputRequired("Enter your password")])


class NewUserForm(FlaskForm):
    email = EmailField("Email address", validators=[
        InputRequired("Enter an email address"),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an email address in the correct format, like name@example.com")])
    name = StringField("Full name", validators=[InputRequired("Enter their name"), Length(max=120)])
    role = RadioField("Role", choices=ROLE_CHOICES, validators=[InputRequired("Select a role")])
    password = PasswordField("Temporary password", validators=[
        InputRequired("Enter a temporary password"),
        Length(min=MIN_PASSWORD_LENGTH, message=f"Password must be {MIN_PASSWORD_LENGTH} characters or more")])


class EditUserForm(FlaskForm):
    role = RadioField("Role", choices=ROLE_CHOICES, validators=[InputRequired("Select a role")])
    active = BooleanField("Account can sign in")
    password = PasswordField("New password (leave empty to keep)", validators=[
        Optional(), Length(min=MIN_PASSWORD_LENGTH, message=f"Password must be {MIN_PASSWORD_LENGTH} characters or more")])
