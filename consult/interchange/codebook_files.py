"""The codebook as CSV and as a REFI-QDA codebook (.qdc), out and in.

Import is all-or-nothing: every row is checked first, and any problem (with its row or code named)
stops the import with nothing saved. A theme whose name already exists is updated, a new name is
created. REFI-QDA codebooks may nest deeper than this codebook allows; deeper codes are placed
under their top-level ancestor, and the import says so.
"""
from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

from defusedxml import ElementTree as SafeElementTree

from consult.auth import services as audit
from consult.auth.models import User
from consult.coding import services
from consult.extensions import db
from consult.interchange.cells import neutralise, restore
from consult.interchange.refi_qda import ORIGIN, SECTIONS, write_codes
from consult.surveys.models import Survey

COLUMNS = ("name", "parent", "description", "inclusion", "exclusion", "example")
QDC_NS = "urn:QDA-XML:codebook:1.0"


class ImportProblems(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _rows(survey: Survey) -> list[dict[str, str]]:
    themes = services.active_themes(survey)
    names = {t.id: t.name for t in themes}
    return [{"name": t.name, "parent": names.get(t.parent_id, ""), "description": t.description,
             "inclusion": t.inclusion, "exclusion": t.exclusion, "example": t.example} for t in themes]


def export_csv(survey: Survey) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in _rows(survey):
        writer.writerow({k: neutralise(v or "") for k, v in row.items()})
    return out.getvalue()


def export_qdc(survey: Survey) -> bytes:
    """The codebook as a REFI-QDA codebook file, its codes written as in the .qdpx project."""
    ElementTree.register_namespace("", QDC_NS)
    root = ElementTree.Element(f"{{{QDC_NS}}}CodeBook", {"origin": ORIGIN})
    write_codes(root, QDC_NS, services.active_themes(survey))
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def read_csv(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportProblems(["The file is not UTF-8 text: save it as ‘CSV UTF-8’ and try again"]) from error
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "name" not in header:
        raise ImportProblems(["The first row must name the columns, including ‘name’ (also: "
                              + ", ".join(COLUMNS[1:]) + ")"])
    reader.fieldnames = header
    return [{k: restore((row.get(k) or "").strip()) for k in COLUMNS} for row in reader]


def _split_description(text: str) -> dict[str, str]:
    out = {"description": [], "inclusion": [], "exclusion": [], "example": []}
    current = "description"
    for block in (text or "").split("\n\n"):
        block = block.strip()
        for field, heading in SECTIONS:
            if block.startswith(heading):
                current, block = field, block[len(heading):].strip()
                break
        if block:
            out[current].append(block)
    return {k: "\n\n".join(v) for k, v in out.items()}


def read_qdc(data: bytes) -> tuple[list[dict[str, str]], list[str]]:
    """(rows, notes): the codes of a .qdc file as import rows, parents first."""
    try:
        root = SafeElementTree.fromstring(data)
    except Exception as error:  # defusedxml raises its own errors for entities as well as ParseError
        raise ImportProblems([f"The file is not a readable REFI-QDA codebook: {error}"]) from error
    if root.tag != f"{{{QDC_NS}}}CodeBook":
        raise ImportProblems([f"The file is not a REFI-QDA codebook (expected CodeBook in {QDC_NS})"])
    rows, notes = [], []

    def walk(element, top: str | None, depth: int) -> None:
        for code in element.findall(f"{{{QDC_NS}}}Code"):
            name = (code.get("name") or "").strip()
            description = code.findtext(f"{{{QDC_NS}}}Description") or ""
            rows.append({"name": name, "parent": top or "", **_split_description(description)})
            if depth >= 3:
                notes.append(f"‘{name}’ was nested {depth - 1} levels deep and is placed under ‘{top}’")
            walk(code, top or name, depth + 1)

    codes = root.find(f"{{{QDC_NS}}}Codes")
    if codes is not None:
        walk(codes, None, 1)
    return rows, notes


def import_rows(survey: Survey, rows: list[dict[str, str]], by: User | None = None) -> tuple[int, int]:
    """Create or update themes from rows (name, parent, guidance); all rows or none. (created, updated)"""
    problems = []
    seen: dict[str, int] = {}
    parents_in_file = {r["name"].strip(): (r.get("parent") or "").strip() for r in rows if r.get("name")}
    for number, row in enumerate(rows, start=2):
        name, parent = (row.get("name") or "").strip(), (row.get("parent") or "").strip()
        if not name:
            problems.append(f"Row {number}: enter a theme name")
            continue
        if len(name) > services.NAME_MAX:
            problems.append(f"Row {number}: ‘{name[:40]}…’ is longer than {services.NAME_MAX} characters")
        if name in seen:
            problems.append(f"Row {number}: ‘{name}’ is already on row {seen[name]}")
        seen[name] = number
        if parent:
            existing = services.find_by_name(survey, parent)
            if parent == name:
                problems.append(f"Row {number}: ‘{name}’ cannot be its own parent")
            elif parent in parents_in_file:
                if parents_in_file[parent]:
                    problems.append(f"Row {number}: parent ‘{parent}’ is itself under ‘{parents_in_file[parent]}’: "
                                    "themes nest one level only")
            elif existing is None or not existing.active:
                problems.append(f"Row {number}: parent ‘{parent}’ is not in the file or the codebook")
            elif existing.parent_id is not None:
                problems.append(f"Row {number}: parent ‘{parent}’ is itself under another theme")
        current = services.find_by_name(survey, name)
        if current is not None and not current.active:
            problems.append(f"Row {number}: ‘{name}’ is a merged, retired theme; rename the row")
    if problems:
        raise ImportProblems(problems)
    created = updated = 0
    ordered = sorted(rows, key=lambda r: bool((r.get("parent") or "").strip()))  # parents first
    try:
        for row in ordered:
            name, parent_name = row["name"].strip(), (row.get("parent") or "").strip()
            parent = services.find_by_name(survey, parent_name) if parent_name else None
            if parent is not None:
                db.session.flush()
            text = {f: row.get(f) or "" for f in services.TEXT_FIELDS}
            theme = services.find_by_name(survey, name)
            if theme is None:
                services.create_theme(survey, name, parent_id=parent.id if parent else None, by=by, commit=False,
                                      action="imported", **text)
                created += 1
            elif services.update_theme(theme, name=name, parent_id=parent.id if parent else None, by=by,
                                       commit=False, **text):
                updated += 1
    except services.CodebookError as error:
        db.session.rollback()
        raise ImportProblems([str(error)]) from error
    audit.record("codebook.imported", survey, {"created": created, "updated": updated}, by=by)
    db.session.commit()
    return created, updated
