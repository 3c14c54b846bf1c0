"""Draft commissioning principles from coded evidence: the DOCUMENT (format 1) that the
report renderer prints and staff edit.

Every text in the document is either a figure, a name from the codebook or the survey,
or a redacted slice of a real answer from a respondent who agreed to be quoted. Organised
campaigns count once towards themes and quotes (through one "voice" respondent each);
their members are still counted as respondents and in the agreement figures.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

from analysis.draft_edits import apply_edits, compare  # noqa: F401  (part of this module's API)
from analysis.draft_figures import agreement, counts, questions, status
from analysis.draft_text import executive_summary, methodology
from analysis.evidence import AGREE, DISAGREE, GROUP_LABELS, GROUPS, CodedAnswer, Evidence
from analysis.extractive import MIN_WORDS, Space, candidate_sentences, centroid, excerpt, mmr, seeded_sample
from analysis.records import Answer, Campaign
from analysis.redact import redact
from analysis.suppression import small

FORMAT = 1
QUOTES, QUOTE_CANDIDATES, HEARD, REASONS, THEMES_SHOWN = 5, 10, 5, 3, 8
# Sampling keeps drafting fast at 100,000 responses; counts always use every answer.
SPACE_DOCS, CENTROID_DOCS, SOURCE_ANSWERS = 4000, 1500, 400
NEW_THEME_SHARE = 0.05


def detect_campaigns(evidence: Evidence, *, seed: int = 0) -> list[Campaign]:
    """Campaigns over each respondent's free text joined in answer order; Campaign.answer_ids
    hold respondent ids. The app may run this once per coding snapshot and pass the result
    to build_draft (it is the slowest part of drafting)."""
    from analysis.campaigns import find_campaigns

    texts: dict[str, list[str]] = defaultdict(list)
    for answer in evidence.answers:
        if answer.text.strip():
            texts[answer.respondent_id].append(answer.text.strip())
    return find_campaigns([Answer(rid, "\n".join(parts)) for rid, parts in texts.items()], seed=seed)


class _Draft:
    def __init__(self, evidence: Evidence, seed: int, campaigns: Sequence[Campaign], language: str):
        from analysis.text import analyzer_for

        self.ev, self.seed, self.min_cell = evidence, seed, evidence.min_cell
        self.people = {r.id: r for r in evidence.respondents}
        self.campaigns = list(campaigns)
        members = {rid for c in self.campaigns for rid in c.answer_ids}
        self.voices = [self._voice(c) for c in self.campaigns]
        self.units = (set(self.people) - members) | set(self.voices)
        self.answers = [a for a in evidence.answers if a.respondent_id in self.units]
        self.analyzer = analyzer_for(language)
        sample = seeded_sample([a.text for a in self.answers if a.text.strip()], SPACE_DOCS, f"{seed}:space")
        self.space = Space(self.analyzer).fit(sample)

    def _voice(self, campaign: Campaign) -> str:
        """The member who speaks for a campaign: its representative if quotable, else the
        first quotable member, else the representative."""
        order = [campaign.representative_id] + [m for m in campaign.answer_ids if m != campaign.representative_id]
        for rid in order:
            person = self.people.get(rid)
            if person is not None and person.quote_as is not None:
                return rid
        return campaign.representative_id

    def quotable(self, answer: CodedAnswer) -> bool:
        person = self.people.get(answer.respondent_id)
        return person is not None and person.quote_as is not None and len(answer.text.split()) >= MIN_WORDS

    # ------------------------------------------------------------------ themes
    @staticmethod
    def theme_counts(answers: Sequence[CodedAnswer]) -> tuple[Counter, dict[str, set[str]]]:
        count: Counter = Counter()
        who: dict[str, set[str]] = defaultdict(set)
        for a in answers:
            for theme in set(a.themes):
                count[theme] += 1
                who[theme].add(a.respondent_id)
        return count, who

    def theme_list(self, answers: Sequence[CodedAnswer], limit: int = THEMES_SHOWN) -> list[dict]:
        count, who = self.theme_counts(answers)
        ranked = sorted(who, key=lambda t: (-len(who[t]), -count[t], t))
        return [
            {"name": t, "count": count[t], "respondents": len(who[t])}
            for t in ranked
            if len(who[t]) >= self.min_cell
        ][:limit]

    def themes_overview(self) -> dict:
        def rows(answers: Sequence[CodedAnswer], limit: int = 10) -> list[dict]:
            count, who = self.theme_counts(answers)
            ranked = sorted(who, key=lambda t: (-len(who[t]), -count[t], t))[:limit]
            return [
                {"name": t, "respondents": None, "suppressed": True}
                if small(len(who[t]), self.min_cell)
                else {"name": t, "respondents": len(who[t]), "suppressed": False}
                for t in ranked
            ]

        by_group = []
        for g in GROUPS:
            mine = [a for a in self.answers if self.people[a.respondent_id].group == g]
            by_group.append({"group": g, "label": GROUP_LABELS[g], "themes": rows(mine)})
        return {"overall": self.theme_list(self.answers, 10), "by_group": by_group}

    # ------------------------------------------------------------ extraction
    def extract(self, key: str, pool: Sequence[CodedAnswer], vote_of: dict[str, str] | None) -> dict:
        """what_we_heard, quotes and reasons for one principle from its answers."""
        center = centroid(self.space.vectors([a.text for a in seeded_sample(pool, CENTROID_DOCS, f"{self.seed}:{key}")]))
        sources = seeded_sample([a for a in pool if self.quotable(a)], SOURCE_ANSWERS, f"{self.seed}:{key}:q")
        texts = [a.text for a in sources]
        sentences = candidate_sentences(texts)
        s_vectors = self.space.vectors([texts[s.answer_index][s.start : s.end] for s in sentences])
        s_rel = s_vectors @ center if len(sentences) else center[:0]

        def heard(indexes: list[int], relevance, k: int) -> list[dict]:
            picked = mmr(s_vectors[indexes], relevance, k) if indexes else []
            out = []
            for j in picked:
                s = sentences[indexes[j]]
                answer = sources[s.answer_index]
                out.append({"text": redact(answer.text[s.start : s.end]).text, "answer_id": answer.id})
            return out

        everything = list(range(len(sentences)))
        result = {"what_we_heard": heard(everything, s_rel, HEARD), "reasons_for": [], "reasons_against": []}
        if vote_of is not None:
            for field, side in (("reasons_for", AGREE), ("reasons_against", DISAGREE)):
                side_pool = [a for a in pool if vote_of.get(a.respondent_id) in side]
                side_center = centroid(self.space.vectors([a.text for a in seeded_sample(side_pool, CENTROID_DOCS, f"{self.seed}:{key}:{field}")]))
                idx = [i for i in everything if vote_of.get(sources[sentences[i].answer_index].respondent_id) in side]
                result[field] = heard(idx, s_vectors[idx] @ side_center if idx else s_rel[:0], REASONS)

        a_vectors = self.space.vectors(texts)
        order = mmr(a_vectors, a_vectors @ center if texts else center[:0], 3 * (QUOTES + QUOTE_CANDIDATES))
        relevance_of = defaultdict(dict)
        for s, r in zip(sentences, s_rel.tolist() if len(sentences) else []):
            relevance_of[s.answer_index][(s.start, s.end)] = r
        quotes, seen = [], set()
        for i in order:
            answer = sources[i]
            if answer.respondent_id in seen:
                continue
            seen.add(answer.respondent_id)
            quotes.append({
                "id": f"q-{answer.id}",
                "text": redact(excerpt(answer.text, relevance_of[i])).text,
                "attribution": self.people[answer.respondent_id].quote_as,
                "answer_id": answer.id,
                "respondent_id": answer.respondent_id,
            })
        result["quotes"] = quotes[:QUOTES]
        result["quote_candidates"] = quotes[QUOTES : QUOTES + QUOTE_CANDIDATES]
        return result

    # ------------------------------------------------------------ principles
    def consulted(self) -> list[dict]:
        out = []
        for p in sorted(self.ev.principles, key=lambda p: p.number):
            figures = agreement(p.votes, self.people, self.min_cell)
            agree, disagree = figures.pop("_agree"), figures.pop("_disagree")
            pool = [a for a in self.answers if a.question_key == p.why_key]
            out.append({
                "id": f"p{p.number}", "number": p.number, "source": "consulted",
                "headline": p.statement, "consulted_statement": p.statement, "explanation": p.explanation,
                "status": status(agree, disagree, figures["total"]), "agreement": figures,
                "themes": self.theme_list(pool),
                **self.extract(p.why_key, pool, dict(p.votes)),
            })
        return out

    def covered(self, theme: str, answers: Sequence[CodedAnswer]) -> bool:
        keys = Counter(a.question_key for a in answers)
        for p in self.ev.principles:
            if 2 * keys[p.why_key] > len(answers):
                return True
            name = set(self.analyzer(theme))
            if name and 2 * len(name & set(self.analyzer(p.statement))) >= len(name):
                return True
        return False

    def new(self, first_number: int) -> list[dict]:
        count, who = self.theme_counts(self.answers)
        threshold = max(self.min_cell, math.ceil(NEW_THEME_SHARE * len(self.ev.respondents)))
        by_theme: dict[str, list[CodedAnswer]] = defaultdict(list)
        for a in self.answers:
            for t in set(a.themes):
                by_theme[t].append(a)
        codebook = {t.name: t for t in self.ev.codebook}
        frequent = sorted((t for t in who if len(who[t]) >= threshold), key=lambda t: (-len(who[t]), t))
        out = []
        for theme in frequent:
            if self.covered(theme, by_theme[theme]):
                continue
            k = len(out) + 1
            entry = codebook.get(theme)
            out.append({
                "id": f"new-{k}", "number": first_number + k - 1, "source": "new",
                "headline": theme[:1].upper() + theme[1:], "consulted_statement": None,
                "explanation": entry.description if entry else "",
                "status": "new", "agreement": None, "themes": self.theme_list(by_theme[theme]),
                **self.extract(f"theme:{theme}", by_theme[theme], None),
            })
        return out

def build_draft(
    evidence: Evidence, *, seed: int = 0, campaigns: Sequence[Campaign] | None = None, language: str = "en"
) -> dict:
    """The draft DOCUMENT for `evidence`. Same evidence and seed, same document."""
    if campaigns is None:
        campaigns = detect_campaigns(evidence, seed=seed)
    draft = _Draft(evidence, seed, campaigns, language)
    consulted = draft.consulted()
    principles = consulted + draft.new(len(consulted) + 1)
    count, _ = draft.theme_counts(draft.answers)
    document = {
        "format": FORMAT,
        "survey": {
            "title": evidence.survey_title, "slug": evidence.survey_slug,
            "closes_at": evidence.closes_at, "generated_at": evidence.generated_at,
        },
        "demo": evidence.demo or any(r.demo for r in evidence.respondents),
        "min_cell": evidence.min_cell,
        "counts": counts(evidence, campaigns),
        "themes": draft.themes_overview(),
        "principles": principles,
        "questions": questions(evidence),
        "codebook": [
            {"name": t.name, "parent": t.parent, "description": t.description, "count": count[t.name]}
            for t in evidence.codebook
        ],
    }
    document["executive_summary"] = executive_summary(document)
    document["methodology"] = methodology(document, evidence.coding)
    return document
