"""What the journey benches' browser reads on a page, and what it sends back: the page's form and links.

The benches' client shares the machine's cores with the server it measures, so its per-page work lowers the very
ratio it reports. Python's html.parser (pure Python, every tag and attribute of the page) cost about 0.8-1.0 ms
CPU per page here; this scanner reads the same form in about 0.1 ms. It is a scanner, not a parser: it reads only
the tags a form is made of, with C regular expressions, over markup that is the server's own (our templates,
escaped by Jinja, so no raw `>` in an attribute and no markup in text). What a browser would ignore is skipped
first: comments, and the contents of script and style elements. Attribute values and text are unescaped.
"""
from __future__ import annotations

import re
from html import unescape

_VALUE = r"""\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""
_TAG = re.compile(r"<(/?)(form|input|textarea|select)(?=[\s/>])([^>]*)>", re.I)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:""" + _VALUE + ")?")
_OPTION = re.compile(r"<option\b[^>]*?\svalue" + _VALUE, re.I)
_LINK = re.compile(r"<a\s[^>]*?\bhref" + _VALUE, re.I)
_END = {"textarea": re.compile(r"</textarea\s*>", re.I), "select": re.compile(r"</select\s*>", re.I)}
_UNSEEN = re.compile(r"<!--|<(?:script|style)\b[^>]*>(?!\s*</)", re.I)  # a comment, or a script with content
_HIDDEN = re.compile(r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)


def _text(value: str) -> str:
    return unescape(value) if "&" in value else value


def _attrs(text: str) -> dict[str, str]:
    """A tag's attributes, names lower-cased, the first of a repeated name kept (as browsers keep it)."""
    found: dict[str, str] = {}
    for name, double, single, bare in _ATTR.findall(text):
        found.setdefault(name.lower(), _text(double or single or bare))
    return found


class Form:
    """The first form with method=post on a page: its action, and its fields (name -> type, value, options:
    radio and checkbox values, or a select's non-empty option values); also every link's href on the page."""

    def __init__(self, html: str):
        self.action: str | None = None
        self.fields: dict[str, dict] = {}
        if _UNSEEN.search(html):
            html = _HIDDEN.sub("", html)
        self.links = [_text(d or s or b) for d, s, b in _LINK.findall(html)]
        pos = 0
        while (tag := _TAG.search(html, pos)) is not None:
            pos = tag.end()
            closing, kind, rest = tag.groups()
            kind = kind.lower()
            if closing:
                if kind == "form" and self.action is not None:
                    return
                continue
            a = _attrs(rest)
            if kind == "form":
                if self.action is None and a.get("method", "").lower() == "post":
                    self.action = a.get("action") or ""
                continue
            name = a.get("name")
            if self.action is None or not name:
                continue
            if kind == "input":
                field = self.fields.setdefault(name, {"type": a.get("type", "text"), "options": [], "value": ""})
                if field["type"] in ("radio", "checkbox"):
                    field["options"].append(a.get("value", ""))
                else:
                    field["value"] = a.get("value", "")
                continue
            end = _END[kind].search(html, pos)
            inner, pos = (html[pos:end.start()], end.end()) if end else (html[pos:], len(html))
            if kind == "textarea":
                self.fields[name] = {"type": "textarea", "options": [], "value": _text(inner)}
            else:
                options = [_text(d or s or b) for d, s, b in _OPTION.findall(inner)]
                self.fields[name] = {"type": "select", "options": [o for o in options if o], "value": ""}


def hidden(form: Form) -> list[tuple[str, str]]:
    """The form's hidden inputs (its CSRF token among them), as a browser sends them."""
    return [(n, f["value"]) for n, f in form.fields.items() if f["type"] == "hidden"]


def fill(form: Form, answers: dict) -> list[tuple[str, str]]:
    """What the respondent sends: their answer where the page asks for it, else the first option."""
    body = []
    for name, field in form.fields.items():
        if name == "website" or name == "action":
            continue
        if field["type"] == "hidden":
            body.append((name, field["value"]))
            continue
        key, _, statement = name.partition("__")
        value = answers.get(key, {}).get("value")
        text = answers.get(key, {}).get("text")
        if statement == "other":
            continue
        if field["type"] == "checkbox":
            chosen = [v for v in (value or []) if v in field["options"]] or field["options"][:1]
            body += [(name, v) for v in chosen]
        elif field["type"] in ("radio", "select"):
            options = field["options"]
            if statement and isinstance(value, dict):
                value = value.get(statement)
            body.append((name, value if value in options else (options[0] if options else "")))
        elif field["type"] == "textarea" or key.endswith("_why"):
            body.append((name, text or ""))
        else:
            body.append((name, text or (value if isinstance(value, str) else "") or ""))
    return body
