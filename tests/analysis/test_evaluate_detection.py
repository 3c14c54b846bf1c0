import json
import random

import pytest

from analysis.evaluate import DATASETS, shared_data_dir
from analysis.evaluate_detection import (REDACTION_CASES, REDACTION_HELD_OUT, edited_copy, evaluate_campaigns,
                                         evaluate_redaction, format_redaction, planted_campaigns)

TEMPLATE = ("I strongly object to the closure of the Riverside library because it is used every day by children "
            "after school and by older people who have no internet at home")


def test_edited_copies_keep_most_of_the_template():
    rng = random.Random(0)
    copies = [edited_copy(TEMPLATE, ["My own view is that the council never listens to us here"], rng) for _ in range(20)]
    assert len(set(copies)) > 10 and TEMPLATE not in copies
    for copy in copies:
        kept = set(TEMPLATE.split()) & set(copy.split())
        assert len(kept) >= len(set(TEMPLATE.split())) - 2


def test_planted_campaigns_are_seeded_and_labelled():
    texts = [f"{TEMPLATE} number {i}" for i in range(30)] + [f"short answer {i}" for i in range(50)]
    answers, planted = planted_campaigns(texts, templates=3, individuals=40, seed=1)
    again, planted_again = planted_campaigns(texts, templates=3, individuals=40, seed=1)
    assert answers == again and planted == planted_again
    assert set(planted.values()) == {0, 1, 2}
    assert len(answers) == 40 + len(planted)
    assert len({a.id for a in answers}) == len(answers)


def test_redaction_figures_per_file_and_kind(tmp_path):
    path = tmp_path / "redaction_small.jsonl"
    rows = [{"text": "Ring me on 07700 900123 please", "pii": [["PHONE", "07700 900123"]]},
            {"text": "Email jo@example.org or call", "pii": [["EMAIL", "jo@example.org"]]},
            {"text": "Nothing personal at 10:30", "pii": []}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    [report] = evaluate_redaction([path])
    assert (report["texts"], report["items"], report["recall"], report["precision"]) == (3, 2, 1.0, 1.0)
    assert report["recall_by_kind"] == {"EMAIL": 1.0, "PHONE": 1.0}
    assert "recall 1.000, precision 1.000" in format_redaction([report])
    assert "clean texts kept 1.000 (1 of 1)" in format_redaction([report])
    assert "(tuned on)" in format_redaction([report])


@pytest.mark.skipif(not (REDACTION_CASES / REDACTION_HELD_OUT).exists(),
                    reason="held-out set 8 is written apart from the rules and added at merge")
def test_the_newest_held_out_set_is_marked():
    [held_out] = [r for r in evaluate_redaction() if r["held_out"]]
    assert held_out["file"] == REDACTION_HELD_OUT == "redaction_heldout11.jsonl"
    assert held_out["texts"] >= 150 and held_out["clean_texts"] >= 50
    assert "(held out, never tuned on)" in format_redaction([held_out])


def test_every_other_redaction_set_is_marked_as_tuned_on():
    reports = [r for r in evaluate_redaction() if r["file"] != REDACTION_HELD_OUT]
    assert {"redaction_heldout6.jsonl", "redaction_heldout7.jsonl", "redaction_dev5.jsonl"} <= {r["file"] for r in reports}
    assert not any(r["held_out"] for r in reports)


@pytest.mark.skipif(not (shared_data_dir() / DATASETS["nhs"].path).exists(), reason="shared data not present")
def test_planted_campaigns_in_real_answers_are_found():
    report = evaluate_campaigns(shared_data_dir(), seed=0)
    assert report["campaign_recall"] >= 0.95 and report["campaign_purity"] >= 0.98
    assert report["groups_without_planted_copies"] <= 2
