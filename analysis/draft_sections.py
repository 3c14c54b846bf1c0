"""The sections of a principles draft (`analysis.principles.build_draft`): each consulted principle with its
figures, what people said, reasons for and against and quotes; then the candidate principles and barriers
from the themes no principle covers (`analysis.draft_themes`). `Draft` holds the evidence's answers as rows
(each campaign once, through its representative) and the one TF-IDF space of the draft.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from analysis.draft_figures import GROUP_CODE, agreement, individual_votes, status, theme_figures, vote_counts
from analysis.draft_selection import Item, Printed, choose
from analysis.draft_themes import NEW_THEME_SHARE, UncoveredThemes
from analysis.evidence import AGREE, DISAGREE, SCALE, Answers, CodedAnswer, Evidence, Respondents
from analysis.extractive import MAX_WORDS, MIN_WORDS, Space, candidate_sentences, centroid, excerpt, seeded_pick, seeded_sample
from analysis.records import Campaign
from analysis.shares import percent
from analysis.text import Analyzer
from analysis.theme_index import ThemeIndex, encode_shared

QUOTES, QUOTE_CANDIDATES, HEARD, REASONS, THEMES_SHOWN = 5, 10, 5, 3, 8
# Seeded samples keep drafting fast at 100,000 responses; counts always use every answer.
# A principle's centroid comes from at most CENTROID_DOCS of its answers; quotes and
# sentences from at most SOURCE_ANSWERS quotable ones.
CENTROID_DOCS, SOURCE_ANSWERS = 200, 100
AGREE_CODES = frozenset(i for i, (v, _) in enumerate(SCALE) if v in AGREE)
DISAGREE_CODES = frozenset(i for i, (v, _) in enumerate(SCALE) if v in DISAGREE)


class Draft:
    def __init__(self, evidence: Evidence, seed: int, campaigns: Sequence[Campaign], analyzer: Analyzer):
        self.ev, self.seed, self.min_cell, self.analyzer = evidence, seed, evidence.min_cell, analyzer
        people = Respondents.of(evidence.respondents)
        self.person_index = {rid: i for i, rid in enumerate(people.id)}
        self.quote_as = people.quote_as
        self.group_codes = np.fromiter(map(GROUP_CODE.get, people.group, [-1] * len(people)),
                                       dtype=np.int64, count=len(people))
        unit = np.ones(len(people) + 1, dtype=bool)  # the last place: answers of people who are not respondents
        unit[self._places(rid for c in campaigns for rid in c.answer_ids)] = False
        unit[self._places(c.representative_id for c in campaigns)] = True
        unit[-1] = False
        every = Answers.of(evidence.answers)
        person_of = self._places(every.respondent_id, count=len(every))
        # Rows: the answers of those who count (each campaign once, through its representative), in answer order.
        self.kept, self.every = np.flatnonzero(unit[person_of]), every
        self.index = ThemeIndex(person_of[self.kept], len(people), every.themes, self.kept)
        question, keys = encode_shared(every.question_key)
        self.question = question[self.kept]
        self.question_ids = {key: i for i, key in enumerate(keys)}
        self.space = Space(analyzer)
        self.centroid_docs, self.source_answers = CENTROID_DOCS, SOURCE_ANSWERS

    def _places(self, respondent_ids, count: int = -1) -> np.ndarray:
        """Where these respondents are in the respondents' columns (-1, the spare last place, for others)."""
        return np.fromiter(map(self.person_index.get, respondent_ids, repeat(-1)), dtype=np.int64, count=count)

    def answer(self, row: int) -> CodedAnswer:
        return self.every[int(self.kept[row])]

    def quoted_as(self, rid: str) -> str | None:
        i = self.person_index.get(rid)
        return None if i is None else self.quote_as[i]

    def quotable(self, answer: CodedAnswer) -> bool:
        return self.quoted_as(answer.respondent_id) is not None and len(answer.text.split()) >= MIN_WORDS

    def quotable_row(self, row: int) -> bool:
        """quotable(answer(row)), without making the record (seeded_pick may try every row of a theme)."""
        i = int(self.kept[row])
        return self.quoted_as(self.every.respondent_id[i]) is not None and len(self.every.text[i].split()) >= MIN_WORDS

    def rows_for_question(self, key: str) -> np.ndarray:
        qid = self.question_ids.get(key)
        return np.flatnonzero(self.question == qid) if qid is not None else np.empty(0, dtype=np.int64)

    def theme_list(self, rows: np.ndarray | None, limit: int = THEMES_SHOWN) -> list[dict]:
        """The themes most raised in these answers: answers, respondents, and the share of the respondents who
        gave these answers that raised each (campaigns counted once)."""
        answering = len(np.unique(self.index.respondent[rows])) if rows is not None else len(self.ev.respondents)
        return [
            {"name": name, "count": count, "respondents": who, "share": percent(who, answering)}
            for name, count, who in self.index.ranked(rows)
            if who >= self.min_cell
        ][:limit]

    def themes_overview(self) -> dict:
        people = Respondents.of(self.ev.respondents)
        group_of = dict(zip(people.id, people.group))
        kept = self.kept.tolist()
        return theme_figures([self.every.respondent_id[i] for i in kept], [self.every.themes[i] for i in kept],
                             group_of, self.min_cell)

    def item(self, answer: CodedAnswer, text: str | None = None) -> Item:
        i = self.person_index.get(answer.respondent_id)
        return Item(answer.text if text is None else text, answer.id, answer.respondent_id,
                    int(self.group_codes[i]) if i is not None else -1, answer.themes)

    def sentence_items(self, sources: Sequence[CodedAnswer]) -> list[Item]:
        found = candidate_sentences([a.text for a in sources])
        return [self.item(sources[s.answer_index], sources[s.answer_index].text[s.start:s.end]) for s in found]

    def quote_items(self, sources: Sequence[CodedAnswer], target: np.ndarray) -> list[Item]:
        """Each answer as it would be quoted: whole when short, else its part most typical of `target`."""
        items = []
        for answer in sources:
            spans = candidate_sentences([answer.text]) if len(answer.text.split()) > MAX_WORDS else []
            relevance = self.space.vectors([answer.text[s.start:s.end] for s in spans]) @ target if spans else []
            items.append(self.item(answer, excerpt(answer.text, {(s.start, s.end): float(r)
                                                                 for s, r in zip(spans, relevance)})))
        return items

    def said(self, items: list[Item]) -> list[dict]:
        return [{"text": self.ev.printable(i.text, (i.answer_id,)), "answer_id": i.answer_id, "respondent_id": i.respondent_id} for i in items]

    def quoted(self, items: list[Item]) -> list[dict]:
        return [{"id": f"q-{i.answer_id}", "text": self.ev.printable(i.text, (i.answer_id,)), "attribution": self.quoted_as(i.respondent_id),
                 "answer_id": i.answer_id, "respondent_id": i.respondent_id} for i in items]

    def pick(self, items: list[Item], target: np.ndarray, k: int, printed: Printed, floor: float = 0.0) -> list[Item]:
        relevance = self.space.vectors([i.text for i in items]) @ target if items else np.empty(0)
        return choose(items, relevance, k, printed, floor=floor)

    def quotes(self, sources: Sequence[CodedAnswer], target: np.ndarray, printed: Printed, limit: int = QUOTES,
               floor: float = 0.0) -> dict:
        """The quotes printed (`limit`), then QUOTE_CANDIDATES more that staff may choose instead."""
        found = self.pick(self.quote_items(sources, target), target, limit + QUOTE_CANDIDATES, printed, floor)
        return {"quotes": self.quoted(found[:limit]), "quote_candidates": self.quoted(found[limit:])}

    def extract(self, section: Section) -> dict:
        """what_we_heard, reasons and quotes for one consulted principle, each answer and sentence once."""
        key = section.key
        d_vectors = self.space.vectors([a.text for a in section.docs])
        center = centroid(d_vectors)
        picked = seeded_pick(section.rows, SOURCE_ANSWERS, f"{self.seed}:{key}:q", self.quotable_row)
        sources = [self.answer(i) for i in picked]
        printed = Printed(self.space)
        sentences = self.sentence_items(sources)
        result = {"what_we_heard": self.said(self.pick(sentences, center, HEARD, printed)),
                  "reasons_for": [], "reasons_against": []}
        if section.votes is not None:
            voted = section.votes([a.respondent_id for a in section.docs] + [a.respondent_id for a in sources])
            doc_votes, source_votes = voted[: len(section.docs)], voted[len(section.docs):]
            vote_of = {a.id: v for a, v in zip(sources, source_votes)}
            sides = (("reasons_for", AGREE_CODES), ("reasons_against", DISAGREE_CODES))
            for field, side in sides[::-1] if section.head["status"] == "rejected" else sides:
                side_center = centroid(d_vectors[[i for i, v in enumerate(doc_votes) if v in side]])
                mine = [s for s in sentences if vote_of[s.answer_id] in side]
                result[field] = self.said(self.pick(mine, side_center, REASONS, printed))
        return {**result, **self.quotes(sources, center, printed)}

    def section(self, key: str, rows: np.ndarray, head: dict, votes=None) -> Section:
        docs = [self.answer(i) for i in seeded_sample(rows, CENTROID_DOCS, f"{self.seed}:{key}")]
        return Section(key, rows, docs, head, votes)

    def consulted(self) -> list[Section]:
        out = []
        for p in sorted(self.ev.principles, key=lambda p: p.number):
            figures = agreement(*vote_counts(p, self.person_index, self.group_codes), self.min_cell)
            agree, disagree = figures.pop("_agree"), figures.pop("_disagree")
            rows = self.rows_for_question(p.why_key)
            head = {
                "id": f"p{p.number}", "number": p.number, "source": "consulted",
                "headline": p.statement, "consulted_statement": p.statement, "explanation": p.explanation,
                "status": status(agree, disagree, figures["total"]), "agreement": figures,
                "themes": self.theme_list(rows),
            }
            votes = individual_votes(p, self.person_index, self.ev.vote_lookup)
            out.append(self.section(p.why_key, rows, head, votes))
        return out

    def covered(self, theme: str, rows: np.ndarray) -> bool:
        """Most of the theme's answers answer one principle's why question, or at least
        half of the stems of its name are in that principle's statement."""
        per_question = np.bincount(self.question[rows], minlength=len(self.question_ids))
        name = set(self.analyzer(theme))
        for p in self.ev.principles:
            qid = self.question_ids.get(p.why_key)
            if qid is not None and 2 * per_question[qid] > len(rows):
                return True
            if name and 2 * len(name & set(self.analyzer(p.statement))) >= len(name):
                return True
        return False

    def uncovered(self) -> list[tuple[str, np.ndarray, int]]:
        """(theme, its answer rows, respondents raising it) for themes raised often that no principle covers."""
        threshold = max(self.min_cell, math.ceil(NEW_THEME_SHARE * len(self.ev.respondents)))
        found = []
        for theme, _, who in self.index.ranked(None):
            rows = self.index.rows_with(theme)
            if who >= threshold and not self.covered(theme, rows):
                found.append((theme, rows, who))
        return found

    def themes_apart(self, first_number: int) -> tuple[list[dict], list[dict]]:
        """(candidate principles, barriers) from the uncovered themes (analysis.draft_themes)."""
        codebook = {t.name: t for t in self.ev.codebook}
        themes = UncoveredThemes(self)
        recommended, barriers = themes.split(self.uncovered(), self.min_cell)
        candidates = []
        for theme, rows, who, found, recommending in recommended:
            k = len(candidates) + 1
            head = {"id": f"new-{k}", "number": first_number + k - 1, "source": "new", "theme": theme,
                    "consulted_statement": None, "explanation": codebook[theme].description if theme in codebook else "",
                    "status": "new", "agreement": None, "themes": [], "raised_by": who, "recommended_by": recommending}
            chapter = themes.candidate(theme, rows, found, head)
            if chapter is None:
                barriers.append((theme, rows, who, found, recommending))
            else:
                candidates.append(chapter)
        barriers.sort(key=lambda b: (-b[2], b[0]))
        return candidates, [
            themes.barrier(theme, rows, n, {"theme": theme, "raised_by": who, "recommended_by": recommending,
                                            "description": codebook[theme].description if theme in codebook else ""})
            for n, (theme, rows, who, _found, recommending) in enumerate(barriers, 1)]

    def principles(self) -> tuple[list[dict], list[dict]]:
        """(principles, barriers): the consulted principles, then the candidate ones; the barriers apart."""
        sections = self.consulted()
        uncovered = self.uncovered()
        # One TF-IDF space for the whole draft, fitted on the answers sampled for the principles' centroids
        # and for each uncovered theme's (each text is analysed once and memoised).
        self.space.fit([a.text for s in sections for a in s.docs]
                       + [self.answer(i).text for theme, rows, _ in uncovered
                          for i in seeded_sample(rows, CENTROID_DOCS, f"{self.seed}:t:{theme}")])
        consulted = [{**s.head, **self.extract(s)} for s in sections]
        candidates, barriers = self.themes_apart(len(consulted) + 1)
        return consulted + candidates, barriers


@dataclass
class Section:
    """A principle before extraction: its answers (rows), the sample for its centroid,
    the figures already known, and if consulted: respondent ids -> their votes' scale positions."""

    key: str
    rows: np.ndarray
    docs: list[CodedAnswer]
    head: dict
    votes: Callable[[Sequence[str]], list[int]] | None
