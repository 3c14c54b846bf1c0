"""Batch command line: `python -m analysis {redact,campaigns,suggest,themes,evaluate} ...`.

Input is JSONL (one answer a line: an id and text); output is written to a temporary
file and renamed into place. Exit status: 0 done, 1 output could not be written, 2 bad input or arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis.parallel import default_jobs
from analysis.jsonl import InputError, read_answers, write_json_atomic, write_jsonl_atomic
from analysis.records import Answer
from analysis.confidence import TARGET_AGREEMENT


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _share(value: str) -> float:
    number = float(value)
    if not 0.0 < number < 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return number


def _fields(value: str) -> tuple[str, ...]:
    fields = tuple(f.strip() for f in value.split(",") if f.strip())
    if not fields:
        raise argparse.ArgumentTypeError("give at least one field name")
    return fields


PARTS = ("suggestions", "themes", "campaigns", "redaction")


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


def _show_progress(args: argparse.Namespace) -> bool:
    return sys.stderr.isatty() if args.progress is None else args.progress


def _read(args: argparse.Namespace, path: str, codes_field: str | None = None) -> list[Answer]:
    return read_answers(path, id_field=args.id_field, text_fields=args.text_field, codes_field=codes_field,
                        context_field=getattr(args, "context_field", None))


def run_redact(args: argparse.Namespace) -> None:
    """Rows {"id", "text", "redacted", "found": [{"kind", "start", "end"}]}, offsets into the original text."""
    from analysis.parallel import map_slices
    from analysis.redact import redact

    answers = _read(args, args.input)

    def redacted(piece: slice) -> list[dict[str, Any]]:
        rows = []
        for answer in answers[piece]:
            result = redact(answer.text)
            rows.append({"id": answer.id, "text": answer.text, "redacted": result.text,
                         "found": [{"kind": s.label, "start": s.start, "end": s.end} for s in result.spans]})
        return rows

    parts = map_slices(redacted, len(answers), 2_000, jobs=args.jobs, label="redacting",
                       show_progress=_show_progress(args))
    write_jsonl_atomic(args.output, [row for _, rows in parts for row in rows])


def run_campaigns(args: argparse.Namespace) -> None:
    from analysis.campaigns import find_campaigns

    answers = _read(args, args.input)
    campaigns = find_campaigns(
        answers,
        threshold=args.threshold,
        min_size=args.min_size,
        min_words=args.min_words,
        k=args.shingle_words,
        seed=args.seed,
        show_progress=_show_progress(args),
        jobs=args.jobs,
    )
    text_of = {a.id: a.text for a in answers}
    in_campaigns = sum(len(c.answer_ids) for c in campaigns)
    write_json_atomic(args.output, {
        "answers": len(answers), "campaign_responses": in_campaigns, "individual_responses": len(answers) - in_campaigns,
        "groups": [{"members": list(c.answer_ids), "template": text_of[c.representative_id],
                    "similarity": round(c.min_similarity, 4)} for c in campaigns]})


def run_suggest(args: argparse.Namespace) -> None:
    from analysis.suggest import suggest, train
    from analysis.text import analyzer_for

    coded = _read(args, args.train, codes_field=args.codes_field)
    answers = _read(args, args.input)
    vectors, coded_vectors = _both_vectors(args, len(answers), len(coded))
    model = train(coded, analyzer_for(args.language, drop_stopwords=False), seed=args.seed,
                  target_agreement=args.auto_agreement, jobs=args.jobs, vectors=coded_vectors)
    suggestions = suggest(
        model, answers, auto_threshold=args.auto_threshold, show_progress=_show_progress(args), jobs=args.jobs,
        vectors=vectors,
    )
    write_jsonl_atomic(args.output, ({
        "id": s.answer_id, "codes": list(s.codes), "scores": {c.code: c.probability for c in s.scores},
        "auto": s.route == "auto", "confidence": s.confidence, "review_rank": s.review_rank} for s in suggestions))


def _vectors(args: argparse.Namespace, rows: int, attribute: str = "vectors") -> Any:
    path = getattr(args, attribute, None)
    if not path:
        return None
    from analysis.embeddings import read_vectors

    try:
        return read_vectors(path, rows)
    except (OSError, ValueError) as exc:
        raise InputError(str(exc)) from None


def _both_vectors(args: argparse.Namespace, rows: int, coded_rows: int) -> tuple[Any, Any]:
    """The answers' and the coded answers' stored vectors; the supervised model reads them only as a pair."""
    if bool(args.vectors) != bool(args.train_vectors):
        raise InputError("give both --vectors (the answers') and --train-vectors (the coded answers'), or neither")
    return _vectors(args, rows), _vectors(args, coded_rows, "train_vectors")


def run_themes(args: argparse.Namespace) -> None:
    """A list of {"id", "label", "description", "keywords", "size", "members", "weights", "examples",
    "overlaps": [{"theme", "shared", "share"}]}."""
    from analysis.few_shot import read_codebook
    from analysis.records import as_plain
    from analysis.text import analyzer_for
    from analysis.theme_labels import weak_words
    from analysis.themes import discover_themes

    answers = _read(args, args.input)
    codebook = read_codebook(args.codebook) if args.codebook else ()
    themes = discover_themes(
        answers, analyzer_for(args.language), weak_words=weak_words(args.language),
        vectors=_vectors(args, len(answers)), max_themes=args.themes, seed=args.seed, codebook=codebook,
        new_only=args.new_only, show_progress=_show_progress(args))
    write_json_atomic(args.output, [{
        "id": t.id, "label": t.label, "description": t.description, "keywords": list(t.terms), "size": t.size,
        "members": list(t.answer_ids), "weights": list(t.weights), "examples": list(t.exemplar_ids),
        "overlaps": as_plain(t.overlaps)} for t in themes])


def run_few_shot(args: argparse.Namespace) -> None:
    """Rows like `suggest`'s: {"id", "codes", "scores", "auto", "confidence", "review_rank"}."""
    from analysis.few_shot import read_codebook, suggest_with_handover

    answers = _read(args, args.input)
    coded = _read(args, args.train, codes_field=args.codes_field) if args.train else []
    if args.train_vectors and not args.train:
        raise InputError("--train-vectors needs --train")
    suggestions = suggest_with_handover(
        read_codebook(args.codebook), answers, coded=coded, language=args.language,
        vectors=_vectors(args, len(answers)), coded_vectors=_vectors(args, len(coded), "train_vectors"),
        seed=args.seed, jobs=args.jobs, show_progress=_show_progress(args)).suggestions
    write_jsonl_atomic(args.output, ({
        "id": s.answer_id, "codes": list(s.codes), "scores": {c.code: c.probability for c in s.scores},
        "auto": s.route == "auto", "confidence": s.confidence, "review_rank": s.review_rank} for s in suggestions))


def run_embed(args: argparse.Namespace) -> None:
    """One 384-number row per answer, in input order, as a NumPy .npy file."""
    from analysis.embeddings import sentence_vectors, write_vectors

    answers = _read(args, args.input)
    try:
        vectors = sentence_vectors([a.text for a in answers])
    except RuntimeError as exc:
        raise InputError(str(exc)) from None
    write_vectors(args.output, vectors)


def _evaluation_vectors(args: argparse.Namespace, name: str, data_dir: Any) -> Any:
    """Sentence vectors for a data set's suggestions: read from --vectors (made by `embed` from the set's file),
    or with --embeddings worked out here for the sets in a language the model covers; else None (words alone)."""
    from analysis.evaluate import DATASETS, load_dataset

    if args.vectors:
        return _vectors(args, len(load_dataset(name, data_dir)))
    if not args.embeddings:
        return None
    from analysis.embeddings import LANGUAGES, sentence_vectors

    if DATASETS[name].language not in LANGUAGES:
        return None
    try:
        return sentence_vectors([a.text for a in load_dataset(name, data_dir)])
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
        figures["themes"] = theme_figures(data_dir, seed=args.seeds[0], embed=embed, curve=args.learning_curve)
    if "campaigns" in args.parts:
        figures["campaigns"] = evaluate_campaigns(Path(data_dir), seed=args.seeds[0])
        print(format_campaigns(figures["campaigns"]), flush=True)
    if "redaction" in args.parts:
        figures["redaction"] = evaluate_redaction()
        print(format_redaction(figures["redaction"]), flush=True)
    if args.output:
        write_json_atomic(args.output, figures)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str, run: Any, *, io: bool = True,
                parallel: str | None = None) -> argparse.ArgumentParser:
        """A subcommand; `parallel` says what its --jobs processes do (no --jobs without it)."""
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=run)
        if parallel:
            sub.add_argument("--jobs", type=_positive_int, default=default_jobs(),
                             help=f"processes that {parallel} (default: the cores available; the output is the "
                                  "same for any number)")
        sub.add_argument("--seed", type=int, default=0, help="random seed (same input and seed, same output)")
        sub.add_argument(
            "--progress", action=argparse.BooleanOptionalAction, default=None,
            help="progress bar on stderr (default: only when stderr is a terminal)",
        )
        if io:
            names = ["--in", "--input"] + (["--predict"] if name == "suggest" else [])
            sub.add_argument(*names, dest="input", required=True, help="JSONL answers, or - for stdin")
            sub.add_argument("--out", "--output", dest="output", required=True,
                             help="output file (written atomically), or - for stdout")
            sub.add_argument("--id-field", default="id")
            sub.add_argument(
                "--text-field", type=_fields, default=("text",),
                help="field(s) holding the text, comma-separated to join several (e.g. title,text)",
            )
            if name in ("suggest", "few-shot"):
                sub.add_argument("--context-field", default=None,
                                 help="field holding what each answer answers (e.g. question): read with the text")
        return sub

    command("redact", "replace personal data (names, phones, emails, postcodes, ...) by [LABEL]", run_redact,
            parallel="read the answers")

    sub = command("campaigns", "group copies and near-copies of one text (organised campaigns)", run_campaigns,
                  parallel="hash the texts")
    sub.add_argument("--threshold", type=_share, default=0.6, help="estimated Jaccard similarity of 3-word shingles")
    sub.add_argument("--min-size", type=_positive_int, default=3, help="smallest group reported")
    sub.add_argument("--min-words", type=_positive_int, default=8, help="shorter answers are never grouped")
    sub.add_argument("--shingle-words", type=_positive_int, default=3, help="words per shingle")

    sub = command("suggest", "suggest codes for answers from answers already coded by people", run_suggest,
                  parallel="read the answers to suggest for")
    sub.add_argument("--train", required=True, help="JSONL of coded answers")
    sub.add_argument("--codes-field", default="codes")
    sub.add_argument("--language", choices=["en", "de"], default="en")
    sub.add_argument("--auto-agreement", type=_share, default=TARGET_AGREEMENT,
                     help="auto-assign the answers expected to agree with people's codes at this sample-F1, "
                          "as measured on the coded answers (default 0.955)")
    sub.add_argument("--auto-threshold", type=_share, default=None,
                     help="instead, auto-assign where the confidence is at least this")
    sub.add_argument("--vectors", default=None,
                     help="sentence vectors stored for the answers to suggest for (.npy, one row a line; see `embed`); "
                          "with --train-vectors the model reads them beside the words")
    sub.add_argument("--train-vectors", default=None, help="sentence vectors of the coded answers (.npy, one row a line)")

    sub = command("themes", "discover themes in uncoded answers", run_themes)
    sub.add_argument("--language", choices=["en", "de"], default="en")
    sub.add_argument("--max-themes", "--themes", dest="themes", type=_positive_int, default=10,
                     help="at most this many themes")
    sub.add_argument("--vectors", default=None,
                     help="sentence vectors stored for the answers (.npy, one row per input line; see `embed`)")
    sub.add_argument("--codebook", default=None,
                     help="JSON list of the codebook's themes {name, description, include, exclude, examples, "
                          "members}: each proposal says how far it overlaps them")
    sub.add_argument("--new-only", action="store_true", help="propose only themes the codebook does not hold yet")

    sub = command("few-shot", "suggest a codebook's themes from its texts, before (or while) people code; "
                  "from 400 coded answers on, as `suggest` does", run_few_shot,
                  parallel="fit the supervised model's folds and read the answers (from 400 coded answers)")
    sub.add_argument("--codebook", required=True,
                     help="JSON list of themes {name, description, include, exclude, examples, members}")
    sub.add_argument("--train", default=None, help="JSONL of answers people have coded so far (optional)")
    sub.add_argument("--codes-field", default="codes")
    sub.add_argument("--language", choices=["en", "de"], default="en")
    sub.add_argument("--vectors", default=None, help="sentence vectors for the answers (.npy, one row a line)")
    sub.add_argument("--train-vectors", default=None,
                     help="sentence vectors of the coded answers (.npy): from 400 coded answers on, read as `suggest` does")

    command("embed", "sentence vectors for answers (needs the optional extra `embeddings`), as .npy", run_embed)

    sub = command("evaluate", "reproduce every quality figure on the shared human-coded data", run_evaluate, io=False,
                  parallel="fit the models")
    sub.add_argument("--dataset", choices=["all", "nhs", "nhs-text-only", "cycling-level1", "cycling-level2"],
                     default="all", help="suggestions and themes on this data set (default all)")
    sub.add_argument("--seeds", type=_seeds, default=(0,), help="comma-separated seeds of the 80/20 split (default 0)")
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. the output folder does not exist or is read-only
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
