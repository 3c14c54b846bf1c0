"""Researchers' coding pages: codebook, coding screen, samples, agreement and adjudication."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("coding", __name__, url_prefix="/workspace/<slug>")
