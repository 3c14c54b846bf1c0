"""Render a ~40-page draft (10,000 responses' worth of figures) to a tagged PDF: pages, seconds, peak memory.

    .venv/bin/python bench/report_render.py [--principles 14] [--repeat 3] [--out /tmp/report-bench.pdf]

Targets: under 10 s of rendering (issue 13: WeasyPrint as shipped, in a background job) and under 300 MB. The document is the test fixture with its
counts scaled to 10,000 responses and its principles and questions repeated, each copy a separate
section with its own charts, tables and quotes.
"""
from __future__ import annotations

import argparse
import copy
import os
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
    # the agreement questions (cross-referenced to their principles) and the survey's other closed questions
    agreement = [q for q in document["questions"] if q["key"].startswith("principle_")]
    barriers = document["questions"][0]
    questions = [{**barriers, "total": scaled(barriers["total"]),
                  "rows": [{**r, "count": scaled(r["count"])} for r in barriers["rows"]]}]
    for key, title, options in CLOSED:
        rows = [{"label": label, "count": n, "percent": round(100 * n / 10_000, 1), "suppressed": False}
                for label, n in options]
        questions.append({"key": key, "title": title, "total": sum(n for _, n in options), "rows": rows})
    for p in out:
        if p["agreement"]:
            match = next(q for q in agreement if q["title"].startswith(f"Principle {(p['number'] - 1) % 6 + 1}:"))
            questions.append({**match, "key": f"principle_{p['number']}_agreement", "total": p["agreement"]["total"],
                              "title": f"Principle {p['number']}: how far do you agree?",
                              "rows": [{k: r[k] for k in ("label", "count", "percent", "suppressed")}
                                       for r in p["agreement"]["rows"]]})
    document["questions"] = questions
    return document


CLOSED = [
    ("respondent_type", "Which of these best describes you?",
     [("Commissioner", 1028), ("Councillor", 677), ("Council officer", 911), ("Community organisation", 3528),
      ("Charity", 1916), ("Social enterprise", 818), ("Policy expert or researcher", 96), ("Member of the public", 1026)]),
    ("capacity", "Are you responding as an individual or for an organisation?",
     [("As an individual", 3412), ("On behalf of an organisation", 6588)]),
    ("organisation_type", "What type of organisation is it?",
     [("Community organisation", 2210), ("Charity", 1604), ("Social enterprise or community interest company", 702),
      ("Local authority", 1311), ("NHS body", 212), ("Housing association", 164),
      ("Local or national support organisation for charities and community groups", 233),
      ("University, research body or think tank", 61), ("Private business", 91)]),
    ("organisation_income", "What is your organisation's yearly income?",
     [("Under £10,000", 811), ("£10,000 to £100,000", 1730), ("£100,000 to £1 million", 2104),
      ("£1 million to £10 million", 1322), ("Over £10 million", 621)]),
    ("what_helps", "What helps local organisations deliver local services well?",
     [("Grants rather than contracts", 4410), ("Longer contracts or grants", 5230), ("Paying in advance", 2380),
      ("Simple, proportionate bidding", 4870), ("Help to form partnerships or consortia", 1920),
      ("Named contacts in the council", 2650), ("Something else", 540)]),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--principles", type=int, default=13)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("/tmp/report-bench.pdf"))
    args = parser.parse_args()

    document = large_document(args.principles)
    reference = time.process_time()
    sum(i * i for i in range(5_000_000))  # a fixed pure-Python loop: compare machines, or a busy machine with itself
    reference = time.process_time() - reference
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
    print(f"reference loop (5M squares): {reference:.2f} s CPU; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    print(f"peak RSS: {peak:.0f} MB (after import and warm-up: {base_rss:.0f} MB)")
    ok = best_cpu < 10 and peak < 300
    print("targets (< 10 s CPU, < 300 MB): " + ("met" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
