"""Codebook writes: themes nested one level, rename, merge and split, each with history and audit.

Merge (A into B): A's code assignments move to B (one row per coder, answer and span: duplicates
are dropped), adjudicated sets naming A name B instead, A's children move under B, and A stays in
the table retired (`merged_into_id` = B) so its history, and the reason earlier agreement figures
differed, remain explainable. The ThemeChange rows record how many assignments moved.

Split (A into A1, A2...): the new themes sit beside A (same parent); A keeps its answers until the
researcher recodes each one on the split screen (`recode_split_answer`), so nothing is guessed.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult.auth import services as audit
from consult.auth.models import User
from consult.coding.models import Adjudication, CodeAssignment, Theme, ThemeChange
from consult.extensions import db
from consult.responses.models import Answer, Response
from consult.surveys.models import Survey

TEXT_FIELDS = ("description", "inclusion", "exclusion", "example")
NAME_MAX = 120


class CodebookError(ValueError):
    """A codebook change that cannot be made; `field` names the form field to show it on."""

    def __init__(self, message: str, field: str = "name"):
        super().__init__(message)
        self.field = field


def active_themes(survey: Survey) -> list[Theme]:
    """The survey's current themes, parents before their children, in codebook order."""
    themes = list(db.session.scalars(select(Theme).where(Theme.survey_id == survey.id, Theme.merged_into_id.is_(None))
                                     .order_by(Theme.position, Theme.name)))
    parents = [t for t in themes if t.parent_id is None]
    children: dict[int, list[Theme]] = {}
    for theme in themes:
        if theme.parent_id is not None:
            children.setdefault(theme.parent_id, []).append(theme)
    ordered = []
    for parent in parents:
        ordered.append(parent)
        ordered.extend(children.get(parent.id, []))
    return ordered


def theme_in_survey(survey: Survey, theme_id: int | None) -> Theme | None:
    theme = db.session.get(Theme, theme_id) if theme_id else None
    return theme if theme is not None and theme.survey_id == survey.id else None


def find_by_name(survey: Survey, name: str) -> Theme | None:
    return db.session.scalar(select(Theme).where(Theme.survey_id == survey.id, Theme.name == name.strip()))


def _check_name(survey: Survey, name: str, theme: Theme | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise CodebookError("Enter a name for the theme")
    if len(name) > NAME_MAX:
        raise CodebookError(f"Theme name must be {NAME_MAX} characters or fewer")
    existing = find_by_name(survey, name)
    if existing is not None and existing is not theme:
        retired = " (a merged, retired theme)" if not existing.active else ""
        raise CodebookError(f"There is already a theme called ‘{name}’{retired} in this codebook")
    return name


def _check_parent(survey: Survey, parent_id: int | None, theme: Theme | None = None) -> Theme | None:
    """Themes nest one level: a parent must be top-level and current, and a theme with children stays top-level."""
    if not parent_id:
        return None
    parent = theme_in_survey(survey, parent_id)
    if parent is None or not parent.active:
        raise CodebookError("Choose a parent theme from this codebook", "parent_id")
    if parent.parent_id is not None:
        raise CodebookError(f"‘{parent.name}’ is itself under another theme: themes nest one level only", "parent_id")
    if theme is not None:
        if parent.id == theme.id:
            raise CodebookError("A theme cannot be its own parent", "parent_id")
        if db.session.scalar(select(Theme.id).where(Theme.parent_id == theme.id, Theme.merged_into_id.is_(None)).limit(1)):
            raise CodebookError(f"‘{theme.name}’ has codes under it, so it cannot go under another theme", "parent_id")
    return parent


def _change(theme: Theme, action: str, detail: dict[str, Any], by: User | None) -> None:
    db.session.add(ThemeChange(theme_id=theme.id, user_id=by.id if by else None, action=action, detail=detail))


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError as error:  # a concurrent edit took the name between our check and the write
        db.session.rollback()
        raise CodebookError("There is already a theme with that name in this codebook") from error


def create_theme(survey: Survey, name: str, *, parent_id: int | None = None, by: User | None = None,
                 commit: bool = True, action: str = "created", **text: str) -> Theme:
    """Add a theme (optionally under a top-level parent) with its guidance, history and audit event."""
    name = _check_name(survey, name)
    parent = _check_parent(survey, parent_id)
    last = db.session.scalar(select(Theme.position).where(Theme.survey_id == survey.id).order_by(Theme.position.desc()).limit(1))
    theme = Theme(survey_id=survey.id, name=name, parent_id=parent.id if parent else None, position=(last or 0) + 1,
                  **{f: (text.get(f) or "").strip() for f in TEXT_FIELDS})
    db.session.add(theme)
    db.session.flush()
    _change(theme, action, {"name": name, "parent": parent.name if parent else None}, by)
    audit.record(f"codebook.{action}", theme, {"name": name, "survey": survey.slug}, by=by)
    if commit:
        _commit()
    return theme


def update_theme(theme: Theme, *, name: str, parent_id: int | None, by: User | None = None,
                 commit: bool = True, **text: str) -> dict[str, Any]:
    """Edit a theme; a new name is recorded as 'renamed', other changes as 'edited'. Returns what changed."""
    survey = db.session.get(Survey, theme.survey_id)
    if not theme.active:
        raise CodebookError("This theme was merged into another and can no longer be edited")
    name = _check_name(survey, name, theme)
    parent = _check_parent(survey, parent_id, theme)
    if name != theme.name:
        _change(theme, "renamed", {"from": theme.name, "to": name}, by)
        audit.record("codebook.renamed", theme, {"from": theme.name, "to": name}, by=by)
        theme.name = name
    edited: dict[str, Any] = {}
    new_parent_id = parent.id if parent else None
    if new_parent_id != theme.parent_id:
        edited["parent"] = [theme.parent.name if theme.parent else None, parent.name if parent else None]
        theme.parent_id = new_parent_id
    for field in TEXT_FIELDS:
        value = (text.get(field) or "").strip()
        if field in text and value != getattr(theme, field):
            edited[field] = [getattr(theme, field), value]
            setattr(theme, field, value)
    if edited:
        _change(theme, "edited", edited, by)
        audit.record("codebook.edited", theme, {"fields": sorted(edited)}, by=by)
    if commit:
        _commit()
    return edited


def _move_assignments(answer_id: int | None, source: Theme, targets: list[Theme]) -> tuple[int, int]:
    """Give `source`'s rows (on one answer, or all) to `targets`; drop rows a coder already has. (moved, dropped)"""
    query = select(CodeAssignment).where(CodeAssignment.theme_id == source.id)
    if answer_id is not None:
        query = query.where(CodeAssignment.answer_id == answer_id)
    rows = list(db.session.scalars(query))
    target_ids = [t.id for t in targets]
    held = {(r.answer_id, r.coder_id, r.theme_id, r.span_start, r.span_end) for r in db.session.scalars(
        select(CodeAssignment).where(CodeAssignment.theme_id.in_(target_ids),
                                     CodeAssignment.answer_id.in_({r.answer_id for r in rows} or {0})))}
    moved = dropped = 0
    for row in rows:
        kept = False
        for target_id in target_ids:
            key = (row.answer_id, row.coder_id, target_id, row.span_start, row.span_end)
            if key in held:
                continue
            held.add(key)
            if not kept:
                row.theme_id, kept = target_id, True
            else:
                db.session.add(CodeAssignment(answer_id=row.answer_id, theme_id=target_id, coder_id=row.coder_id,
                                              status=row.status, span_start=row.span_start, span_end=row.span_end,
                                              score=row.score))
        if kept:
            moved += 1
        else:
            db.session.delete(row)
            dropped += 1
    adjudications = select(Adjudication)
    if answer_id is not None:
        adjudications = adjudications.where(Adjudication.answer_id == answer_id)
    else:
        adjudications = (adjudications.join(Answer, Answer.id == Adjudication.answer_id)
                         .join(Response, Response.id == Answer.response_id).where(Response.survey_id == source.survey_id))
    for adjudication in db.session.scalars(adjudications):
        if source.id in adjudication.theme_ids:
            kept_ids = [i for i in adjudication.theme_ids if i != source.id]
            adjudication.theme_ids = kept_ids + [i for i in target_ids if i not in kept_ids]
    return moved, dropped


def merge_themes(source: Theme, target: Theme, by: User | None = None) -> dict[str, int]:
    """Merge `source` into `target` (see the module docstring); returns counts of moved and dropped rows."""
    if source.id == target.id:
        raise CodebookError("Choose a different theme to merge into", "target_id")
    if source.survey_id != target.survey_id or not target.active or not source.active:
        raise CodebookError("Choose a current theme from this codebook to merge into", "target_id")
    children = list(db.session.scalars(select(Theme).where(Theme.parent_id == source.id, Theme.merged_into_id.is_(None))))
    if children and target.parent_id not in (None, source.id):
        raise CodebookError(f"‘{source.name}’ has codes under it and ‘{target.name}’ is itself under a theme: "
                            "move those codes first", "target_id")
    for child in children:
        if child.id == target.id:
            child.parent_id = source.parent_id
        else:
            child.parent_id = target.id
    moved, dropped = _move_assignments(None, source, [target])
    source.merged_into_id = target.id
    detail = {"moved": moved, "duplicates_dropped": dropped, "children_moved": len(children)}
    _change(source, "merged", {"into": target.id, "into_name": target.name, **detail}, by)
    _change(target, "merged", {"from": source.id, "from_name": source.name, **detail}, by)
    audit.record("codebook.merged", source, {"into": target.id, **detail}, by=by)
    _commit()
    return detail


def split_theme(theme: Theme, names: list[str], by: User | None = None) -> list[Theme]:
    """Create two or more themes beside `theme` to split it into; its answers stay until recoded."""
    names = [" ".join(n.split()) for n in names if n and n.strip()]
    if len(names) < 2:
        raise CodebookError("Enter at least two names to split the theme into", "names")
    if len(set(names)) != len(names):
        raise CodebookError("Give each new theme a different name", "names")
    if not theme.active:
        raise CodebookError("This theme was merged into another and cannot be split", "names")
    survey = db.session.get(Survey, theme.survey_id)
    new = []
    try:
        for name in names:
            part = create_theme(survey, name, parent_id=theme.parent_id, by=by, commit=False, action="created",
                                description=f"Split from ‘{theme.name}’. {theme.description}".strip())
            db.session.add(ThemeChange(theme_id=part.id, user_id=by.id if by else None, action="split_from",
                                       detail={"from": theme.id, "from_name": theme.name}))
            new.append(part)
    except CodebookError as error:
        db.session.rollback()
        raise CodebookError(str(error), "names") from error
    _change(theme, "split", {"into": [t.id for t in new], "names": names}, by)
    audit.record("codebook.split", theme, {"into": [t.id for t in new]}, by=by)
    _commit()
    return new


def answers_coded_with(theme: Theme, limit: int) -> list[Answer]:
    """The first `limit` answers anyone coded with the theme, oldest first."""
    return list(db.session.scalars(select(Answer).where(Answer.id.in_(
        select(CodeAssignment.answer_id).where(CodeAssignment.theme_id == theme.id))).order_by(Answer.id).limit(limit)))


def split_successors(theme: Theme) -> list[Theme]:
    """The current themes `theme` was split into (over all its splits)."""
    ids: list[int] = []
    for change in db.session.scalars(select(ThemeChange).where(ThemeChange.theme_id == theme.id,
                                                               ThemeChange.action == "split")):
        ids.extend(i for i in change.detail.get("into", []) if i not in ids)
    themes = [db.session.get(Theme, i) for i in ids]
    return [t for t in themes if t is not None and t.active]


def recode_split_answers(theme: Theme, choices: dict[int, list[int]], by: User | None = None) -> int:
    """Move `theme`'s codes on each answer to the chosen successors ({answer_id: [theme ids]}); [] leaves it."""
    successors = {t.id: t for t in split_successors(theme)}
    recoded = 0
    for answer_id, target_ids in choices.items():
        targets = [successors[i] for i in target_ids if i in successors]
        if not targets:
            continue
        moved, dropped = _move_assignments(answer_id, theme, targets)
        _change(theme, "recoded", {"answer_id": answer_id, "to": [t.id for t in targets],
                                   "to_names": [t.name for t in targets], "rows": moved + dropped}, by)
        recoded += 1
    if recoded:
        audit.record("codebook.recoded", theme, {"answers": recoded}, by=by)
    db.session.commit()
    return recoded


def history(theme: Theme) -> list[ThemeChange]:
    return list(db.session.scalars(select(ThemeChange).where(ThemeChange.theme_id == theme.id)
                                   .order_by(ThemeChange.at.desc(), ThemeChange.id.desc())))
