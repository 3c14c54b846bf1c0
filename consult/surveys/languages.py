"""A survey in several languages: a definition's text may be a plain string (in its `language`) or a mapping of
language to text (`{en: ..., cy: ...}`); its `translations` name the other languages it is offered in.

The loader stores the definition in its own language (plain strings, as every reader expects) and, per
translation, the same definition with that language's text. Respondents' pages read pages and questions
through `page_in` and `question_in`, which give a row's text in the page's language and everything else from
the row itself, so answers, keys and skip logic are the same whatever the language.
"""
from __future__ import annotations

import re
from typing import Any

from flask import g, request
from sqlalchemy import select

from consult.extensions import db
from consult.i18n import DEFAULT, LANGUAGES, current_language

LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
# A question's fields that are columns of its row; the rest of its definition are its kind's settings.
QUESTION_FIELDS = ("key", "kind", "title", "hint", "required", "show_if", "role")


def is_text(value: Any) -> bool:
    """A text given per language: a mapping from language codes to strings."""
    return (isinstance(value, dict) and bool(value)
            and all(LANGUAGE_CODE.match(k) and isinstance(v, str) for k, v in value.items()))


def main_language(definition: dict[str, Any]) -> str:
    return definition.get("language", DEFAULT)


def languages_of(definition: dict[str, Any]) -> list[str]:
    """The languages a definition is offered in: its own first, then its translations."""
    main = main_language(definition)
    return [main] + [lang for lang in definition.get("translations", {}) if lang != main]


def in_language(value: Any, lang: str, main: str) -> Any:
    """`value` with every per-language text replaced by its `lang` text (else its `main` one)."""
    if is_text(value):
        return value.get(lang) or value[main]
    if isinstance(value, dict):
        return {k: in_language(v, lang, main) for k, v in value.items()}
    if isinstance(value, list):
        return [in_language(v, lang, main) for v in value]
    return value


def _shown(path: str) -> bool:
    """Whether the text at `path` is read by respondents (a question's `label` is for staff only)."""
    key = path.rsplit("/", 1)[-1]
    if key == "purpose":  # a consent question's purpose is a keyword, the introduction's is prose
        return path.startswith("introduction/")
    if key == "label":
        return "/choices/" in path or path.endswith("/other/label")
    return key in SHOWN_FIELDS


# Fields respondents read: in a translated survey each must be given in every language.
SHOWN_FIELDS = {"title", "purpose", "who_is_consulting", "time_to_complete", "how_responses_are_used",
                "privacy_notice", "contact", "what_happens_next", "section", "intro", "hint", "prompt", "text",
                "suffix"}


def text_problems(definition: dict[str, Any]) -> list[str]:
    """Texts without the definition's own language, or (read by respondents) without a language it says it is
    translated into."""
    wanted = languages_of(definition)
    problems: list[str] = []

    def walk(value: Any, path: str) -> None:
        if is_text(value):
            missing = [lang for lang in wanted if not value.get(lang)]
            if missing:
                problems.append(f"{path}: has no text in {', '.join(missing)}")
        elif isinstance(value, str):
            if len(wanted) > 1 and _shown(path):
                problems.append(f"{path}: give it in every language the survey is offered in, like "
                                f"{{{', '.join(f'{lang}: ...' for lang in wanted)}}}")
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("translations", "show_if", "retention", "accessibility"):
                    walk(item, f"{path}/{key}" if path else key)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}/{index}")

    walk(definition, "")
    return problems


def split(definition: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """(the definition in its own language, {other language: the definition in that language})."""
    main = main_language(definition)
    return (in_language(definition, main, main),
            {lang: in_language(definition, lang, main) for lang in languages_of(definition)[1:]})


class InLanguage:
    """A page or question row read in another language: its texts from the translation, the rest from the row.
    Equal to (and hashed as) its row, so it keys answers as the row does."""

    __slots__ = ("_row", "_texts")

    def __init__(self, row: Any, texts: dict[str, Any]):
        object.__setattr__(self, "_row", row)
        object.__setattr__(self, "_texts", texts)

    def __getattr__(self, name: str) -> Any:
        texts = object.__getattribute__(self, "_texts")
        if name in texts:
            value = texts[name]
            return value() if callable(value) else value
        return getattr(object.__getattribute__(self, "_row"), name)

    def __eq__(self, other: Any) -> bool:
        row = object.__getattribute__(self, "_row")
        return row == (object.__getattribute__(other, "_row") if isinstance(other, InLanguage) else other)

    def __hash__(self) -> int:
        return hash(object.__getattribute__(self, "_row"))


def _translated_pages(version, lang: str) -> list[dict[str, Any]] | None:
    """The version's pages in `lang` (None when it is the version's own language or not offered), each
    with the section it falls under, as the loader works it out."""
    cache = g.setdefault("pages_in_language", {})
    if (version.id, lang) not in cache:
        translated = (version.translations or {}).get(lang)
        pages = None
        if translated is not None:
            pages, section = [], None
            for page in translated["pages"]:
                section = page.get("section", section)
                pages.append({**page, "section": section})
        cache[version.id, lang] = pages
    return cache[version.id, lang]


def page_in(page, lang: str | None = None):
    """The page (with its questions) in `lang`, by default the language of the request's page."""
    pages = _translated_pages(page.version, lang or current_language())
    if pages is None:
        return page
    text = pages[page.position - 1]
    localised: InLanguage | None = None
    texts = {"title": text.get("title"), "intro": text.get("intro"), "section": text["section"],
             "questions": lambda: [_question(q, text, localised) for q in page.questions]}
    localised = InLanguage(page, texts)
    return localised


def _question(question, page_text: dict[str, Any], page: Any):
    text = next(q for q in page_text["questions"] if q["key"] == question.key)
    return InLanguage(question, {"title": text["title"], "hint": text.get("hint"), "page": page,
                                 "settings": {k: v for k, v in text.items() if k not in QUESTION_FIELDS}})


def question_in(question, lang: str | None = None):
    """The question in `lang`, by default the language of the request's page."""
    lang = lang or current_language()
    pages = _translated_pages(question.version, lang)
    if pages is None:
        return question
    return _question(question, pages[question.page.position - 1], page_in(question.page, lang))


def definition_in(version, lang: str | None = None) -> dict[str, Any]:
    """The version's definition in `lang` (its own language's when it is not translated into it)."""
    return (version.translations or {}).get(lang or current_language(), version.definition)


def offered(survey) -> list[str]:
    """The languages a survey's respondents can choose, its own first."""
    from consult.surveys.frozen import current  # the models read titles through this module

    version = current(survey)
    return [main_language(version.definition), *(version.translations or {})]


def offered_here() -> list[str]:
    """The languages the request's page can be shown in: its survey's, or (a page of no survey) every one."""
    from consult.surveys.models import Survey  # the models read titles through this module

    slug = g.get("survey_slug") or (request.view_args or {}).get("slug")
    if not slug:
        return list(LANGUAGES)
    # Loaded already by the view (consult/surveys/scoped.py), or read as plain values (consult/responses/rows.py).
    survey = g.get("survey") or g.get("survey_row")
    if survey is None or survey.slug != slug:
        survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    return offered(survey) if survey is not None else list(LANGUAGES)
