"""Reproducible figures for campaign detection and redaction.

Campaigns: real answers from ../shared/data (NHS feedback and Polis comments) with planted
organised campaigns made by editing real long answers as people edit a template (a new
greeting or sign-off, an added sentence of their own, a dropped or changed word), among
thousands of real individual answers. Redaction: the hand-labelled UK cases in
tests/analysis/data: redaction_heldout11.jsonl was written by someone who never read the rules and
was never tuned on (scored once, 4 December 2026); the others (sets 1-10 and 12-15, each written
blind, several first scored as held-out sets, and the development set redaction_dev5.jsonl) were
tuned on.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis.records import Answer

REDACTION_CASES = Path(__file__).resolve().parents[1] / "tests" / "analysis" / "data"
GREETINGS = ["Dear Sir or Madam,", "Dear Councillor,", "Hello,", "To whom it may concern:", "Hi there."]
SIGN_OFFS = ["Yours faithfully, a local resident.", "Thank you for listening.", "Regards, a concerned parent.",
             "Please think again.", "Many thanks."]


def real_answers(data_dir: Path) -> list[str]:
    texts = [json.loads(line)["text"] for line in (data_dir / "nhs-feedback/coded.jsonl").open(encoding="utf-8")]
    for path in sorted((data_dir / "polis").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    return [t.strip() for t in texts if t.strip()]


def edited_copy(template: str, others: Sequence[str], rng: random.Random) -> str:
    """A campaign member's version of the template: one to three of the usual edits."""
    words = template.split()
    for edit in rng.sample(["greeting", "sign_off", "sentence", "drop", "change"], rng.randint(1, 3)):
        if edit == "greeting":
            words = rng.choice(GREETINGS).split() + words
        elif edit == "sign_off":
            words += rng.choice(SIGN_OFFS).split()
        elif edit == "sentence":
            words += rng.choice(others).split()[:15]
        elif edit == "drop":
            del words[rng.randrange(len(words))]
        else:
            words[rng.randrange(len(words))] = rng.choice(["really", "very", "also", "truly", "just"])
    return " ".join(words)


def planted_campaigns(texts: Sequence[str], *, templates: int = 12, individuals: int = 3000, seed: int = 0
                      ) -> tuple[list[Answer], dict[str, int]]:
    """Real individual answers plus campaigns of 5 to 60 edited copies of real long answers;
    returns the answers (shuffled) and which template each planted copy came from."""
    rng = random.Random(seed)
    long_texts = [t for t in texts if 30 <= len(t.split()) <= 120]
    chosen = rng.sample(long_texts, templates)
    rest = [t for t in texts if t not in set(chosen)]
    answers = [Answer(f"i{i}", text) for i, text in enumerate(rng.sample(rest, min(individuals, len(rest))))]
    planted: dict[str, int] = {}
    for c, template in enumerate(chosen):
        for j in range(rng.randint(5, 60)):
            answer_id = f"c{c}-{j}"
            planted[answer_id] = c
            answers.append(Answer(answer_id, template if j == 0 else edited_copy(template, rest, rng)))
    rng.shuffle(answers)
    return answers, planted


def evaluate_campaigns(data_dir: Path, *, seed: int = 0) -> dict[str, Any]:
    """Recall of planted copies (in their template's largest group), purity of those groups,
    and groups found among the individual answers alone (real near-copies or mistakes)."""
    from analysis.campaigns import find_campaigns

    answers, planted = planted_campaigns(real_answers(data_dir), seed=seed)
    campaigns = find_campaigns(answers, seed=seed)
    main_group: dict[int, tuple[int, int]] = {}  # template -> (copies found, group index)
    for g, campaign in enumerate(campaigns):
        for template, copies in Counter(planted[m] for m in campaign.answer_ids if m in planted).items():
            if copies > main_group.get(template, (0, -1))[0]:
                main_group[template] = (copies, g)
    found = sum(copies for copies, _g in main_group.values())
    members = sum(len(campaigns[g].answer_ids) for _copies, g in main_group.values())
    in_groups = sum(len(c.answer_ids) for c in campaigns)
    return {
        "answers": len(answers), "planted_copies": len(planted), "planted_campaigns": len(set(planted.values())),
        "campaign_recall": found / len(planted), "campaign_purity": found / max(members, 1),
        "campaigns_found": len(campaigns),
        "groups_without_planted_copies": sum(not any(m in planted for m in c.answer_ids) for c in campaigns),
        "campaign_responses": in_groups, "individual_responses": len(answers) - in_groups,
    }


def read_cases(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["text"], [(label, value) for label, value in row["pii"]]) for row in rows]


# Written before the rules were read and never tuned on (the newest held-out set).
REDACTION_HELD_OUT = "redaction_heldout11.jsonl"


def evaluate_redaction(files: Sequence[Path] | None = None) -> list[dict[str, Any]]:
    """Recall and precision of analysis.redact per labelled file, recall per kind, and the
    share of clean texts (no personal data) that come back unchanged."""
    from analysis.redact import redact, score_redaction

    out = []
    for path in files if files is not None else sorted(REDACTION_CASES.glob("redaction_*.jsonl")):
        cases = read_cases(path)
        score = score_redaction(cases)
        missed = Counter(label for label, _value in score.missed)
        labelled = Counter(label for _text, items in cases for label, _value in items)
        clean = [text for text, items in cases if not items]
        kept = sum(redact(text).text == text for text in clean)
        out.append({"file": path.name, "held_out": path.name == REDACTION_HELD_OUT, "texts": len(cases),
                    "items": score.gold, "recall": score.recall, "precision": score.precision,
                    "recall_by_kind": {k: (n - missed[k]) / n for k, n in sorted(labelled.items())},
                    "found_by_kind": {k: [n - missed[k], n] for k, n in sorted(labelled.items())},
                    "clean_texts": len(clean), "clean_kept": kept / len(clean) if clean else 1.0,
                    "missed": [list(m) for m in score.missed]})
    return out


def format_campaigns(report: dict[str, Any]) -> str:
    return (f"campaigns: {report['planted_campaigns']} planted campaigns ({report['planted_copies']} edited copies of real "
            f"answers) among {report['answers']:,} answers: recall {report['campaign_recall']:.3f}, "
            f"purity {report['campaign_purity']:.3f}; {report['campaigns_found']} groups found, "
            f"{report['groups_without_planted_copies']} of them among individual answers; "
            f"{report['campaign_responses']:,} campaign and {report['individual_responses']:,} individual responses")


def format_redaction(reports: Sequence[dict[str, Any]]) -> str:
    lines = []
    for r in reports:
        kinds = ", ".join(f"{kind} {recall:.2f} ({found[0]}/{found[1]})" for (kind, recall), found
                          in zip(r["recall_by_kind"].items(), r["found_by_kind"].values()))
        role = "held out, never tuned on" if r["held_out"] else "tuned on"
        kept = round(r["clean_kept"] * r["clean_texts"])
        lines.append(f"redaction {r['file']} ({role}): {r['texts']} texts, {r['items']} labelled items, "
                     f"recall {r['recall']:.3f}, precision {r['precision']:.3f}, clean texts kept "
                     f"{r['clean_kept']:.3f} ({kept} of {r['clean_texts']}) (recall by kind: {kinds})")
    return "\n".join(lines)
