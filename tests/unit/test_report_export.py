"""The evaluator's exports: headers that cover every narrative question, changes without a leading sign; pure."""
from fractions import Fraction

import pytest

from portal.reports.export import NARRATIVE_HEADERS, change_text
from portal.reports.template import NARRATIVES


def test_every_narrative_question_has_an_export_column():
    assert {item.key for items in NARRATIVES.values() for item in items} == set(NARRATIVE_HEADERS)


@pytest.mark.parametrize(("points", "expected"), [
    (Fraction(13), "13,0 over"), (Fraction(-2), "2,0 under"), (Fraction(0), "0,0 over"),
    (Fraction(-1, 20), "0,1 under"), (None, "Ingen data"),
])
def test_a_change_is_written_without_a_sign_a_spreadsheet_would_run(points, expected):
    assert change_text(points) == expected
