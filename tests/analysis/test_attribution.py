"""Quotes are attributed exactly as each respondent chose, with types written as people write them."""
from __future__ import annotations

import pytest

from analysis.attribution import ANONYMOUS, ANONYMOUS_LABEL, NAME, ORGANISATION, attribution, with_article


@pytest.mark.parametrize("label, expected", [
    ("Charity", "a charity"), ("NHS body", "an NHS body"), ("Local authority", "a local authority"),
    ("Housing association", "a housing association"), ("GP practice", "a GP practice"),
    ("University, research body or think tank", "a university, research body or think tank"),
    ("Social enterprise or community interest company", "a social enterprise or community interest company"),
    ("Integrated Care Board", "an Integrated Care Board"), ("Other", "an other"), ("MP's office", "an MP's office"),
])
def test_types_are_written_as_people_write_them(label, expected):
    assert with_article(label) == expected


def test_each_choice_prints_what_was_chosen_and_nothing_more():
    kw = {"name": "Sam Jones", "organisation": "Riverside Community Trust", "organisation_type": "Charity",
          "respondent_type": "Councillor"}
    assert attribution(None, **kw) is None
    assert attribution(NAME, **kw) == "Sam Jones"
    assert attribution(ORGANISATION, **kw) == "Riverside Community Trust, a charity"
    assert attribution(ORGANISATION, organisation="Riverside", organisation_type="NHS body") == "Riverside, an NHS body"
    assert attribution(ORGANISATION, respondent_type="Councillor") == "A councillor"  # type only
    assert attribution(ORGANISATION, organisation_type="NHS body") == "An NHS body"
    assert attribution(ANONYMOUS, **kw) == ANONYMOUS_LABEL
    assert attribution(NAME, name="  ") == ANONYMOUS_LABEL  # chose their name but gave none
    with pytest.raises(ValueError):
        attribution("everything", **kw)
