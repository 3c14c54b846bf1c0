"""Staff pages bringing evidence in and out: imports, workshop notes and exports."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("intake", __name__, url_prefix="/workspace/<slug>")
