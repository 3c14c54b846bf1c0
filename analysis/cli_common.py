"""What the command line's subcommands share: argument types, reading the answers and stored vectors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from analysis.jsonl import InputError, read_answers
from analysis.records import Answer

# `command(name, help_text, run, *, io=True, parallel=None)` in `__main__.build_parser`: adds a subcommand.
Command = Callable[..., argparse.ArgumentParser]


# The argument types keep their names: argparse prints a type's name in its error ("invalid _share value").
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


def show_progress(args: argparse.Namespace) -> bool:
    return sys.stderr.isatty() if args.progress is None else args.progress


def read_input(args: argparse.Namespace, path: str, codes_field: str | None = None) -> list[Answer]:
    return read_answers(path, id_field=args.id_field, text_fields=args.text_field, codes_field=codes_field,
                        context_field=getattr(args, "context_field", None))


def stored_vectors(args: argparse.Namespace, rows: int, attribute: str = "vectors") -> Any:
    path = getattr(args, attribute, None)
    if not path:
        return None
    from analysis.embeddings import read_vectors

    try:
        return read_vectors(path, rows)
    except (OSError, ValueError) as exc:
        raise InputError(str(exc)) from None


def both_vectors(args: argparse.Namespace, rows: int, coded_rows: int) -> tuple[Any, Any]:
    """The answers' and the coded answers' stored vectors; the supervised model reads them only as a pair."""
    if bool(args.vectors) != bool(args.train_vectors):
        raise InputError("give both --vectors (the answers') and --train-vectors (the coded answers'), or neither")
    return stored_vectors(args, rows), stored_vectors(args, coded_rows, "train_vectors")
