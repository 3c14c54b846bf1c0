"""Timings of the batch analysis commands on 100,000 answers built from the shared real
texts (NHS feedback, Polis comments), with 20 planted campaigns of edited copies.

    .venv/bin/python bench/analysis_speed.py [--answers 100000] [--seed 0]

Each command runs end to end through the CLI (read and validate JSONL, work, atomic
write), in this process, one after another, with its default --jobs (the cores available).
Output goes to bench/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.__main__ import main  # noqa: E402
from analysis.parallel import default_jobs  # noqa: E402
from analysis.evaluate import shared_data_dir  # noqa: E402

CAMPAIGN_SHARE = 0.2
CAMPAIGNS = 20


def real_texts(data: Path) -> list[tuple[str, str]]:
    """(text, the question it answered) for the NHS answers and the Polis comments."""
    rows = [json.loads(line) for line in (data / "nhs-feedback/coded.jsonl").open(encoding="utf-8")]
    texts = [(r["text"], r["question"]) for r in rows]
    for path in sorted((data / "polis").glob("*.jsonl")):
        texts += [(json.loads(line)["text"], path.stem) for line in path.open(encoding="utf-8")]
    return [(t, q) for t, q in texts if t.strip()]


def build_answers(sources: list[tuple[str, str]], n: int, seed: int) -> tuple[list[dict], dict[str, int]]:
    """Real answers recombined (two real sentences-worth joined, so most are distinct, under the
    first one's question) plus campaign copies of long real texts with a word dropped or a
    personal line added."""
    rng = random.Random(seed)
    texts = [t for t, _q in sources]
    templates = rng.sample([t for t in texts if len(t.split()) >= 40], CAMPAIGNS)
    rows, planted = [], {}
    for i in range(n):
        if rng.random() < CAMPAIGN_SHARE:
            c = rng.randrange(CAMPAIGNS)
            words = templates[c].split()
            if rng.random() < 0.5:
                del words[rng.randrange(len(words))]
            else:
                words += rng.choice(["I live locally.", "Please listen.", "Thank you.", "As a parent I agree."]).split()
            answer_id = f"a{i}"
            planted[answer_id] = c
            rows.append({"id": answer_id, "text": " ".join(words), "question": "campaign"})
        else:
            first, question = rng.choice(sources)
            rows.append({"id": f"a{i}", "text": f"{first} {rng.choice(texts)}", "question": question})
    return rows, planted


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the commands' --jobs workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, argv: list[str]) -> float:
    start, cpu_start = time.perf_counter(), cpu_seconds()
    status = main(argv + ["--no-progress"])
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
    # CPU time as well (workers included): on a shared machine the wall time says more about the neighbours.
    print(f"{label:<34} {seconds:7.1f} s wall {cpu:7.1f} s CPU{'' if status == 0 else f'  (exit {status})'}", flush=True)
    return seconds


def suggest_argv(answers: Path, output: Path, data: Path, seed: int) -> list[str]:
    """`python -m analysis suggest` trained on the coded NHS answers, each read with its question."""
    return ["suggest", "--input", str(answers), "--seed", str(seed), "--train", str(data / "nhs-feedback/coded.jsonl"),
            "--output", str(output), "--context-field", "question"]


def campaign_recall(path: Path, planted: dict[str, int]) -> tuple[float, float, int]:
    """Share of planted copies found in their template's main campaign; share of the
    members of those campaigns that are copies of that template (purity); and how many
    other groups were found (real texts recombined by build_answers share long halves,
    so those groups are genuine near-copies, not errors)."""
    campaigns = json.loads(path.read_text(encoding="utf-8"))["groups"]
    hits: dict[tuple[int, int], int] = {}  # (template, group number) -> copies
    for number, c in enumerate(campaigns, 1):
        for answer_id in c["members"]:
            if answer_id in planted:
                key = (planted[answer_id], number)
                hits[key] = hits.get(key, 0) + 1
    main_campaign = {}
    for (template, cid), count in hits.items():
        if count > hits.get((template, main_campaign.get(template, -1)), 0):
            main_campaign[template] = cid
    recalled = sum(hits[(t, cid)] for t, cid in main_campaign.items())
    members = sum(len(c["members"]) for number, c in enumerate(campaigns, 1) if number in main_campaign.values())
    others = len(campaigns) - len(set(main_campaign.values()))
    return recalled / len(planted), recalled / max(members, 1), others


def run(n: int, seed: int) -> None:
    data = shared_data_dir()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    rows, planted = build_answers(real_texts(data), n, seed)
    answers = out / "answers.jsonl"
    answers.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{n} answers ({len(planted)} planted campaign copies), seed {seed}, --jobs {default_jobs()}")
    io = ["--input", str(answers), "--seed", str(seed)]
    timed("redact", ["redact", *io, "--output", str(out / "redacted.jsonl")])
    timed("campaigns", ["campaigns", *io, "--output", str(out / "campaigns.json")])
    recall, purity, others = campaign_recall(out / "campaigns.json", planted)
    print(f"  planted copies recovered {recall:.3f}, purity of their campaigns {purity:.3f}, other groups {others}")
    timed("suggest (train on 4,969 NHS codes)", suggest_argv(answers, out / "suggestions.jsonl", data, seed))
    timed("themes (20)", ["themes", *io, "--themes", "20", "--output", str(out / "themes.json")])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    run(args.answers, args.seed)
