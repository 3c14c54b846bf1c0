"""Instructions executed by one render of the ~40-page draft (bench/report_render.py's document), counted
by valgrind's callgrind: a figure that does not move with the machine's load, where seconds here vary by
a third from minute to minute. Compare two versions of the report with it.

    .venv/bin/python bench/report_instructions.py      (about 5 minutes; needs valgrind)

It runs itself under callgrind with instrumentation off, renders once to warm caches, then switches
instrumentation on (callgrind_control) for exactly one render_pdf call and off again.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSIDE = "CONSULT_BENCH_UNDER_CALLGRIND"


def render_once() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from report_render import large_document

    from analysis import report

    document = large_document(13)
    report.render_pdf(document)

    def instrument(state: str) -> None:
        subprocess.run(["callgrind_control", "-i", state, str(os.getpid())], check=True, capture_output=True)

    instrument("on")
    report.render_pdf(document)
    instrument("off")


def main() -> int:
    if os.environ.get(INSIDE):
        render_once()
        return 0
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
                        sys.executable, __file__], env={**os.environ, INSIDE: "1"}, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        total = re.search(r"^totals: (\d+)", out.read_text(), re.M)
    if total is None:
        print("callgrind wrote no totals", file=sys.stderr)
        return 1
    print(f"instructions in one render_pdf: {int(total.group(1)) / 1e9:.2f} G")
    return 0


if __name__ == "__main__":
    sys.exit(main())
