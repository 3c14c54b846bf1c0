"""REFI-QDA exchange files that NVivo, ATLAS.ti, MAXQDA and QualCoder open.

`.qdpx`: a zip of `project.qde` (namespace urn:QDA-XML:project:1.0) and `sources/<guid>.txt`, one plain-text
source per answer with free text, with the codebook, respondent variables, one case per response, and each
coder's codings as selections (a whole-answer code spans the whole text). The codebook alone (`.qdc`,
consult.interchange.codebook_files) is written by the same `write_codes`, with the same GUIDs.
GUIDs are uuid5 of database ids, so exporting the same data twice gives the same GUIDs.
"""
from __future__ import annotations

import uuid
import zipfile
from typing import BinaryIO
from xml.etree import ElementTree as ET

from consult.coding.final import theme_successors
from consult.coding.models import Coder, Theme
from consult.coding.services import active_themes
from consult.interchange.exporting import ExportContext, iter_rows
from consult.surveys.models import Survey
from consult.timeutil import utcnow

PROJECT_NS = "urn:QDA-XML:project:1.0"
ORIGIN = "Keep it Local Consult"
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://keep-it-local.example/consult/refi-qda")
VARIABLES = ("respondent_type", "capacity", "channel")
# Machine codes go into the project only once a person accepted them; suggestions stay in the JSONL export.
EXPORTED_STATUSES = {"person": {"applied"}, "machine": {"accepted"}}


def guid(kind: str, *ids: object) -> str:
    """A stable GUID for one thing, e.g. guid('theme', 12)."""
    return str(uuid.uuid5(GUID_NAMESPACE, ":".join([kind, *map(str, ids)])))


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: v for k, v in attributes.items() if v is not None})
    if text is not None:
        element.text = text
    return element


# Inclusion, exclusion and example have no REFI-QDA element: they go in Description under these headings.
SECTIONS = (("inclusion", "Include when:"), ("exclusion", "Exclude when:"), ("example", "Example:"))


def describe(theme: Theme) -> str:
    """Description with the inclusion, exclusion and example guidance (codebook_files.read_qdc splits it)."""
    parts = [theme.description] if theme.description else []
    parts += [f"{heading} {getattr(theme, field)}" for field, heading in SECTIONS if getattr(theme, field)]
    return "\n\n".join(parts)


def write_codes(parent: ET.Element, ns: str, themes: list[Theme]) -> bool:
    """<Codes> under `parent`: the active themes in codebook order, each child nested in its parent; False when
    there is nothing to write (REFI-QDA's Codes needs a Code)."""
    if not themes:
        return False
    ids = {t.id for t in themes}
    codes = _sub(parent, f"{{{ns}}}Codes")
    for theme in themes:
        if theme.parent_id not in ids:
            code = _code(codes, ns, theme)
            for child in (t for t in themes if t.parent_id == theme.id):
                _code(code, ns, child)
    return True


def _code(parent: ET.Element, ns: str, theme: Theme) -> ET.Element:
    code = _sub(parent, f"{{{ns}}}Code", guid=guid("theme", theme.id), name=theme.name, isCodable="true")
    if describe(theme):
        _sub(code, f"{{{ns}}}Description", describe(theme))
    return code


def _xml_bytes(root: ET.Element, ns: str) -> bytes:
    ET.register_namespace("", ns)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _users(project: ET.Element, coders: list[Coder], creator: str, creator_name: str) -> dict[int, str]:
    users = _sub(project, "{%s}Users" % PROJECT_NS)
    by_coder = {}
    written = set()
    for coder in coders:
        by_coder[coder.id] = guid("user", coder.user_id) if coder.user_id else guid("coder", coder.id)
        if by_coder[coder.id] not in written:
            _sub(users, "{%s}User" % PROJECT_NS, guid=by_coder[coder.id], name=coder.name)
            written.add(by_coder[coder.id])
    if creator not in written:
        _sub(users, "{%s}User" % PROJECT_NS, guid=creator, name=creator_name)
    return by_coder


def build_project(survey: Survey, *, user=None) -> tuple[bytes, dict[str, str], int]:
    """project.qde, the source texts by file name, and how many responses (cases) there are."""
    p = "{%s}" % PROJECT_NS
    context = ExportContext.load(survey)
    themes = active_themes(survey)
    merged = theme_successors()
    theme_ids = {t.id for t in themes}
    now = utcnow().isoformat(timespec="seconds") + "Z"
    creator = guid("user", user.id) if user else guid("system")
    project = ET.Element(f"{p}Project", {"name": survey.title, "origin": ORIGIN, "creatingUserGUID": creator,
                                         "creationDateTime": now})
    coders = sorted(context.coders.values(), key=lambda c: (c.kind != "person", c.name.casefold()))
    user_guids = _users(project, coders, creator, user.name if user else f"{ORIGIN} (command line)")
    codebook = ET.Element(f"{p}CodeBook")
    if write_codes(codebook, PROJECT_NS, themes):
        project.append(codebook)
    variables = _sub(project, f"{p}Variables")
    for name in VARIABLES:
        _sub(_sub(variables, f"{p}Variable", guid=guid("variable", survey.id, name), name=name, typeOfVariable="Text"),
             f"{p}Description", f"The respondent's {name.replace('_', ' ')}")
    cases = ET.Element(f"{p}Cases")
    sources = ET.Element(f"{p}Sources")
    texts: dict[str, str] = {}
    count = 0
    for row in iter_rows(context):
        count += 1
        response = row.response
        case = _sub(cases, f"{p}Case", guid=guid("response", response.id), name=response.reference)
        for name in VARIABLES:
            value = _sub(case, f"{p}VariableValue")
            _sub(value, f"{p}VariableRef", targetGUID=guid("variable", survey.id, name))
            _sub(value, f"{p}TextValue", getattr(response, name) or "")
        for key in context.keys:
            answer = row.answers.get(key)
            if answer is None or not (answer.text or "").strip():
                continue
            source_guid = guid("answer", answer.id)
            texts[f"sources/{source_guid}.txt"] = answer.text
            _sub(case, f"{p}SourceRef", targetGUID=source_guid)
            source = _sub(sources, f"{p}TextSource", guid=source_guid, name=f"{response.reference} {key}",
                          plainTextPath=f"internal://{source_guid}.txt", creationDateTime=now)
            _selections(source, row.codings.get(answer.id, []), context, user_guids, theme_ids, merged, len(answer.text))
    if len(cases):
        project.append(cases)
    if len(sources):
        project.append(sources)
    return _xml_bytes(project, PROJECT_NS), texts, count


def _selections(source: ET.Element, codings: list, context: ExportContext, user_guids: dict[int, str],
                theme_ids: set[int], merged: dict[int, int], length: int) -> None:
    """One selection per coder and span, holding a Coding per code; whole-answer codes span the text."""
    p = "{%s}" % PROJECT_NS
    selections: dict[tuple[int, int, int], ET.Element] = {}
    for coding in codings:
        coder = context.coders[coding.coder_id]
        theme_id = merged.get(coding.theme_id, coding.theme_id)
        if coding.status not in EXPORTED_STATUSES[coder.kind] or theme_id not in theme_ids:
            continue
        start, end = (0, length) if coding.span_start is None else (min(coding.span_start, length), min(coding.span_end, length))
        if end <= start:
            continue
        place = (coder.id, start, end)
        if place not in selections:
            selections[place] = _sub(source, f"{p}PlainTextSelection", guid=guid("selection", coding.answer_id, *place),
                                     startPosition=str(start), endPosition=str(end), creatingUser=user_guids[coder.id])
        coded = _sub(selections[place], f"{p}Coding", guid=guid("coding", coding.id), creatingUser=user_guids[coder.id])
        _sub(coded, f"{p}CodeRef", targetGUID=guid("theme", theme_id))


def write_qdpx(survey: Survey, out: BinaryIO, *, user=None) -> int:
    """The REFI-QDA project as a .qdpx zip; returns how many responses it holds."""
    project, texts, count = build_project(survey, user=user)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project)
        archive.writestr("sources/", b"")
        for name, text in texts.items():
            archive.writestr(name, text.encode("utf-8"))
    return count
