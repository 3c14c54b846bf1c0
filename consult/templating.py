"""Template helpers: paragraphs from plain prose, dates in GOV.UK style in the survey's time zone."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from itertools import groupby
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import Flask
from jinja2 import pass_context
from markupsafe import Markup, escape

from consult.i18n import current_language
from consult.i18n import gettext as _
from consult.surveys.models import DEFAULT_TIME_ZONE


def paragraphs(text: str | None, css_class: str = "kil-body") -> Markup:
    """Plain text with blank lines between paragraphs, as escaped <p> elements."""
    blocks = [block.strip() for block in (text or "").split("\n\n") if block.strip()]
    return Markup("".join(f'<p class="{css_class}">{escape(block)}</p>' for block in blocks))


class Group(NamedTuple):
    grouper: Any
    list: list


def groupby_in_order(items: Iterable[dict], key: str) -> list[Group]:
    """Runs of consecutive items with the same `key`, in their order (Jinja's groupby sorts them)."""
    return [Group(value, list(run)) for value, run in groupby(items, key=lambda item: item[key])]


def local_time(moment: datetime, zone: str = DEFAULT_TIME_ZONE) -> datetime:
    """A stored (naive UTC) moment as the wall-clock time in `zone`; a calendar date stays as it is."""
    if not isinstance(moment, datetime):
        return moment
    return moment.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(zone))


def _zone(context) -> str:
    """The time zone of the page's survey, else the default (Europe/London)."""
    survey = context.get("survey")
    return getattr(survey, "time_zone", None) or DEFAULT_TIME_ZONE


def _long_date(moment: datetime) -> str:
    """'31 March 2028' ('31 Mawrth 2028' on a Welsh page): month names from Babel's locale data."""
    return format_date(moment, "d MMMM y", locale=current_language())


@pass_context
def long_date(context, moment: datetime | None) -> str:
    """'31 March 2028' — the GOV.UK date style, on the calendar of the survey's time zone."""
    return _long_date(local_time(moment, _zone(context))) if moment else ""


@pass_context
def date_time(context, moment: datetime | None) -> str:
    """'31 March 2028 at 11:59pm BST': the time in the survey's time zone, named by its abbreviation."""
    if not moment:
        return ""
    local = local_time(moment, _zone(context))
    hour = local.hour % 12 or 12
    # GOV.UK style: 11:59pm, and in Welsh 11:59yh (yb before noon).
    suffix = _("am") if local.hour < 12 else _("pm")
    clock = f"{hour}:{local:%M}{suffix}"
    return _("%(date)s at %(time)s", date=_long_date(local), time=f"{clock} {local.tzname()}")


def init_app(app: Flask) -> None:
    from analysis.shares import percent_text
    from analysis.suppression import count_text, explanation

    app.add_template_filter(percent_text, "percent")
    app.add_template_filter(count_text, "count")
    app.jinja_env.globals["suppression_note"] = explanation
    app.add_template_filter(paragraphs)
    app.add_template_filter(groupby_in_order)
    app.add_template_filter(long_date)
    app.add_template_filter(date_time)
    from consult.surveys.kinds import TemplateKinds
    from consult.workspace import nav

    nav.init_app(app)

    app.jinja_env.globals["kinds"] = TemplateKinds()
    from consult.surveys.services import question_label

    app.jinja_env.globals["question_label"] = question_label
