"""Nonsense in the length field: every chapter answers an error and keeps serving.

Chapters 3-9 pass `length` to int() and random.sample() as printed, so a bad
one is CherryPy's 500 page; chapter 10's tool answers 400 with a plain message.
"""
import pytest
from expected import is_hex_string, make_string, service_path

STATUS_FOR_A_BAD_LENGTH = {"tut03": 500, "tut04": 500, "tut05": 500, "tut06": 500,
                           "tut07": 500, "tut08": 500, "tut09": 500, "tut10": 400}
BAD_LENGTHS = {
    "letters": "abc",
    "empty": "",
    "negative": "-1",
    "more than the 22 hex digits": "23",
    "20 digits": "12345678901234567890",
    "not whole": "1.5",
    "given twice": ["3", "4"],
}


@pytest.mark.parametrize("chapter", sorted(STATUS_FOR_A_BAD_LENGTH), indirect=True)
def test_a_bad_length_is_an_error_and_the_next_good_request_works(chapter, client_of):
    reader, answers = client_of(chapter), {}
    for what, length in BAD_LENGTHS.items():
        bad = make_string(reader, chapter.name, params={"length": length})
        good = make_string(reader, chapter.name, params={"length": 5})
        answers[what] = (bad.status_code, good.status_code, is_hex_string(good.text, 5))
    status = STATUS_FOR_A_BAD_LENGTH[chapter.name]
    assert answers == {what: (status, 200, True) for what in BAD_LENGTHS}


@pytest.mark.parametrize("chapter", ["tut07", "tut08", "tut09", "tut10"], indirect=True)
def test_put_without_another_string_is_a_404_naming_it(chapter, client_of):
    response = client_of(chapter).put(service_path(chapter.name))
    assert response.status_code == 404
    assert "Missing parameters: another_string" in response.text
