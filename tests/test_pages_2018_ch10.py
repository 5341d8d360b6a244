"""Today's chapter 10: the React.js page, clicked through in headless Chromium.

Every test fails if the page logs anything but React 0.13's one line of its
own (listed in the README), or throws.
"""
import re

import pytest
from browser_fixtures import (
    assert_all_local,
    expect,
    read_string_from_the_server,
)

pytestmark = pytest.mark.browser
# What the page writes to the console: React's development build, once a load.
REACT_SAYS = [("debug", "Download the React DevTools for a better development experience: "
                        "https://fb.me/react-devtools")]
HEX = r"[0-9a-fA-F]"


@pytest.fixture
def react_page(react, page):
    """The page loaded and rendered; on teardown, what it logged is checked."""
    console = []
    page.on("console", lambda message: console.append((message.type, message.text)))
    page.on("pageerror", lambda error: console.append(("pageerror", str(error))))
    page.goto(react.url + "/")
    expect(page.get_by_role("button", name="Give it now!")).to_be_visible()
    yield page
    assert console == REACT_SAYS


def give_it_now(page, length):
    page.fill("input", str(length))
    page.click("text=Give it now!")
    expect(page.get_by_role("button", name="Replace")).to_be_visible()
    expect(page.locator("input")).to_have_value(re.compile(f"^{HEX}{{{length}}}$"))
    return page.input_value("input")


def click_and_wait_for(page, button, method):
    """Click `button`; return the status of the request it sends with `method`."""
    with page.expect_response(lambda response: response.request.method == method) as sent:
        page.click(f"text={button}")
    return sent.value.status


def test_the_form_shows_with_length_8_and_one_button(react_page):
    expect(react_page.locator("input")).to_have_value("8")
    expect(react_page.get_by_role("button")).to_have_text(["Give it now!"])


def test_give_it_now_shows_a_string_the_server_holds_for_this_session(react_page, picture):
    generated = give_it_now(react_page, 12)
    expect(react_page.get_by_role("button")).to_have_text(["Replace", "Delete it"])
    picture("2018-ch10-react.png")
    assert read_string_from_the_server(react_page) == [200, generated]


def test_replace_makes_the_server_hold_exactly_the_edited_text(react_page):
    give_it_now(react_page, 8)
    react_page.fill("input", "typed by the reader")
    assert click_and_wait_for(react_page, "Replace", "PUT") == 200
    expect(react_page.locator("input")).to_have_value("typed by the reader")
    assert read_string_from_the_server(react_page) == [200, "typed by the reader"]


def test_spaces_typed_at_the_end_vanish_as_gen_js_trims_every_keystroke(react_page):
    generated = give_it_now(react_page, 8)
    react_page.click("input")
    react_page.keyboard.press("End")
    react_page.keyboard.type(" a b ")
    expect(react_page.locator("input")).to_have_value(generated + "ab")
    assert click_and_wait_for(react_page, "Replace", "PUT") == 200
    assert read_string_from_the_server(react_page) == [200, generated + "ab"]


def test_delete_it_brings_the_form_back_and_the_server_holds_nothing(react_page):
    give_it_now(react_page, 8)
    assert click_and_wait_for(react_page, "Delete it", "DELETE") == 200
    expect(react_page.get_by_role("button")).to_have_text(["Give it now!"])
    expect(react_page.locator("input")).to_have_value("8")
    assert read_string_from_the_server(react_page) == [200, ""]  # chapter 9: no row


def test_every_request_goes_to_this_server_for_the_local_libraries(react, page, requested):
    page.goto(react.url + "/")
    give_it_now(page, 6)
    assert_all_local(requested, react)
    paths = [url[len(react.url):] for url in requested]
    assert sorted(paths) == sorted(["/", "/static/css/style.css", "/static/js/react-0.13.3.js",
                            "/static/js/jquery-3.8.0.min.js",
                            "/static/js/babel-core-5.8.23-browser.min.js", "/static/js/gen.js",
                            "/generator"])
