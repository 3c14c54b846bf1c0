"""The statistical name tagger (`analysis.redact_tagger`, issue 20, fifth round): names that no rule
has a pattern for, by their shape and the words around them, and the look-alikes that must stay.
Examples written for these tests, with names of no earlier set (the held-out sets are only scored)."""

import pytest

from analysis.name_templates import CLEAN, NAMED
from analysis.redact import redact
from analysis.redact_tagger import WEIGHTS_FILE
from analysis.redact_tagger_features import candidate, case_of, own_features, shape
from analysis.text import DATA_DIR
from analysis.name_training_texts import generate, pools


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a lone given name with no cue word before it
        ("The lunch club ladies adore Rukhsana, she never misses a week.",
         "The lunch club ladies adore [NAME], she never misses a week."),
        ("We rely on Kwame more than the council knows.", "We rely on [NAME] more than the council knows."),
        ("* Halina - 12 years on the rota\n* Oluwaseun - 3 years", "* [NAME] - 12 years on the rota\n* [NAME] - 3 years"),
        # shapes: Mac/O' surnames, a short surname before a job title, "St." inside a surname
        ("Bronagh MacGillivray chairs the tenants panel.", "[NAME] chairs the tenants panel."),
        ("Our secretary is Grainne O'Donoghue.", "Our secretary is [NAME]."),
        ("Thanks for listening. Signed, Desmond St. John-Baptiste", "Thanks for listening. Signed, [NAME]"),
        # lower case
        ("dr mcandrew at the practice told us to write in", "dr [NAME] at the practice told us to write in"),
        ("i'm jaz and the youth club is the only place i go", "i'm [NAME] and the youth club is the only place i go"),
        ("hi its deano from the boxing gym, we need a new roof", "hi its [NAME] from the boxing gym, we need a new roof"),
    ],
)
def test_tagger_finds_names_the_rules_miss(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        # Welsh: a capitalised verb opening a sentence is no name ("Mae" is also a given name)
        "Mae'r ganolfan yn hanfodol i'r pentref.",
        "Roedd pawb yn siomedig gyda'r penderfyniad.",
        "Rydym yn gofyn i'r cyngor ail-feddwl. Mae llawer o bobl yn dibynnu ar y bws.",
        # acronyms, places of no list, shops, things named after people, capitalised words
        "The DWP, HMRC and the ICB all refer people to us.",
        "The FOI response (FOI 2023/118) showed the same.",
        "Our members come from Treharris, Nelson and Quakers Yard.",
        "Aldi and Lidl opened on the retail park.",
        "I went on a Desmond course last year.",
        "Maggie's centres show what good design can do.",
        "Hope is not a plan.",
        "Good staff, but the waiting list is too long.",
    ],
)
def test_clean_look_alikes_are_kept(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mae Cymraeg yn iaith fyw yn ein pentref ni.", "Mae Cymraeg yn iaith fyw yn ein pentref ni."),
        ("Sioned Jones yw'r cadeirydd ac mae hi'n gweithio'n galed.", "[NAME] yw'r cadeirydd ac mae hi'n gweithio'n galed."),
        ("Gwenllian sy'n rhedeg y clwb ieuenctid yn y pentref.", "[NAME] sy'n rhedeg y clwb ieuenctid yn y pentref."),
    ],
)
def test_welsh_sentence_openings_vetoed_but_not_welsh_names(text: str, expected: str) -> None:
    assert redact(text).text == expected


def test_features_hold_no_spelling_of_the_word() -> None:
    """The model learns what names look like, not which names it saw."""
    for word in ("Parveen", "o'sullivan", "MacAulay"):
        assert not any(word.lower() in f.lower() for f in own_features(word))
    assert [shape(w) for w in ("O'Sullivan", "MacAulay", "kez", "NHS", "SENCo", "J")] == ["X'Xx", "XxXx", "x", "XX", "XXx", "X"]


def test_candidates_depend_on_the_texts_case() -> None:
    assert candidate("Parveen") and candidate("kez", "lower")
    assert not candidate("kez", "mixed")  # a lower-case word of no list in mixed case: a typo or slang
    assert not candidate("NHS", case_of("The NHS is slow.")) and not candidate("Good") and not candidate("like", "lower")


def test_generated_text_is_seeded_and_labelled() -> None:
    p = pools(0, 0)
    first, again = generate(p, NAMED, CLEAN, 40, 3), generate(p, NAMED, CLEAN, 40, 3)
    assert first == again
    named = [(text, spans) for text, spans in first if any(n for _s, _e, n in spans)]
    assert named and len(named) < len(first)
    for text, spans in named:
        for start, end, _n in spans:
            assert text[start:end].strip() == text[start:end] and text[start:end]


def test_shipped_weights_are_small() -> None:
    path = DATA_DIR / WEIGHTS_FILE
    assert path.stat().st_size < 1_000_000
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# Name tagger weights") and lines[1].startswith("# intercept\t")
    assert all(len(line.rsplit("\t", 1)) == 2 and float(line.rsplit("\t", 1)[1]) for line in lines[2:])
