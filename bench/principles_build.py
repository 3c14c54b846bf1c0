"""Time of the drafting step (analysis.principles.build_draft) on an Evidence built from
real texts: NHS feedback answers (../shared/data/nhs-feedback/coded.jsonl, two joined
per answer so most are distinct) with their human codes as themes, the six Keep it Local
principles with votes from a seeded RNG (one mostly rejected), and a planted campaign
of edited copies.

    .venv/bin/python bench/principles_build.py [--respondents 10000 100000] [--seed 0]

Prints, per size: campaign detection on its own, build_draft with campaigns detected
inside, build_draft given the campaigns (as the app can pass them from its coding
snapshot), wall and CPU time, and peak traced memory (a separate run: tracing is slow).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.evaluate import shared_data_dir  # noqa: E402
from analysis.evidence import (  # noqa: E402
    AgreementRow,
    ClosedQuestion,
    CodedAnswer,
    CodingFacts,
    ConsultedPrinciple,
    Evidence,
    Respondent,
    ThemeEntry,
)
from analysis.principles import build_draft, detect_campaigns  # noqa: E402

STATEMENTS = (
    "Think about the whole system, not service silos",
    "Coordinate services at the neighbourhood level",
    "Increase local spend to invest in the local economy",
    "Focus on early intervention now to save costs tomorrow",
    "Commit to the community and proactively support local organisations",
    "Commission services simply and collaboratively so they are local by default",
)
SCALE = ("strongly_agree", "agree", "neither", "disagree", "strongly_disagree", "dont_know")
# Vote weights per principle; principle 3 is mostly rejected.
WEIGHTS = [(30, 35, 12, 10, 8, 5)] * 2 + [(8, 12, 15, 35, 25, 5)] + [(30, 35, 12, 10, 8, 5)] * 3
TYPES = {"community": ("Charity", "Community organisation", "Social enterprise"),
         "councils": ("Commissioner", "Councillor", "Council officer"),
         "others": ("Member of the public", "Policy expert or researcher")}
CAMPAIGN_SHARE = 0.02


def load(data: Path) -> tuple[list[tuple[str, tuple[str, ...]]], list[str]]:
    rows = [json.loads(line) for line in (data / "nhs-feedback/coded.jsonl").open(encoding="utf-8")]
    codebook = json.loads((data / "nhs-feedback/codebook.json").read_text(encoding="utf-8"))
    return [(r["text"], tuple(r["codes"])) for r in rows if r["text"].strip()], codebook


def make_evidence(n: int, seed: int, coded: list[tuple[str, tuple[str, ...]]], codebook: list[str]) -> Evidence:
    rng = random.Random(seed)
    template = rng.choice([t for t, _ in coded if len(t.split()) >= 40])
    respondents, answers = [], []
    votes: list[list[tuple[str, str]]] = [[] for _ in STATEMENTS]
    for i in range(n):
        rid = f"KIL-{i:06d}"
        group = rng.choices(("community", "councils", "others"), (60, 25, 15))[0]
        quote_as = rng.choice(("Anonymous respondent", f"Respondent {i}", None, "A charity (Hilltop Trust)"))
        channel = rng.choices(("web", "email", "paper", "workshop"), (85, 8, 4, 3))[0]
        respondents.append(Respondent(rid, group, rng.choice(TYPES[group]), channel, quote_as, demo=True))
        in_campaign = rng.random() < CAMPAIGN_SHARE
        for p in range(len(STATEMENTS)):
            votes[p].append((rid, "strongly_agree" if in_campaign and p == 0 else rng.choices(SCALE, WEIGHTS[p])[0]))
            if in_campaign and p == 0:
                words = template.split()
                del words[rng.randrange(len(words))]
                answers.append(CodedAnswer(f"a{len(answers)}", rid, "principle_1_why", " ".join(words), ("Campaign",)))
            elif rng.random() < 0.35:
                (t1, c1), (t2, c2) = rng.choice(coded), rng.choice(coded)
                answers.append(CodedAnswer(f"a{len(answers)}", rid, f"principle_{p + 1}_why", f"{t1} {t2}",
                                           tuple(dict.fromkeys(c1 + c2))))
        if rng.random() < 0.5:
            (t1, c1), (t2, c2) = rng.choice(coded), rng.choice(coded)
            answers.append(CodedAnswer(f"a{len(answers)}", rid, "barriers_detail", f"{t1} {t2}",
                                       tuple(dict.fromkeys(c1 + c2))))
    principles = tuple(
        ConsultedPrinciple(p + 1, s, "", f"principle_{p + 1}_agreement", f"principle_{p + 1}_why", tuple(votes[p]))
        for p, s in enumerate(STATEMENTS)
    )
    capacity = ClosedQuestion("capacity", "Are you responding as an individual or for an organisation?",
                              "single_choice", (("individual", "As an individual"), ("organisation", "For an organisation")),
                              tuple((r.id, (rng.choice(("individual", "organisation")),)) for r in respondents))
    return Evidence(
        survey_title="Keep it Local: how councils should commission local services", survey_slug="keep-it-local",
        generated_at="2028-04-14T09:30:00Z", closes_at="2028-03-31T23:59:00Z",
        respondents=tuple(respondents), answers=tuple(answers), principles=principles, questions=(capacity,),
        codebook=tuple(ThemeEntry(name, None, "") for name in codebook),
        coding=CodingFacts(4, len(answers), 500, (AgreementRow("All codes", 0.71, 0.68, 500),), 1000, 800, 200),
        demo=True,
    )


def timed(fn, repeat: int = 1):
    """(result, best wall seconds, CPU seconds of that run): CPU time is the fairer figure
    on a shared machine, wall time is what a user waits."""
    best = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        run = (time.perf_counter() - wall, time.process_time() - cpu)
        best = run if best is None or run[0] < best[0] else best
    return result, *best


def peak_mb(fn) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="runs of build_draft; the fastest is shown")
    args = parser.parse_args(argv)
    coded, codebook = load(shared_data_dir())
    build_draft(make_evidence(200, args.seed, coded, codebook))  # imports (sklearn, NLTK) and stemmer memo warm
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    for n in args.respondents:
        start = time.perf_counter()
        evidence = make_evidence(n, args.seed, coded, codebook)
        print(f"{n:,} respondents, {len(evidence.answers):,} answers, {sum(len(p.votes) for p in evidence.principles):,} "
              f"votes (evidence built in {time.perf_counter() - start:.1f} s, not timed below)")
        campaigns, wall, cpu = timed(lambda: detect_campaigns(evidence, seed=args.seed))
        print(f"  {'detect_campaigns':<42} wall {wall:6.2f} s  cpu {cpu:6.2f} s")
        _, wall, cpu = timed(lambda: build_draft(evidence, seed=args.seed))
        print(f"  {'build_draft, campaigns detected inside':<42} wall {wall:6.2f} s  cpu {cpu:6.2f} s")
        document, wall, cpu = timed(lambda: build_draft(evidence, seed=args.seed, campaigns=campaigns), args.repeat)
        print(f"  {'build_draft, campaigns given':<42} wall {wall:6.2f} s  cpu {cpu:6.2f} s  (best of {args.repeat})")
        peak = peak_mb(lambda: build_draft(evidence, seed=args.seed, campaigns=campaigns))
        print(f"  {'build_draft, campaigns given: peak traced':<42} {peak:6.0f} MB")
        print(f"  principles: {sum(p['source'] == 'consulted' for p in document['principles'])} consulted, "
              f"{sum(p['source'] == 'new' for p in document['principles'])} new; "
              f"campaigns: {len(campaigns)} ({document['counts']['campaign_responses']:,} responses)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
