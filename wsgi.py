"""The WSGI entry point for a production server: `gunicorn wsgi:app`."""
from portal import create_app

app = create_app()
