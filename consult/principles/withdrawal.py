"""A respondent's words leave every stored draft when their response is erased.

Each version's document and edits lose what was cited from the response (analysis.draft_edits.withdraw) at
once, in the erasure's own request, and its files are emptied; a background job then renders them again
without it. Until it has, the version says it is being updated rather than serving the old files. The
version records how many passages were withdrawn (its document's `withdrawn`), never whose.
"""
from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from consult.auth.services import record
from consult.extensions import db
from consult.jobs.models import Job
from consult.jobs.services import submit, task
from consult.principles.models import PUBLIC_EDITION, PrincipleDraft


def withdraw_response(survey_id: int, reference: str, answer_ids: list[int]) -> list[int]:
    """Take the erased response's words out of every version of the survey's drafts; returns the ids of the
    versions that held any, which are queued to be rendered again."""
    from analysis.draft_edits import withdraw

    changed = []
    for draft in db.session.scalars(select(PrincipleDraft).where(PrincipleDraft.survey_id == survey_id)
                                    .order_by(PrincipleDraft.number)):
        document, edits, removed = withdraw(draft.document, draft.edits, reference, answer_ids)
        if not removed:
            continue
        draft.document, draft.edits = document, edits
        draft.html, draft.pdf, draft.rerendering = "", b"", True
        record("principles.withdrawn", draft, {"number": draft.number, "passages": removed})
        changed.append(draft.id)
    db.session.commit()
    if changed:
        submit("principles_rerender", survey_id=survey_id, params={
            "draft_ids": changed, "title": "Rendering drafts again without words withdrawn by their author"},
            timeout=current_app.config["DRAFT_TIMEOUT_SECONDS"] * len(changed))
    return changed


@task("principles_rerender")
def run_rerender(job: Job, progress) -> dict[str, Any]:
    from consult.principles.services import _render

    ids = list(job.params["draft_ids"])
    done = []
    for i, draft_id in enumerate(ids):
        draft = db.session.get(PrincipleDraft, draft_id)
        if draft is None:
            continue
        progress(i / len(ids), f"Rendering version {draft.number} again")
        draft.html, draft.pdf = _render(draft.document, draft.edits)
        draft.rerendering, draft.edition = False, PUBLIC_EDITION
        db.session.commit()
        done.append(draft.number)
    return {"summary": f"Rendered {len(done)} version{'s' if len(done) != 1 else ''} again without the withdrawn "
                       f"words: {', '.join(map(str, done))}."}
