"""What the text promises, as values and checks shared by the chapter tests."""
import re

HTML = "text/html;charset=utf-8"
PLAIN = "text/plain;charset=utf-8"
# CherryPy serves .js with the type of the system's tables (/etc/mime.types, the
# Windows registry) or Python's: application/javascript up to 3.11, then
# text/javascript. Browsers run a script sent with either.
JAVASCRIPT = ("text/javascript", "application/javascript")
HEX_DIGITS = re.compile(r"[0-9a-fA-F]+")


def not_acceptable(accept):
    """What CherryPy's accept tool says when it refuses a client with a 406."""
    return (f"Your client sent this Accept header: {accept}. "
            "But this resource only emits these media types: text/plain.")


NOT_ACCEPTABLE = not_acceptable("application/json")


def is_hex_string(text, length):
    """`length` distinct hex digits (random.sample never repeats one)."""
    return bool(HEX_DIGITS.fullmatch(text)) and len(text) == len(set(text)) == length


def assert_hex_string(response, length):
    """A generated string, returned."""
    assert (response.status_code, is_hex_string(response.text, length)) == (200, True), response.text
    return response.text


def assert_plain(response, body):
    assert (response.status_code, response.headers["Content-Type"], response.text) == (
        200, PLAIN, body)


def assert_no_string_in_session(response):
    """Chapters 5-8 read a missing string with session['mystring']: KeyError, 500."""
    assert (response.status_code, response.headers["Content-Type"]) == (500, HTML)
    assert "KeyError: 'mystring'" in response.text


def assert_no_row(response):
    """Chapter 9 returns fetchone() of no row, None: CherryPy sends an empty 200."""
    assert_plain(response, "")


# Chapter 10's error answers: their message, on a line, as plain text, padded with
# spaces to this length by CherryPy for old Internet Explorers (_be_ie_unfriendly).
PADDED_TO = {400: 513, 404: 513, 405: 257, 406: 513, 500: 513}


def assert_plain_error(response, status, message):
    assert (response.status_code, response.headers["Content-Type"], response.text) == (
        status, PLAIN, (message + "\n").ljust(PADDED_TO.get(status, 0)))


def assert_no_string_404(response):
    """Chapter 10 answers a session with no string with a plain 404 that says so."""
    assert_plain_error(response, 404, "No string in this session: POST to make one.")


# How each chapter makes a string, reads it back, and answers when there is none.
MAKE = {"tut03": ("GET", "/generate"), "tut04": ("GET", "/generate"),
        "tut05": ("GET", "/generate"), "tut06": ("GET", "/generate"),
        "tut07": ("POST", "/"), "tut08": ("POST", "/generator"),
        "tut09": ("POST", "/generator"), "tut10": ("POST", "/generator")}
READ = {"tut05": "/display", "tut06": "/display", "tut07": "/",
        "tut08": "/generator", "tut09": "/generator", "tut10": "/generator"}
ASSERT_NO_STRING = {"tut05": assert_no_string_in_session, "tut06": assert_no_string_in_session,
                    "tut07": assert_no_string_in_session, "tut08": assert_no_string_in_session,
                    "tut09": assert_no_row, "tut10": assert_no_string_404}
for table in (MAKE, READ, ASSERT_NO_STRING):  # today's chapter 10 runs tut09.py
    table["react"] = table["tut09"]


def make_string(client, chapter, **kwargs):
    method, path = MAKE[chapter]
    return client.request(method, path, **kwargs)


def read_string(client, chapter):
    return client.get(READ[chapter])


def service_path(chapter):
    """Where chapters 7-10 mount the web service they POST to."""
    return MAKE[chapter][1]


def assert_json_not_acceptable(response, generated):
    """Chapter 7's "406 Not Acceptable" for JSON: CherryPy's message, not the string."""
    assert response.status_code == 406 and NOT_ACCEPTABLE in response.text
    assert generated not in response.text


def replay_pycon_session(client, path, assert_no_string=assert_no_string_in_session,
                         assert_json=assert_json_not_acceptable):
    """Chapter 7's pycon session, line by line, against the web service at `path`."""
    assert_no_string(client.get(path))
    generated = assert_hex_string(client.post(path), 8)
    assert_plain(client.get(path), generated)
    assert_json(client.get(path, headers={"Accept": "application/json"}), generated)
    assert_plain(client.put(path, params={"another_string": "hello"}), "")
    assert_plain(client.get(path), "hello")
    assert_plain(client.delete(path), "")
    assert_no_string(client.get(path))
