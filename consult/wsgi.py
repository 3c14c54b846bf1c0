"""The WSGI entry point for gunicorn: `gunicorn consult.wsgi:app`."""
from consult import create_app
from consult.mail.services import send_periodically
from consult.workspace.retention import apply_periodically

app = create_app()
send_periodically(app)  # email waiting for a retry is sent when due
apply_periodically(app)  # personal data deleted as the privacy notice says: now, then daily
