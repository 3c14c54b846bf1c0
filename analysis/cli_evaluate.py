"""The `evaluate` subcommand: every quality figure on the shared human-coded data."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from analysis.cli_common import Command, _fields, _share, stored_vectors
from analysis.jsonl import InputError, write_json_atomic

PARTS = ("suggestions", "themes", "campaigns", "redaction")


# The argument types keep their names: argparse prints a type's name in its error.
def _seeds(value: str) -> tuple[int, ...]:
    try:
        seeds = tuple(int(s) for s in value.split(",") if s.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("give whole numbers separated by commas, e.g. 0,1,2") from None
    if not seeds:
        raise argparse.ArgumentTypeError("give at least one seed")
    return seeds


def _parts(value: str) -> tuple[str, ...]:
    parts = _fields(value)
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown part {unknown[0]!r}; choose from {', '.join(PARTS)}")
    return parts


def _evaluation_vectors(args: argparse.Namespace, name: str, data_dir: Any) -> Any:
    """Sentence vectors for a data set's suggestions: read from --vectors (made by `embed` from the set's file),
    or with --embeddings worked out here (in the set's language); else None (words alone)."""
    from analysis.evaluate import DATASETS, load_dataset

    if args.vectors:
        return stored_vectors(args, len(load_dataset(name, data_dir)))
    if not args.embeddings:
        return None
    from analysis.embeddings import sentence_vectors

    try:
        return sentence_vectors([a.text for a in load_dataset(name, data_dir)], language=DATASETS[name].language)
    except RuntimeError as exc:
        raise InputError(str(exc)) from None


def run_evaluate(args: argparse.Namespace) -> None:
    from analysis.evaluate import DATASETS, evaluate, format_curve_row, format_report, learning_curve, shared_data_dir
    from analysis.evaluate_detection import evaluate_campaigns, evaluate_redaction, format_campaigns, format_redaction

    data_dir = args.data_dir or shared_data_dir()
    names = list(DATASETS) if args.dataset == "all" else [args.dataset]
    if args.vectors and args.dataset == "all":
        raise InputError("--vectors belong to one data set's file: give it with --dataset")
    figures: dict[str, Any] = {"suggestions": [], "learning_curves": []}
    for name in names if "suggestions" in args.parts else ():
        vectors = _evaluation_vectors(args, name, data_dir)
        for seed in args.seeds:
            report = evaluate(name, data_dir=data_dir, seed=seed, test_size=args.test_size,
                              auto_threshold=args.auto_threshold, jobs=args.jobs, vectors=vectors)
            figures["suggestions"].append(report)
            print(format_report(report), flush=True)
            if args.learning_curve and seed == args.seeds[0] and name != "nhs-text-only":
                rows = learning_curve(name, data_dir=data_dir, seed=seed, test_size=args.test_size,
                                      auto_threshold=args.auto_threshold, jobs=args.jobs)
                figures["learning_curves"] += rows
                print("\n".join(map(format_curve_row, rows)), flush=True)
    if "themes" in args.parts:
        from analysis.evaluate_themes import theme_figures

        embed = None
        if args.embeddings:
            from analysis.embeddings import sentence_vectors as embed
        figures["themes"] = theme_figures(data_dir, seeds=args.seeds, embed=embed, curve=args.learning_curve)
    if "campaigns" in args.parts:
        figures["campaigns"] = evaluate_campaigns(Path(data_dir), seed=args.seeds[0])
        print(format_campaigns(figures["campaigns"]), flush=True)
    if "redaction" in args.parts:
        figures["redaction"] = evaluate_redaction()
        print(format_redaction(figures["redaction"]), flush=True)
    if args.output:
        write_json_atomic(args.output, figures)


def add_evaluate(command: Command) -> None:
    sub = command("evaluate", "reproduce every quality figure on the shared human-coded data", run_evaluate, io=False,
                  parallel="fit the models")
    sub.add_argument("--dataset", choices=["all", "nhs", "nhs-text-only", "cycling-level1", "cycling-level2"],
                     default="all", help="suggestions and themes on this data set (default all)")
    sub.add_argument("--seeds", type=_seeds, default=(0,),
                     help="comma-separated seeds of the 80/20 split and of theme discovery (each, and their mean; default 0)")
    sub.add_argument("--parts", type=_parts, default=PARTS, help=f"comma-separated, of {','.join(PARTS)} (default all)")
    sub.add_argument("--learning-curve", action=argparse.BooleanOptionalAction, default=True,
                     help="suggestions trained on 10/20/40/80%% of the answers (first seed; default on)")
    sub.add_argument("--data-dir", default=None, help="default: $CONSULT_SHARED_DATA or ../shared/data")
    sub.add_argument("--embeddings", action="store_true",
                     help="suggestions (English sets), themes and few-shot also with sentence vectors (optional "
                          "extra `embeddings`; minutes)")
    sub.add_argument("--vectors", default=None,
                     help="suggestions with these stored sentence vectors (.npy from `embed` on the data set's file, "
                          "one row a line; with one --dataset)")
    sub.add_argument("--test-size", type=_share, default=0.2)
    sub.add_argument("--auto-threshold", type=_share, default=None,
                     help="auto-assign at this confidence (default: the cut each model learns)")
    sub.add_argument("--output", default=None, help="also write the figures as JSON here")
