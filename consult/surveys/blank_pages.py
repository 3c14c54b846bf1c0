"""Question pages as a respondent first sees them, rendered once per process and reused.

A question page that holds no answer yet (the respondent moving forward, as nearly every page view is) differs
between respondents only in the CSRF token of its form: everything else follows from the survey version (which
never changes), the page, the page's language, the choices and questions the earlier answers show, where "Back"
goes, the progress shown and the page's own address. So the page is rendered once for each of those, with a mark
where the token goes, and each respondent gets a copy with their own token in place (measured: about half of a
question page's CPU is its template and form).

The start page is kept the same way (views.py here), keyed on the survey's state and dates as read
on each visit. Only pages whose address carries nothing but `return` and `lang` are kept, and at most
BLANK_PAGES_LIMIT per version (then it starts again), so made-up addresses cannot fill the memory.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from flask import g, request
from flask_wtf.csrf import generate_csrf

from consult.surveys.frozen import FrozenVersion, remembered

CSRF_MARK = "@@kil-csrf-token@@"
BLANK_PAGES_LIMIT = 1000
KEPT_QUERY = frozenset({"return", "lang"})
_lock = threading.Lock()


def cacheable_address() -> bool:
    """Whether this request's address is one kept pages may be looked up by (see the module's notes)."""
    return set(request.args) <= KEPT_QUERY and all(len(v) <= 8 for v in request.args.values())


def blank_page(version: FrozenVersion, key: tuple, render: Callable[..., str]) -> str:
    """The page for `key` (which must name everything the page shows besides its CSRF token), from the kept copy
    or from `render(csrf_token=...)`, with this session's CSRF token in it."""
    pages: dict[tuple, str] = remembered(version, "blank pages", dict)
    key = (*key, request.full_path)
    html = pages.get(key)
    if html is None:
        html = render(csrf_token=lambda: CSRF_MARK)
        signed = g.get("csrf_token")  # a token rendered by something other than the page's own form
        if html.count(CSRF_MARK) == 1 and not (signed and signed in html):
            with _lock:
                if len(pages) >= BLANK_PAGES_LIMIT:
                    pages.clear()
                pages[key] = html
    return html.replace(CSRF_MARK, generate_csrf())
