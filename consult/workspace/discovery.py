"""Find themes: the machine proposes themes in the answers to one or more free-text questions, in a background job.

The answers are chosen by question and by the workspace's filters (say, community organisations only), and
read by analysis.themes.discover_themes, with their stored sentence vectors when every answer has one
(consult.coding.vectors). What people have already settled counts as known: the codebook's
themes (their texts, the answers people coded with them, and the answers of the proposals accepted into
them) and the proposals people dropped. Once anything is known, a run proposes only themes mostly made of
answers no known theme holds (the rule of analysis.themes' `new_only`), so running it again on new answers
proposes only what is new. A codebook theme counts by its answers: one nobody has coded, and that did not
come from a proposal, covers nothing yet (see `only_new` for why its texts alone are not used).
"""
from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from sqlalchemy import select

from consult.auth.models import User
from consult.coding.assignments import codable_question_ids
from consult.coding.models import CodeAssignment, Coder, Theme
from consult.coding.vectors import vectors_or_queue
from consult.extensions import db
from consult.jobs.models import Job
from consult.jobs.services import JobError, submit, task
from consult.responses.models import Answer, Response
from consult.surveys.models import Question, Survey
from consult.timeutil import utcnow
from consult.workspace.filters import Filters, answer_conditions, response_conditions, survey_themes
from consult.workspace.models import ThemeDiscovery, ThemeProposal

MIN_ANSWERS = 10
MAX_THEMES = (3, 30)
LANGUAGE = "en"
SEED = 0
PERSON_STATUSES = ("applied", "accepted")
COUNTS = re.compile(r" \(\d+ of \d+, \d+%\)")


class DiscoveryError(ValueError):
    """A run or a decision that cannot go ahead; the message says why."""


def analyzer():
    from analysis.text import analyzer_for

    return analyzer_for(LANGUAGE)


def selected_answers(survey: Survey, question_keys: list[str], filters: Filters) -> list:
    """analysis.records.Answer for the chosen questions' answers with text that pass the filters, in id order."""
    from analysis.records import Answer as Record

    question_ids = [i for key in question_keys for i in codable_question_ids(survey, key)]
    if not question_ids:
        return []
    rows = db.session.execute(
        select(Answer.id, Answer.text, Question.key).join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.question_id.in_(question_ids), Answer.text.is_not(None), Answer.text != "",
               *response_conditions(survey, filters), *answer_conditions(survey, filters, survey_themes(survey)))
        .order_by(Answer.id))
    return [Record(id=str(answer_id), text=text, context=key) for answer_id, text, key in rows if text.strip()]


def free_text_questions(survey: Survey) -> list[tuple[str, str]]:
    from consult.coding.samples import question_keys

    return question_keys(survey)


def resolved_theme(proposal: ThemeProposal, proposals: dict[int, ThemeProposal], themes: dict[int, Theme]) -> Theme | None:
    """The current codebook theme a decided proposal ended in: through proposals it was merged into, then
    through codebook merges."""
    seen: set[int] = set()
    while proposal.merged_into_id and proposal.merged_into_id in proposals and proposal.id not in seen:
        seen.add(proposal.id)
        proposal = proposals[proposal.merged_into_id]
    theme = themes.get(proposal.theme_id) if proposal.theme_id else None
    while theme is not None and theme.merged_into_id:
        theme = themes.get(theme.merged_into_id)
    return theme


def survey_proposals(survey: Survey) -> dict[int, ThemeProposal]:
    return {p.id: p for p in db.session.scalars(select(ThemeProposal).join(ThemeDiscovery).where(
        ThemeDiscovery.survey_id == survey.id))}


def _texts(answer_ids: list[int]) -> dict[int, str]:
    if not answer_ids:
        return {}
    return dict(db.session.execute(select(Answer.id, Answer.text).where(Answer.id.in_(answer_ids))).all())


def known_themes(survey: Survey) -> list:
    """analysis.records.CodebookTheme for what people settled: each current codebook theme ("theme:ID") with
    its texts and members, and each dropped proposal ("dropped:ID") with its typical answers and members."""
    from analysis.records import CodebookTheme

    themes = survey_themes(survey)
    proposals = survey_proposals(survey)
    members: dict[int, set[int]] = {t.id: set() for t in themes.values() if t.active}
    for answer_id, theme_id in db.session.execute(
            select(CodeAssignment.answer_id, CodeAssignment.theme_id).join(Coder, Coder.id == CodeAssignment.coder_id)
            .where(CodeAssignment.theme_id.in_(list(members) or [0]), Coder.kind == "person",
                   CodeAssignment.status.in_(PERSON_STATUSES))):
        members[theme_id].add(answer_id)
    dropped = []
    for proposal in proposals.values():
        if proposal.status == "dropped":
            dropped.append(proposal)
        elif proposal.status in ("accepted", "merged"):
            theme = resolved_theme(proposal, proposals, themes)
            if theme is not None and theme.id in members:
                members[theme.id].update(proposal.member_ids)
    known = [CodebookTheme(name=f"theme:{t.id}", description=t.description, include=t.inclusion, exclude=t.exclusion,
                           examples=tuple(line for line in t.example.splitlines() if line.strip()),
                           member_ids=tuple(str(i) for i in sorted(members[t.id])))
             for t in themes.values() if t.id in members]
    texts = _texts([i for p in dropped for i in p.example_ids])
    known += [CodebookTheme(name=f"dropped:{p.id}", description=p.description,
                            examples=tuple(texts[i] for i in p.example_ids if i in texts),
                            member_ids=tuple(str(i) for i in p.member_ids)) for p in dropped]
    return known


def find_themes(survey: Survey, question_keys: list[str], filters: Filters, max_themes: int = 10,
                progress=lambda fraction, message: None) -> tuple[list, list]:
    """(answers read, themes proposed): analysis records; once anything is known (see the module docstring),
    only new themes are proposed."""
    from analysis.theme_labels import label_words
    from analysis.themes import discover_themes

    unknown = [key for key in question_keys if not codable_question_ids(survey, key)]
    if unknown or not question_keys:
        raise DiscoveryError(f"{', '.join(unknown) or 'No question'}: choose free-text questions of this survey"
                             f" ({', '.join(key for key, _label in free_text_questions(survey))})")
    progress(0.05, "Reading the answers")
    answers = selected_answers(survey, question_keys, filters)
    if len(answers) < MIN_ANSWERS:
        raise DiscoveryError(f"{len(answers)} {'answer matches' if len(answers) == 1 else 'answers match'} these "
                             f"questions and filters: finding themes needs at least {MIN_ANSWERS}.")
    progress(0.15, "Comparing with the codebook")
    known = [k for k in known_themes(survey) if k.member_ids]
    progress(0.25, f"Finding themes in {len(answers):,} answers")
    stored = vectors_or_queue(survey.id, answers)  # neighbours by the stored sentence vectors, else by LSA
    themes = discover_themes(answers, analyzer(), label_words=label_words(LANGUAGE), max_themes=max_themes + len(known),
                             vectors=stored[0] if stored else None, seed=SEED)
    if known:
        themes = only_new(themes, answers, known, max_themes)
    return answers, themes[:max_themes]


def only_new(themes: list, answers: list, known: list, max_themes: int) -> list:
    """The themes mostly made of answers no known theme holds, each with its overlaps with the known themes.

    Overlaps count the known themes' members only. analysis.theme_overlap also places the answers nobody
    coded by the themes' texts (few-shot), but those scores are relative to an answer's best theme, so every
    answer lands in some known theme and nothing would ever be new: it is given only the members' answers."""
    from dataclasses import replace

    from analysis.theme_overlap import with_overlaps
    from analysis.themes import NEW_SHARE

    held = {i for k in known for i in k.member_ids}
    themes = with_overlaps(themes, [a for a in answers if a.id in held], known, analyzer(), seed=SEED)
    new = [t for t in themes if not t.overlaps or t.overlaps[0].share < NEW_SHARE][:max_themes]
    return [replace(t, id=number) for number, t in enumerate(new, 1)]
    return answers, themes


def overlap_rows(theme, names: dict[str, str]) -> list[dict[str, Any]]:
    """A proposal's overlaps with codebook themes, as stored (dropped proposals are left out)."""
    return [{"theme_id": int(o.theme.split(":")[1]), "name": names.get(o.theme, o.theme), "shared": o.shared,
             "share": o.share} for o in theme.overlaps if o.theme.startswith("theme:")]


def start_discovery(survey: Survey, question_keys: list[str], filters: Filters, max_themes: int,
                    by: User | None = None) -> ThemeDiscovery:
    """Record a run and queue its job; the questions must be free-text questions of the survey."""
    codable = {key for key in question_keys if codable_question_ids(survey, key)}
    if not question_keys or set(question_keys) - codable:
        raise DiscoveryError("Choose one or more free-text questions")
    if not MAX_THEMES[0] <= max_themes <= MAX_THEMES[1]:
        raise DiscoveryError(f"Ask for between {MAX_THEMES[0]} and {MAX_THEMES[1]} themes")
    discovery = ThemeDiscovery(survey_id=survey.id, question_keys=list(dict.fromkeys(question_keys)),
                               filters={k: v for k, v in asdict(filters).items() if v not in ("", None, False)},
                               max_themes=max_themes, created_by=by.id if by else None)
    db.session.add(discovery)
    db.session.commit()
    job = submit("theme_discovery", survey_id=survey.id, user_id=by.id if by else None,
                 params={"discovery_id": discovery.id, "title": "Finding themes"})
    discovery.job_id = job.id
    db.session.commit()
    return discovery


@task("theme_discovery")
def run_discovery(job: Job, progress) -> dict[str, Any]:
    """Find the themes of a recorded run and store them as proposals."""
    discovery = db.session.get(ThemeDiscovery, job.params["discovery_id"])
    if discovery is None:
        raise JobError("This run of “Find themes” no longer exists.")
    survey = db.session.get(Survey, discovery.survey_id)
    try:
        answers, themes = find_themes(survey, discovery.question_keys, Filters(**discovery.filters),
                                      discovery.max_themes, progress)
    except DiscoveryError as error:
        raise JobError(str(error)) from error
    progress(0.9, "Storing the proposed themes")
    names = {f"theme:{t.id}": t.name for t in survey_themes(survey).values()}
    for position, theme in enumerate(themes, 1):
        db.session.add(ThemeProposal(
            discovery_id=discovery.id, position=position, label=theme.label[:120], description=theme.description,
            terms=list(theme.terms), member_ids=[int(i) for i in theme.answer_ids], weights=list(theme.weights),
            example_ids=[int(i) for i in theme.exemplar_ids], overlaps=overlap_rows(theme, names)))
    discovery.answers, discovery.finished_at = len(answers), utcnow()
    db.session.commit()
    found = f"{len(themes)} {'theme' if len(themes) == 1 else 'themes'}"
    return {"summary": f"{found} proposed from {len(answers):,} answers." if themes else
            f"No new themes in {len(answers):,} answers: the codebook and your earlier decisions cover them.",
            "next": {"endpoint": "workspace.discovery_result", "values": {"slug": survey.slug, "discovery_id": discovery.id}},
            "next_label": "Review the proposed themes"}


def described(label: str, terms: list[str], size: int, total: int) -> str:
    from analysis.theme_labels import describe

    return describe(label, terms, size, total)


def codebook_description(proposal: ThemeProposal) -> str:
    """The proposal's sentence without its counts (which change as answers arrive), for the codebook."""
    return COUNTS.sub("", proposal.description)


def forget_answers(survey_id: int, answer_ids: list[int]) -> int:
    """Take erased answers out of the survey's proposals (members, weights, typical answers, refilled from
    the next strongest members), and out of the codebook examples copied from them. Commits; returns the
    number of proposals changed."""
    erased = set(answer_ids)
    if not erased:
        return 0
    changed = 0
    discoveries = list(db.session.scalars(select(ThemeDiscovery).where(ThemeDiscovery.survey_id == survey_id)))
    for discovery in discoveries:
        read = erased & {m for p in discovery.proposals for m in p.member_ids}
        for proposal in discovery.proposals:
            copied = {k: v for k, v in proposal.examples_copied.items() if int(k) in erased}
            if not erased & set(proposal.member_ids) and not copied:
                continue
            kept = [(m, w) for m, w in zip(proposal.member_ids, proposal.weights) if m not in erased]
            proposal.member_ids, proposal.weights = [m for m, _ in kept], [w for _, w in kept]
            examples = [i for i in proposal.example_ids if i not in erased]
            wanted = len(proposal.example_ids)
            examples += [m for m in proposal.member_ids if m not in examples][:wanted - len(examples)]
            proposal.example_ids = examples
            if copied:
                _uncopy(proposal, copied)
            changed += 1
        if read:
            discovery.answers = max(0, discovery.answers - len(read))
            for proposal in discovery.proposals:
                proposal.description = described(proposal.label, proposal.terms, proposal.size, discovery.answers)
    db.session.commit()
    return changed


def _uncopy(proposal: ThemeProposal, copied: dict[str, str]) -> None:
    from consult.coding.models import ThemeChange

    proposal.examples_copied = {k: v for k, v in proposal.examples_copied.items() if k not in copied}
    theme = db.session.get(Theme, proposal.theme_id) if proposal.theme_id else None
    if theme is None:
        return
    lines = theme.example.splitlines()
    left = list(lines)
    for text in copied.values():  # once each: two answers may say the same words
        if text in left:
            left.remove(text)
    if len(left) != len(lines):
        theme.example = "\n".join(left)
        db.session.add(ThemeChange(theme_id=theme.id, action="edited",
                                   detail={"example": "an example answer was removed: its response was erased"}))
