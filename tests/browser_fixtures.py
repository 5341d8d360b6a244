"""Fixtures for the pages in headless Chromium (Playwright), shared by the
browser test modules through conftest.py. Nothing here imports Playwright:
without it, the browser test modules skip (fail in CI) before using these.
"""
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
# pytest-playwright 0.10 defines its fallback `base_url` fixture as a method,
# which pytest 9.2 deprecates when it is used; nothing here uses base_url. A mark
# on the browser test modules, as a mark outranks `-W error` (pytest.ini would not).
KNOWN_WARNINGS = pytest.mark.filterwarnings(
    "ignore:Session-scoped fixtures defined as instance methods are deprecated"
    ":pytest.PytestDeprecationWarning")


def browser_unavailable(reason):
    """Skip on a reader's machine; fail in CI, where every browser test must run."""
    message = f"browser tests not run: {reason}; {HOW_TO_ENABLE}"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)


def require_playwright():
    """Call at the top of a browser test module."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        browser_unavailable("playwright is not installed")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium where there is one, else the one Playwright installed:
    not any `chromium` on the PATH (Homebrew's, Scoop's), untried here, while
    Playwright's own is the build its version was made for."""
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    if DEBIANS_CHROMIUM.exists():
        args["executable_path"] = str(DEBIANS_CHROMIUM)
    return args


@pytest.fixture(scope="session")
def browser(launch_browser):
    from playwright.sync_api import Error as PlaywrightError
    try:
        browser = launch_browser()
    except PlaywrightError as error:
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
    """A new page with no cookies, so a session of its own, in one shared context
    (a context per test costs more than the test)."""
    browser_context.clear_cookies()
    page = browser_context.new_page()
    yield page
    page.close()


@pytest.fixture
def requested(page):
    """Every URL the page asks for."""
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


def read_string_from_the_server(page):
    """GET /generator from the page itself, so with the browser's session cookie."""
    return page.evaluate("""async () => {
        const response = await fetch('/generator');
        return [response.status, await response.text()];
    }""")


def assert_all_local(urls, server):
    assert urls and all(url.startswith(server.url + "/") for url in urls), urls
