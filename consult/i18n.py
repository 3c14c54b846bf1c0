"""Languages: Flask-Babel with the message catalogues in consult/translations, and the language a page is in.

Respondents' pages (and every page without a sign-in: errors, the accessibility statement, invitations) are in
the language the visitor chose with `?lang=cy` (remembered in their session), among those the page offers;
staff pages are in English. The catalogues are kept as .po files; each is compiled to the .mo file Flask-Babel
reads when the app starts, if that is missing or older (a fresh clone, or an edited translation), so
`make run`, `make test` and a bare `pytest` all find them without a build step to remember.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from urllib.parse import urlencode

from flask import Blueprint, Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Babel, force_locale, get_locale, get_translations
from flask_babel import refresh as babel_refresh

log = logging.getLogger(__name__)
TRANSLATIONS = Path(__file__).parent / "translations"
DEFAULT = "en"
# Every language the interface is written in; a survey offers those its definition has text for.
LANGUAGES = {"en": "English", "cy": "Cymraeg"}
# Read before a language's name in the switch, in that language (for screen readers).
SWITCH_LABELS = {"en": "Change the language to", "cy": "Newid yr iaith i’r"}
PUBLIC_BLUEPRINTS_KEY = "consult.public_blueprints"
babel = Babel()


def N_(text: str) -> str:
    """Mark text for the catalogues where it is defined; it is translated where shown (gettext(text))."""
    return text


def compile_catalogues(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile every .po catalogue whose .mo is missing or older than it; returns the .mo files written."""
    written = []
    for po in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        partial = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")
        with partial.open("wb") as target:
            write_mo(target, catalog)
        os.replace(partial, mo)  # whole or not at all, should two processes start together
        written.append(mo)
    return written


def public_page(view: Callable) -> Callable:
    """Mark a view as a public page: shown in the visitor's chosen language."""
    view.public_page = True
    return view


def public_blueprint(blueprint: Blueprint) -> Blueprint:
    """Mark every view of a blueprint as a public page."""
    blueprint.record_once(lambda state: state.app.extensions.setdefault(PUBLIC_BLUEPRINTS_KEY, set())
                          .add(blueprint.name))
    return blueprint


def is_public_request() -> bool:
    """Whether this request shows a public page: a marked view or blueprint, or no view at all (a page not
    found is shown in the visitor's language)."""
    if request.endpoint is None:
        return True
    view = current_app.view_functions.get(request.endpoint)
    return (getattr(view, "public_page", False)
            or request.blueprint in current_app.extensions.get(PUBLIC_BLUEPRINTS_KEY, set()))


def chosen_language() -> str | None:
    """The language the visitor asked for: `?lang=` on this request (then remembered), else their session's."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    return remembered if remembered in LANGUAGES else None


def current_language() -> str:
    """The language of the page being made ("en" outside a request, and on staff pages)."""
    return _in_force()[0]


TRANSLATIONS_KEY = "consult.translations_by_locale"
IN_FORCE_KEY = "kil_language_in_force"


def translations():
    """Flask-Babel's translations for the page's language (`get_translations()`), kept by the app per language."""
    return _in_force()[1]


def _in_force() -> tuple[str, Any]:
    """(language, translations) of the page being made, found once per request (or app context) and kept in `g`
    until the language can change: Flask-Babel's `get_locale()` and `get_translations()` each take several
    context lookups, and a page of answers asks for them a hundred times. `refresh()` and `in_language()` drop
    what was kept; Flask-Babel's own `force_locale` would not, so nothing else uses it."""
    if not has_app_context():
        return DEFAULT, get_translations()
    found = g.get(IN_FORCE_KEY)
    if found is None:
        locale = get_locale()
        if locale is None:
            return DEFAULT, get_translations()
        kept = current_app.extensions.setdefault(TRANSLATIONS_KEY, {})
        key = (locale.language, locale.territory, locale.script, locale.variant)
        if key not in kept:
            kept[key] = get_translations()
        found = (locale.language, kept[key])
        setattr(g, IN_FORCE_KEY, found)
    return found


def refresh() -> None:
    """Flask-Babel's `refresh()`: the language is chosen again when next asked for."""
    babel_refresh()
    if has_app_context():
        g.pop(IN_FORCE_KEY, None)


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Flask-Babel's `force_locale`, for what is made inside (an email in the respondent's language)."""
    if has_app_context():
        g.pop(IN_FORCE_KEY, None)
    try:
        with force_locale(language):
            yield
    finally:
        if has_app_context():
            g.pop(IN_FORCE_KEY, None)


def gettext(string: str, **variables: object) -> str:
    """Flask-Babel's `gettext`, through the translations kept per language (`translations()`): Flask-Babel's own
    finds its domain, translations and locale through a handful of context lookups on every call, and a page of
    answers or choices translates dozens of labels."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def init_app(app: Flask, offered: Callable[[], Iterable[str]]) -> None:
    """Set up Flask-Babel; `offered()` names the languages the request's page can be shown in (its survey's),
    the first being the one shown to visitors who chose none."""
    try:
        compile_catalogues()
    except OSError as error:  # a read-only install: it must ship compiled catalogues
        log.error("could not compile the message catalogues: %s", error)

    def select() -> str:
        if not has_request_context() or not is_public_request():
            return DEFAULT
        languages = [lang for lang in offered() if lang in LANGUAGES] or [DEFAULT]
        chosen = chosen_language()
        return chosen if chosen in languages else languages[0]

    def page_languages() -> list[tuple[str, str]]:
        """(code, name) of each language the page can be switched to; none on staff pages."""
        if not is_public_request():
            return []
        return [(code, LANGUAGES[code]) for code in offered() if code in LANGUAGES]

    def switch_language(code: str, path: str | None = None) -> str:
        """This page (or `path`, for a page shown in answer to a form) in another language."""
        return f"{path or request.path}?{urlencode({**request.args.to_dict(), 'lang': code})}"

    def council_name(council) -> str:
        return council.name_in(current_language())

    app.jinja_env.globals.update(current_language=current_language, page_languages=page_languages,
                                 council_name=council_name,
                                 switch_language=switch_language, language_switch_label=SWITCH_LABELS.get)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=select)
    app.jinja_env.install_gettext_callables(  # as Flask-Babel installs them, with translations() looked up once
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True)
    # Tests reuse one application context across requests, where Flask-Babel keeps the language it chose.
    app.before_request(refresh)
    app.teardown_request(lambda _error: refresh())
