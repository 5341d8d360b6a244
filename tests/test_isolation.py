"""Nobody sees another reader's string: not another session, not a forged cookie."""
import pytest
from expected import ASSERT_NO_STRING, make_string, read_string

SESSION_CHAPTERS = sorted(ASSERT_NO_STRING)


def forged_ids(real_id):
    return {
        "made-up, well formed": "0123456789abcdef" * 2 + "01234567",
        "one digit off a real one": real_id[:-1] + ("0" if real_id[-1] != "0" else "1"),
        "a path": "../../etc/passwd",
        "very long": "x" * 4000,
        "empty": "",
    }


@pytest.mark.parametrize("chapter", SESSION_CHAPTERS, indirect=True)
def test_a_second_reader_does_not_see_the_first_readers_string(chapter, client_of):
    name = chapter.name
    first, second = client_of(chapter), client_of(chapter)
    make_string(first, name)
    ASSERT_NO_STRING[name](read_string(second, name))


@pytest.mark.parametrize("chapter", SESSION_CHAPTERS, indirect=True)
def test_a_forged_session_cookie_gets_a_fresh_empty_session(chapter, client_of):
    name = chapter.name
    owner = client_of(chapter)
    make_string(owner, name)
    for what, forged in forged_ids(owner.cookies["session_id"]).items():
        intruder = client_of(chapter)
        intruder.cookies.set("session_id", forged)
        response = read_string(intruder, name)
        ASSERT_NO_STRING[name](response)
        fresh = response.cookies.get("session_id")
        assert fresh and fresh not in (forged, owner.cookies["session_id"]), what
