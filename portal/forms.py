"""Forms shared by every area."""
from flask_wtf import FlaskForm


class ButtonForm(FlaskForm):
    """An empty form: a button that POSTs, with CSRF protection and nothing else."""
