"""The `redact` and `campaigns` subcommands: personal data and organised campaigns in the answers."""

from __future__ import annotations

import argparse
from typing import Any

from analysis.cli_common import Command, _positive_int, _share, read_input, show_progress
from analysis.jsonl import write_json_atomic, write_jsonl_atomic


def run_redact(args: argparse.Namespace) -> None:
    """Rows {"id", "text", "redacted", "found": [{"kind", "start", "end"}]}, offsets into the original text."""
    from analysis.parallel import map_slices
    from analysis.redact import redact

    answers = read_input(args, args.input)

    def redacted(piece: slice) -> list[dict[str, Any]]:
        rows = []
        for answer in answers[piece]:
            result = redact(answer.text)
            rows.append({"id": answer.id, "text": answer.text, "redacted": result.text,
                         "found": [{"kind": s.label, "start": s.start, "end": s.end} for s in result.spans]})
        return rows

    parts = map_slices(redacted, len(answers), 2_000, jobs=args.jobs, label="redacting",
                       show_progress=show_progress(args))
    write_jsonl_atomic(args.output, [row for _, rows in parts for row in rows])


def run_campaigns(args: argparse.Namespace) -> None:
    from analysis.campaigns import find_campaigns

    answers = read_input(args, args.input)
    campaigns = find_campaigns(
        answers,
        threshold=args.threshold,
        min_size=args.min_size,
        min_words=args.min_words,
        k=args.shingle_words,
        seed=args.seed,
        show_progress=show_progress(args),
        jobs=args.jobs,
    )
    text_of = {a.id: a.text for a in answers}
    in_campaigns = sum(len(c.answer_ids) for c in campaigns)
    write_json_atomic(args.output, {
        "answers": len(answers), "campaign_responses": in_campaigns, "individual_responses": len(answers) - in_campaigns,
        "groups": [{"members": list(c.answer_ids), "template": text_of[c.representative_id],
                    "similarity": round(c.min_similarity, 4)} for c in campaigns]})


def add_redact(command: Command) -> None:
    command("redact", "replace personal data (names, phones, emails, postcodes, ...) by [LABEL]", run_redact,
            parallel="read the answers")


def add_campaigns(command: Command) -> None:
    sub = command("campaigns", "group copies and near-copies of one text (organised campaigns)", run_campaigns,
                  parallel="hash the texts")
    sub.add_argument("--threshold", type=_share, default=0.6, help="estimated Jaccard similarity of 3-word shingles")
    sub.add_argument("--min-size", type=_positive_int, default=3, help="smallest group reported")
    sub.add_argument("--min-words", type=_positive_int, default=8, help="shorter answers are never grouped")
    sub.add_argument("--shingle-words", type=_positive_int, default=3, help="words per shingle")
