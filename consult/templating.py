"""Template helpers: paragraphs from plain prose, dates in GOV.UK style."""
from __future__ import annotations

from datetime import datetime

from flask import Flask
from markupsafe import Markup, escape


def paragraphs(text: str | None, css_class: str = "kil-body") -> Markup:
    """Plain text with blank lines between paragraphs, as escaped <p> elements."""
    blocks = [block.strip() for block in (text or "").split("\n\n") if block.strip()]
    return Markup("".join(f'<p class="{css_class}">{escape(block)}</p>' for block in blocks))


def long_date(moment: datetime | None) -> str:
    """'31 March 2028' — the GOV.UK date style."""
    return f"{moment.day} {moment:%B %Y}" if moment else ""


def date_time(moment: datetime | None) -> str:
    """'31 March 2028 at 11:59pm' (UTC)."""
    if not moment:
        return ""
    hour = moment.hour % 12 or 12
    return f"{long_date(moment)} at {hour}:{moment:%M}{'am' if moment.hour < 12 else 'pm'} UTC"


def init_app(app: Flask) -> None:
    from analysis.shares import percent_text
    from analysis.suppression import count_text, explanation

    app.add_template_filter(percent_text, "percent")
    app.add_template_filter(count_text, "count")
    app.jinja_env.globals["suppression_note"] = explanation
    app.add_template_filter(paragraphs)
    app.add_template_filter(long_date)
    app.add_template_filter(date_time)
    from consult.surveys.kinds import TemplateKinds
    from consult.workspace import nav

    nav.init_app(app)

    app.jinja_env.globals["kinds"] = TemplateKinds()
    from consult.surveys.services import question_label

    app.jinja_env.globals["question_label"] = question_label
