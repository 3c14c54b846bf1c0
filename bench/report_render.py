"""Render a ~40-page draft (10,000 responses' worth of figures) to a tagged PDF: pages, seconds, peak memory.

    .venv/bin/python bench/report_render.py [--principles 14] [--repeat 3] [--out /tmp/report-bench.pdf]

Targets (issue 5): under 3 s of rendering and under 300 MB. The document is the test fixture with its
counts scaled to 10,000 responses and its principles and questions repeated, each copy a separate
section with its own charts, tables and quotes.
"""
from __future__ import annotations

import argparse
import copy
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import report  # noqa: E402
from tests.analysis.fixtures_document import sample_document  # noqa: E402

SCALE = 10_000 / 428


def scaled(value):
    return None if value is None else round(value * SCALE)


def large_document(principles: int) -> dict:
    document = sample_document(demo=True)
    document["counts"]["respondents"] = 10_000
    document["counts"]["individual_responses"] = 9_065
    document["counts"]["campaign_responses"] = 935
    consulted = [p for p in document["principles"] if p["source"] == "consulted"]
    new = [p for p in document["principles"] if p["source"] == "new"]
    out = []
    for i in range(principles):
        p = copy.deepcopy(consulted[i % len(consulted)])
        p["id"], p["number"] = f"p{i + 1}", i + 1
        if i >= len(consulted):
            p["headline"] += f" (variant {i // len(consulted) + 1})"
        for row in p["agreement"]["rows"]:
            row["count"] = scaled(row["count"])
        p["agreement"]["total"] = scaled(p["agreement"]["total"])
        for g in p["agreement"]["by_group"]:
            g["n"] = scaled(g["n"])
        for t in p["themes"]:
            t["count"], t["respondents"] = scaled(t["count"]), scaled(t["respondents"])
        out.append(p)
    for j, p in enumerate(copy.deepcopy(new)):
        p["number"] = principles + j + 1
        out.append(p)
    document["principles"] = out
    questions = document["questions"]
    document["questions"] = [{**q, "key": f"{q['key']}_{k}", "total": scaled(q["total"]),
                              "rows": [{**r, "count": scaled(r["count"])} for r in q["rows"]]}
                             for k in range(2) for q in questions]
    return document


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--principles", type=int, default=14)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("/tmp/report-bench.pdf"))
    args = parser.parse_args()

    document = large_document(args.principles)
    started = time.perf_counter()
    import weasyprint  # noqa: F401  — loaded once per process, timed separately from rendering
    print(f"import weasyprint: {time.perf_counter() - started:.2f} s")
    report.render_pdf(sample_document())  # warm font and style caches, as a worker process would be
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    timings = []
    for _ in range(args.repeat):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        pdf = report.render_pdf(document)
        timings.append((time.perf_counter() - wall0, time.process_time() - cpu0))
    html_started = time.perf_counter()
    report.render_html(document)
    html_seconds = time.perf_counter() - html_started

    from pypdf import PdfReader
    args.out.write_bytes(pdf)
    pages = len(PdfReader(str(args.out)).pages)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    best_wall = min(t[0] for t in timings)
    best_cpu = min(t[1] for t in timings)
    print(f"pages: {pages}  PDF bytes: {len(pdf):,}  principles: {len(document['principles'])}  "
          f"questions: {len(document['questions'])}")
    print("render_pdf wall s: " + ", ".join(f"{w:.2f}" for w, _ in timings) + f"  (best {best_wall:.2f})")
    print("render_pdf CPU s:  " + ", ".join(f"{c:.2f}" for _, c in timings) + f"  (best {best_cpu:.2f})")
    print(f"render_html: {html_seconds:.3f} s")
    print(f"peak RSS: {peak:.0f} MB (after import and warm-up: {base_rss:.0f} MB)")
    ok = best_cpu < 3 and peak < 300
    print("targets (< 3 s CPU, < 300 MB): " + ("met" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
