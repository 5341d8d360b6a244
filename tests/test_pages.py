"""The pages of chapters 4, 6, 8, 9 and 10, clicked through in headless Chromium.

Needs `pip install -r requirements-browser.txt` and a Chromium: Debian's
(`apt-get install chromium`) or Playwright's (`python -m playwright install chromium`).
"""
import re

import pytest
from browser_fixtures import (
    assert_all_local,
    expect,
    read_string_from_the_server,
)

pytestmark = pytest.mark.browser


def test_tut04_form_gives_a_string_of_the_typed_length(page, tut04, requested, picture):
    page.goto(tut04.url + "/")
    page.fill("input[name='length']", "12")
    picture("tut04-form.png")
    page.click("text=Give it now!")
    expect(page).to_have_url(tut04.url + "/generate?length=12")
    expect(page.locator("body")).to_have_text(re.compile(r"^[0-9a-fA-F]{12}$"))
    assert_all_local(requested, tut04)


def test_tut06_page_is_blue_with_the_stylesheet_from_static(page, tut06, picture):
    with page.expect_response(tut06.url + "/static/css/style.css") as stylesheet:
        page.goto(tut06.url + "/")
    assert stylesheet.value.status == 200
    expect(page.locator("body")).to_have_css("background-color", "rgb(0, 0, 255)")
    picture("tut06-blue.png")


# After Delete, GET answers as each chapter's code does (see the README).
AJAX_CHAPTERS = {"tut08": 500, "tut09": 200, "tut10": 404}


on_each_ajax_page = pytest.mark.parametrize("chapter", sorted(AJAX_CHAPTERS), indirect=True)


@pytest.fixture
def ajax_page(chapter, page):
    page.goto(chapter.url + "/")
    return chapter, page


@on_each_ajax_page
def test_the_string_is_hidden_at_first(ajax_page):
    _, page = ajax_page
    expect(page.locator("#the-string")).to_be_hidden()


def give_it_now(page, length):
    page.fill("input[name='length']", str(length))
    page.click("#generate-string")
    expect(page.locator("#the-string")).to_be_visible()
    expect(page.locator("#the-string input")).to_have_value(
        re.compile(r"^[0-9a-fA-F]{%d}$" % length))
    return page.input_value("#the-string input")


@on_each_ajax_page
def test_give_it_now_shows_a_string_of_the_typed_length(ajax_page, picture):
    server, page = ajax_page
    generated = give_it_now(page, 12)
    assert read_string_from_the_server(page) == [200, generated]
    if server.name == "tut08":
        picture("tut08-ajax.png")


@on_each_ajax_page
def test_replace_stores_exactly_what_was_typed_and_says_replaced(ajax_page):
    server, page = ajax_page
    give_it_now(page, 8)
    page.fill("#the-string input", "typed by the reader")
    page.once("dialog", lambda dialog: dialog.accept())  # an open alert blocks the page
    with page.expect_event("dialog") as alert:
        page.click("#replace-string")
    assert (alert.value.type, alert.value.message) == ("alert", "Replaced!")
    assert read_string_from_the_server(page) == [200, "typed by the reader"]


@on_each_ajax_page
def test_delete_hides_the_string_and_the_server_forgets_it(ajax_page):
    server, page = ajax_page
    generated = give_it_now(page, 8)
    page.click("#delete-string")
    expect(page.locator("#the-string")).to_be_hidden()
    status, text = read_string_from_the_server(page)
    assert status == AJAX_CHAPTERS[server.name] and generated not in text


@on_each_ajax_page
def test_no_request_of_the_page_leaves_this_server(ajax_page, requested):
    server, page = ajax_page
    page.reload()
    give_it_now(page, 6)
    assert_all_local(requested, server)
    assert server.url + "/static/js/jquery-3.8.0.min.js" in requested
