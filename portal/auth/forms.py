"""Forms of the auth area: log in, passwords, invitations."""
from __future__ import annotations

from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField, ValidationError
from wtforms.validators import EqualTo, InputRequired, Length

from portal.auth.enums import Role
from portal.auth.passwords import MAX_LENGTH, MIN_LENGTH
from portal.fields import choices, email_address, max_length, required
from portal.forms import PortalForm


class LoginForm(PortalForm):
    email = EmailField("E-mailadresse", validators=[required("Skriv din e-mailadresse."), max_length(254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Adgangskode", validators=[required("Skriv din adgangskode."), max_length(MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})


class PasswordResetRequestForm(PortalForm):
    email = EmailField("E-mailadresse", validators=[required("Skriv din e-mailadresse."), email_address(),
                                                    max_length(254)], render_kw={"autocomplete": "username"})


class ChoosePasswordForm(PortalForm):
    password = PasswordField(
        "Ny adgangskode",
        description=f"Mindst {MIN_LENGTH} tegn. Brug gerne en sætning, du kan huske.",
        # Blanks alone get through here, so the password rule can say why they are no password.
        validators=[InputRequired("Vælg en adgangskode."),
                    Length(max=MAX_LENGTH, message=f"Adgangskoden må højst være på {MAX_LENGTH} tegn.")],
        render_kw={"autocomplete": "new-password", "minlength": MIN_LENGTH},
    )
    confirm = PasswordField(
        "Gentag adgangskoden",
        validators=[required("Skriv adgangskoden igen."),
                    EqualTo("password", message="De to adgangskoder er ikke ens.")],
        render_kw={"autocomplete": "new-password"},
    )


class InviteUserForm(PortalForm):
    name = StringField("Navn", validators=[required("Skriv brugerens navn."), max_length(120)])
    email = EmailField("E-mailadresse", validators=[required("Skriv brugerens e-mailadresse."), email_address(),
                                                    max_length(254)])
    role = RadioField("Rolle", choices=choices((role.value, role.label) for role in Role),
                      validators=[required("Vælg en rolle.")], default=Role.KOMMUNE.value)
    kommune_id = SelectField("Kommune", description="Kun for kommunebrugere: brugeren ser kun sin egen kommunes sager.",
                             coerce=lambda value: int(value) if value else None)

    def validate_kommune_id(self, field):
        if self.role.data == Role.KOMMUNE.value and not field.data:
            raise ValidationError("Vælg den kommune, brugeren hører til.")
