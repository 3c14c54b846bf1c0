"""The WSGI entry point for gunicorn: `gunicorn consult.wsgi:app`."""
import gc

from consult import create_app
from consult.jobs.services import preload_for_jobs
from consult.mail.services import send_periodically
from consult.workspace.retention import apply_periodically

app = create_app()
send_periodically(app)  # email waiting for a retry is sent when due
apply_periodically(app)  # personal data deleted as the privacy notice says: now, then daily
if app.config["JOBS_MODE"] == "thread":  # this process runs jobs itself (redacting each stored response's answers)
    preload_for_jobs()
# What the app built at start (modules, models, routes, about 170,000 objects) lives as long as the process: out
# of the cyclic garbage collector's sight, its full collections no longer walk it all (measured: each took about
# 115 ms of CPU, holding every thread, and cost 0.13 ms per journey request; after, 0.01 ms).
gc.freeze()
