"""Themes raised often that no consulted principle covers.

Such a theme is proposed as a candidate principle only when respondents recommend something about it: at
least `min_cell` of those raising it, and RECOMMEND_SHARE of them, wrote a recommending sentence
(analysis.prescriptive) on the theme. Its headline is the most typical of those recommendations that reads as
one ("Give three-year grants as standard"), taken word for word from a consenting respondent's answer, and
the draft keeps that sentence beside it. A theme raised as often without recommendations is reported under
"What gets in the way", counted and quoted.

A sentence belongs to the theme it is closest to: each theme is represented by what sets its answers apart
from all answers (the positive part of its TF-IDF centroid less the centroid of everything), so that in an
answer coded with both, "budgets are held in silos" goes to Stretched budgets and not to Whole-system working.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cached_property

import numpy as np

from analysis.draft_selection import Item, Printed, choose
from analysis.extractive import centroid, seeded_pick, seeded_sample
from analysis.prescriptive import headline, imperative_verbs, recommendation

NEW_THEME_SHARE = 0.05  # a theme raised by this share of respondents (and min_cell) is looked at
RECOMMEND_SHARE = 0.05  # of those raising it, at least this share (and min_cell) must recommend something
HEADLINE_OPTIONS, RECOMMENDATIONS, HEARD, BARRIER_QUOTES, QUOTES = 3, 5, 3, 2, 5
RECOMMENDATION_SOURCES = 200
# In a theme's chapter, what is printed must be at least this relevant to the theme, relative to the most
# relevant: answers coded with several themes would otherwise fill it with sentences about the others.
FLOOR = 0.5
# Counting recommendations reads every answer on the theme: a plain split at sentence ends and line breaks
# (Punkt, used to pick what is printed, costs about 40 times as much).
QUICK_SENTENCES = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")


class UncoveredThemes:
    """Candidate principles and barriers for a draft (`draft`: analysis.draft_sections.Draft, its space fitted)."""

    def __init__(self, draft, verbs: frozenset[str] | None = None):
        self.draft, self.space, self.seed = draft, draft.space, draft.seed
        self.verbs = imperative_verbs() if verbs is None else verbs
        self._distinct: dict[str, np.ndarray] = {}
        self._by_row: dict[int, list[str]] = {}

    @cached_property
    def _everything(self) -> np.ndarray:
        rows = seeded_sample(range(len(self.draft.kept)), 2 * self.draft.centroid_docs, f"{self.seed}:all")
        return centroid(self.space.vectors([self.draft.answer(i).text for i in rows]))

    def distinct(self, theme: str) -> np.ndarray:
        """What sets the theme's answers apart: unit vector of the positive part of (its centroid - all)."""
        if theme not in self._distinct:
            rows = seeded_sample(self.draft.index.rows_with(theme), self.draft.centroid_docs, f"{self.seed}:t:{theme}")
            mean = centroid(self.space.vectors([self.draft.answer(i).text for i in rows]))
            part = np.maximum(mean - self._everything, 0)
            norm = np.linalg.norm(part)
            self._distinct[theme] = part / norm if norm else part
        return self._distinct[theme]

    @cached_property
    def _all_distinct(self) -> tuple[dict[str, int], np.ndarray]:
        names = list(self.draft.index.names)
        return {t: j for j, t in enumerate(names)}, np.column_stack([self.distinct(t) for t in names])

    def on_theme(self, theme: str, texts: Sequence[str]) -> list[bool]:
        """Whether each sentence is about `theme`: it shares some of what sets the theme apart, and no other
        theme is closer, whether or not its answer was coded with that one (a coder may miss a theme: the
        sentence is still not about this one)."""
        if not texts:
            return []
        column, matrix = self._all_distinct
        scores = np.asarray(self.space.vectors(list(texts)) @ matrix)
        own = scores[:, column[theme]]
        return ((own > 0) & (own >= scores.max(axis=1))).tolist()

    def _recommending(self, row: int) -> list[str]:
        """The recommending sentences of one counted answer (remembered: an answer is often on several themes)."""
        found = self._by_row.get(row)
        if found is None:
            text = self.draft.every.text[int(self.draft.kept[row])]
            found = self._by_row[row] = [s for s in QUICK_SENTENCES.split(text) if recommendation(s, self.verbs)]
        return found

    def recommendations(self, theme: str, rows: np.ndarray) -> tuple[list[tuple[int, str]], int]:
        """((row, sentence) of every recommendation on the theme, respondents who made one)."""
        found = [(row, s) for row in rows.tolist() for s in self._recommending(row)]
        found = [f for f, ok in zip(found, self.on_theme(theme, [s for _, s in found])) if ok]
        who = self.draft.every.respondent_id
        return found, len({who[int(self.draft.kept[r])] for r, _ in found})

    def split(self, ranked: list[tuple[str, np.ndarray, int]], min_cell: int) -> tuple[list, list]:
        """(candidates, barriers) from (theme, rows, respondents raising it): each with its recommendations."""
        candidates, barriers = [], []
        for theme, rows, who in ranked:
            found, recommending = self.recommendations(theme, rows)
            needed = max(min_cell, math.ceil(RECOMMEND_SHARE * who))
            (candidates if recommending >= needed else barriers).append((theme, rows, who, found, recommending))
        return candidates, barriers

    def _sources(self, theme: str, rows: np.ndarray) -> list:
        draft = self.draft
        picked = seeded_pick(rows, draft.source_answers, f"{self.seed}:theme:{theme}:q", draft.quotable_row)
        return [draft.answer(i) for i in picked]

    def _heard(self, theme: str, sources: list, target: np.ndarray, k: int, printed: Printed) -> list[Item]:
        items = [i for i in self.draft.sentence_items(sources) if not recommendation(i.text, self.verbs)]
        keep = self.on_theme(theme, [i.text for i in items])
        return self.draft.pick([i for i, ok in zip(items, keep) if ok], target, k, printed, FLOOR)

    def _option(self, item: Item) -> dict | None:
        sentence = self.draft.ev.printable(item.text, (item.answer_id,))
        found = recommendation(sentence, self.verbs)
        words = headline(sentence, found) if found else None
        return {"headline": words, "text": sentence, "answer_id": item.answer_id, "respondent_id": item.respondent_id,
                "attribution": self.draft.quoted_as(item.respondent_id)} if words else None

    def _headlines(self, items: list[Item], relevance: np.ndarray, printed: Printed) -> list[dict]:
        """The most typical recommendation that reads as a headline, with its redacted sentence, then up to
        HEADLINE_OPTIONS - 1 other respondents who wrote the same headline word for word: if the first author
        withdraws, the next stands in and the headline stays as it is."""
        heads = [headline(i.text, recommendation(i.text, self.verbs)) for i in items]
        usable = [j for j, h in enumerate(heads) if h]
        chosen = choose([items[j] for j in usable], np.array([relevance[j] for j in usable]), 1, printed)
        first = self._option(chosen[0]) if chosen else None
        if first is None:
            return []
        options, raw = [first], headline(chosen[0].text, recommendation(chosen[0].text, self.verbs))
        for j in usable:
            if len(options) == HEADLINE_OPTIONS:
                break
            if heads[j] != raw or items[j].respondent_id in printed.respondents:
                continue
            option = self._option(items[j])
            if option and option["headline"] == first["headline"]:
                printed.reserve(items[j])
                options.append(option)
        return options

    def candidate(self, theme: str, rows: np.ndarray, found: list[tuple[int, str]], head: dict) -> dict | None:
        """A candidate principle's chapter, or None when no consenting respondent's recommendation reads as a
        headline."""
        draft, printed, target = self.draft, Printed(self.space), self.distinct(theme)
        quotable = [(r, s) for r, s in found if draft.quotable(draft.answer(r))]
        items = [draft.item(draft.answer(r), s.strip())
                 for r, s in seeded_sample(quotable, RECOMMENDATION_SOURCES, f"{self.seed}:rec:{theme}")]
        vectors = self.space.vectors([i.text for i in items]) if items else None
        relevance = (vectors @ centroid(vectors) + vectors @ target) / 2 if items else np.empty(0)
        options = self._headlines(items, relevance, printed)
        if not options:
            return None
        on_topic = np.asarray(vectors @ target).ravel() if items else np.empty(0)
        rest = [(i, r) for i, r in zip(items, on_topic) if i.answer_id not in printed.answers]
        recommended = choose([i for i, _ in rest], np.array([r for _, r in rest]), RECOMMENDATIONS, printed,
                             floor=FLOOR)
        sources = self._sources(theme, rows)
        heard = self._heard(theme, sources, target, HEARD, printed)
        return {**head, "headline": options[0]["headline"], "headline_source": options[0],
                "headline_options": options[1:], "recommendations": draft.said(recommended),
                "what_we_heard": draft.said(heard), "reasons_for": [], "reasons_against": [],
                **draft.quotes(sources, target, printed, floor=FLOOR)}

    def barrier(self, theme: str, rows: np.ndarray, number: int, head: dict) -> dict:
        """A "What gets in the way" entry: what was heard about the theme and a few quotes."""
        printed, target = Printed(self.space), self.distinct(theme)
        sources = self._sources(theme, rows)
        heard = self._heard(theme, sources, target, HEARD, printed)
        quotes = self.draft.quotes(sources, target, printed, limit=BARRIER_QUOTES, floor=FLOOR)
        return {**head, "id": f"barrier-{number}", "what_we_heard": self.draft.said(heard), **quotes}
