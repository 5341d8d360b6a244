"""The pages in headless Chromium, driven by Playwright (conftest.py's pytest_plugins),
imported only when a browser test runs: without it, or without a Chromium, those
tests skip (fail in CI) with a line saying how to run them."""
import os
from pathlib import Path

import pytest
from printed import REPO

HOW_TO_ENABLE = ("to run them: python -m pip install -r requirements-browser.txt, and a "
                 "Chromium: sudo apt install chromium (Debian, Ubuntu), or elsewhere "
                 "python -m playwright install chromium")
DEBIANS_CHROMIUM = Path("/usr/bin/chromium")  # apt install chromium
PICTURE = {"x": 0, "y": 0, "width": 400, "height": 90}  # where the pages draw
# Without these, Chromium tries to reach Google's hosts, which a closed network refuses.
CHROMIUM_ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-sync",
                 "--disable-component-update", "--no-first-run", "--disable-quic"]


def browser_unavailable(reason):
    """Skip on a reader's machine; fail in CI, where every browser test must run."""
    message = f"browser tests not run: {reason}; {HOW_TO_ENABLE}"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium where there is one, else Playwright's own (not any other on the PATH)."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        browser_unavailable("playwright is not installed")
    with sync_playwright() as playwright:
        executable = str(DEBIANS_CHROMIUM) if DEBIANS_CHROMIUM.exists() else None
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as error:
            browser_unavailable(f"Chromium could not be launched ({str(error).splitlines()[0]})")
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def browser_context(browser):
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    """A new page with no cookies, so a session of its own, in one shared context."""
    browser_context.clear_cookies()
    page = browser_context.new_page()
    yield page
    page.close()


def expect(target):  # Playwright's assertions, which wait for the page
    from playwright.sync_api import expect
    return expect(target)


@pytest.fixture
def requested(page):  # every URL the page asks for
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


@pytest.fixture
def picture(page, pytestconfig):
    """Save a screenshot under docs/ when run with --screenshots."""
    def save(name):
        if pytestconfig.getoption("screenshots"):
            page.screenshot(path=str(REPO / "docs" / name), clip=PICTURE)

    return save


def read_string_from_the_server(page):  # with the browser's session cookie
    return page.evaluate("""async () => {
        const response = await fetch('/generator');
        return [response.status, await response.text()];
    }""")


def assert_all_local(urls, server):
    assert urls and all(url.startswith(server.url + "/") for url in urls), urls
