"""Batch command line: `python -m analysis {redact,campaigns,suggest,themes,evaluate} ...`.

Input is JSONL (one answer a line: an id and text); output is written to a temporary
file and renamed into place. Exit status: 0 done, 1 output could not be written, 2 bad input or arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from analysis.cli_coding import add_embed, add_few_shot, add_suggest, add_themes
from analysis.cli_common import _fields, _positive_int
from analysis.cli_detection import add_campaigns, add_redact
from analysis.cli_evaluate import add_evaluate
from analysis.jsonl import InputError
from analysis.parallel import default_jobs


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

    # In this order in the help.
    for add in (add_redact, add_campaigns, add_suggest, add_themes, add_few_shot, add_embed, add_evaluate):
        add(command)
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
