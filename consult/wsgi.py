"""The WSGI entry point for gunicorn: `gunicorn consult.wsgi:app`."""
from consult import create_app
from consult.mail.services import send_periodically

app = create_app()
send_periodically(app)  # email waiting for a retry is sent when due
