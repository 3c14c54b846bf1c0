"""People's decisions on proposed themes: accept (under the proposed name or another), drop, restore, merge, split.

An accepted proposal enters the codebook through consult.coding.services (created, with its history and
audit), with a description and its typical answers as examples; merging two accepted themes is the
codebook's own merge, so its history is kept there. A proposal not yet accepted can be merged into another
(their answers join) or into a codebook theme, and split into sub-themes found among its own answers.
"""
from __future__ import annotations

from sqlalchemy import select

from consult.auth import services as audit
from consult.auth.models import User
from consult.coding import services as codebook
from consult.coding.models import Theme, ThemeChange
from consult.extensions import db
from consult.surveys.models import Survey
from consult.timeutil import utcnow
from consult.workspace.discovery import (
    SEED,
    DiscoveryError,
    analyzer,
    codebook_description,
    described,
    resolved_theme,
    survey_proposals,
)
from consult.workspace.filters import survey_themes
from consult.workspace.models import ThemeDiscovery, ThemeProposal

EXAMPLE_CHARS = 1000  # each typical answer copied into the codebook's example, at most
SPLIT_PARTS = (2, 5)


def proposal_in(survey: Survey, discovery_id: int, proposal_id: int) -> ThemeProposal | None:
    proposal = db.session.get(ThemeProposal, proposal_id)
    if proposal is None or proposal.discovery_id != discovery_id or proposal.discovery.survey_id != survey.id:
        return None
    return proposal


def current_theme(proposal: ThemeProposal, proposals: dict[int, ThemeProposal] | None = None,
                  themes: dict[int, Theme] | None = None) -> Theme | None:
    """The codebook theme the proposal ended in (None while pending or dropped); pass the survey's
    proposals and themes when asking for many."""
    if proposals is None or themes is None:
        survey = db.session.get(Survey, proposal.discovery.survey_id)
        proposals, themes = survey_proposals(survey), survey_themes(survey)
    return resolved_theme(proposal, proposals, themes)


def _decided(proposal: ThemeProposal, status: str, by: User | None) -> None:
    proposal.status, proposal.decided_at = status, utcnow()
    proposal.decided_by = by.id if by else None


def _pending(proposal: ThemeProposal) -> None:
    if not proposal.pending:
        raise DiscoveryError(f"‘{proposal.label}’ was already {proposal.status}")


def accept(proposal: ThemeProposal, name: str, description: str | None = None, by: User | None = None) -> Theme:
    """Add the proposal to the codebook under `name`, with a description and its typical answers as examples;
    its history says it was found by "Find themes" and under which name."""
    from consult.responses.models import Answer

    _pending(proposal)
    survey = db.session.get(Survey, proposal.discovery.survey_id)
    texts = dict(db.session.execute(select(Answer.id, Answer.text).where(Answer.id.in_(proposal.example_ids or [0]))).all())
    copied = {str(i): " ".join(texts[i].split())[:EXAMPLE_CHARS] for i in proposal.example_ids if texts.get(i)}
    try:
        theme = codebook.create_theme(
            survey, name, by=by, commit=False,
            description=codebook_description(proposal) if description is None else description,
            example="\n".join(copied.values()))
    except codebook.CodebookError as error:
        db.session.rollback()
        raise DiscoveryError(str(error)) from error
    db.session.add(ThemeChange(theme_id=theme.id, user_id=by.id if by else None, action="discovered", detail={
        "discovery": proposal.discovery_id, "proposal": proposal.id, "proposed_as": proposal.label,
        "answers": proposal.size}))
    proposal.theme_id, proposal.examples_copied = theme.id, copied
    _decided(proposal, "accepted", by)
    audit.record("themes.accepted", proposal, {"theme": theme.id, "renamed": theme.name != proposal.label}, by=by)
    db.session.commit()
    return theme


def drop(proposal: ThemeProposal, by: User | None = None) -> None:
    """The proposal is not a theme; later runs will not propose it again."""
    _pending(proposal)
    _decided(proposal, "dropped", by)
    audit.record("themes.dropped", proposal, {"label": proposal.label}, by=by)
    db.session.commit()


def restore(proposal: ThemeProposal, by: User | None = None) -> None:
    """Undo a drop."""
    if proposal.status != "dropped":
        raise DiscoveryError(f"‘{proposal.label}’ was not dropped")
    proposal.status, proposal.decided_at, proposal.decided_by = "proposed", None, None
    audit.record("themes.restored", proposal, {"label": proposal.label}, by=by)
    db.session.commit()


def merge_targets(proposal: ThemeProposal, own: Theme | None, active: list[Theme]) -> list[tuple[str, str]]:
    """(value, name) of what the proposal can be merged into: the run's other open proposals, and the
    codebook's current themes (`active`) but the one it is in (`own`)."""
    targets = [(f"p:{p.id}", f"{p.label} (proposed)") for p in proposal.discovery.proposals
               if p.id != proposal.id and p.pending]
    return targets + [(f"t:{t.id}", t.name) for t in active if own is None or t.id != own.id]


def merge(proposal: ThemeProposal, target: str, by: User | None = None) -> str:
    """Merge the proposal into another ("p:ID") or into a codebook theme ("t:ID"). Returns the target's name."""
    survey = db.session.get(Survey, proposal.discovery.survey_id)
    kind, _, number = (target or "").partition(":")
    into_proposal = proposal_in(survey, proposal.discovery_id, int(number)) if kind == "p" and number.isdigit() else None
    into_theme = codebook.theme_in_survey(survey, int(number)) if kind == "t" and number.isdigit() else None
    if into_proposal is not None and into_proposal.status == "accepted":
        into_theme, into_proposal = current_theme(into_proposal), None
    if (into_proposal is None and into_theme is None) or into_proposal is proposal:
        raise DiscoveryError("Choose a proposed theme or a codebook theme to merge into")
    own = current_theme(proposal)
    if proposal.status == "accepted" and own is not None:
        if into_theme is None:
            raise DiscoveryError(f"‘{proposal.label}’ is in the codebook: accept ‘{into_proposal.label}’ first, "
                                 "or merge it into a codebook theme")
        try:
            codebook.merge_themes(own, into_theme, by=by)  # commits, with the codebook's history
        except codebook.CodebookError as error:
            raise DiscoveryError(str(error)) from error
        _decided(proposal, "merged", by)
        db.session.commit()
        return into_theme.name
    _pending(proposal)
    if into_theme is not None:
        proposal.theme_id = into_theme.id
        db.session.add(ThemeChange(theme_id=into_theme.id, user_id=by.id if by else None, action="merged", detail={
            "from_name": f"{proposal.label} (proposed)", "proposal": proposal.id, "moved": 0,
            "duplicates_dropped": 0}))
        name = into_theme.name
    else:
        _pending(into_proposal)
        weights = dict(zip(into_proposal.member_ids, into_proposal.weights))
        for member, weight in zip(proposal.member_ids, proposal.weights):
            weights[member] = max(weight, weights.get(member, 0.0))
        order = sorted(weights, key=lambda m: (-weights[m], m))
        into_proposal.member_ids, into_proposal.weights = order, [weights[m] for m in order]
        into_proposal.terms = list(dict.fromkeys(into_proposal.terms + proposal.terms))[:12]
        into_proposal.description = described(into_proposal.label, into_proposal.terms, into_proposal.size,
                                              proposal.discovery.answers)
        proposal.merged_into_id = into_proposal.id
        name = into_proposal.label
    _decided(proposal, "merged", by)
    audit.record("themes.merged", proposal, {"into": target}, by=by)
    db.session.commit()
    return name


def split(proposal: ThemeProposal, parts: int, by: User | None = None) -> list[ThemeProposal]:
    """Split a pending proposal into `parts` proposals: the themes found among its own answers."""
    from analysis.records import Answer as Record
    from analysis.theme_labels import label_words
    from analysis.themes import discover_themes

    from consult.responses.models import Answer
    from consult.workspace.discovery import LANGUAGE

    _pending(proposal)
    if not SPLIT_PARTS[0] <= parts <= SPLIT_PARTS[1]:
        raise DiscoveryError(f"Split into between {SPLIT_PARTS[0]} and {SPLIT_PARTS[1]} themes")
    texts = dict(db.session.execute(select(Answer.id, Answer.text).where(Answer.id.in_(proposal.member_ids or [0]))).all())
    records = [Record(id=str(i), text=texts[i]) for i in proposal.member_ids if texts.get(i)]
    found = discover_themes(records, analyzer(), label_words=label_words(LANGUAGE), max_themes=parts, seed=SEED)
    if len(found) < 2:
        raise DiscoveryError(f"The answers of ‘{proposal.label}’ do not divide into {parts} themes")
    discovery: ThemeDiscovery = proposal.discovery
    last = max(p.position for p in discovery.proposals)
    new = []
    for offset, theme in enumerate(found, 1):
        part = ThemeProposal(
            discovery_id=discovery.id, position=last + offset, label=theme.label[:120],
            description=described(theme.label, list(theme.terms), theme.size, discovery.answers), terms=list(theme.terms),
            member_ids=[int(i) for i in theme.answer_ids], weights=list(theme.weights),
            example_ids=[int(i) for i in theme.exemplar_ids], overlaps=[], split_from_id=proposal.id)
        db.session.add(part)
        new.append(part)
    _decided(proposal, "split", by)
    audit.record("themes.split", proposal, {"parts": len(new)}, by=by)
    db.session.commit()
    return new
