"""Tutorial 10 against hostile input: what each bad request gets, and storage
bounded by live sessions."""
import pytest
from expected import assert_plain_error

JSON = {"Accept": "application/json"}
NOT_ACCEPTABLE = ("Your client sent this Accept header: application/json;q=0. "
                  "But this resource only emits these media types: text/plain.")
ERRORS = {  # what a request gets: (method, path, request arguments, status, message)
    "no string yet": ("GET", "/generator", {}, 404,
                      "No string in this session: POST to make one."),
    "no string yet, at the JSON till": ("GET", "/generator", {"headers": JSON}, 404,
                                        "No string in this session: POST to make one."),
    "PUT without another_string": ("PUT", "/generator", {}, 404,
                                   "Missing parameters: another_string"),
    "a page that is not there": ("GET", "/nothing", {}, 404,
                                 "The path '/nothing' was not found."),
    "an HTTP method it has no code for": ("PATCH", "/generator", {}, 405,
                                          "Specified method is invalid for this resource"),
    "JSON refused at the plain till": (
        "GET", "/generator", {"headers": {"Accept": "application/json;q=0"}}, 406,
        NOT_ACCEPTABLE),
    "an error CherryPy did not expect": (  # a multipart body with no boundary
        "POST", "/generator", {"data": b"length=5",
                               "headers": {"Content-Type": "multipart/form-data"}}, 500,
        "The server encountered an unexpected condition which prevented it from "
        "fulfilling the request."),
}


@pytest.mark.parametrize("method, path, arguments, status, message", ERRORS.values(),
                         ids=ERRORS.keys())
def test_every_error_answer_is_its_message_as_plain_text_without_a_traceback(
        tut10, client_of, method, path, arguments, status, message):
    response = client_of(tut10).request(method, path, **arguments)
    assert_plain_error(response, status, message)


def test_the_traceback_of_an_unexpected_error_goes_to_the_log(tut10, client_of):
    boundary = "the-log-shows-this-" * 11  # CherryPy refuses a boundary over 200 characters
    response = client_of(tut10).post("/generator", data=b"length=5", headers={
        "Content-Type": "multipart/form-data; boundary=" + boundary})
    assert response.status_code == 500 and "Traceback" not in response.text
    assert f"ValueError: Invalid boundary in multipart form: {boundary!r}" in tut10.log()
