"""The pages in headless Chromium, driven by Playwright (conftest.py's pytest_plugins).
Without it, or without a Chromium, the browser tests are left out, saying how to run
them; in CI (CI=true) they run, and fail."""
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


@pytest.hookimpl(trylast=True)  # after --chapter and --from have chosen
def pytest_collection_modifyitems(config, items):
    """Without Playwright or Chromium, the browser tests are left out, and said so once."""
    browser = [item for item in items if item.get_closest_marker("browser")]
    config.no_browser = browser and os.environ.get("CI") != "true" and why_no_browser()
    if config.no_browser:
        config.hook.pytest_deselected(items=browser)
        items[:] = [item for item in items if item not in browser]
        config.no_browser = f"{len(browser)} browser tests not run: {config.no_browser}; {HOW_TO_ENABLE}"


def pytest_terminal_summary(terminalreporter, config):
    if getattr(config, "no_browser", None):
        terminalreporter.write_line(config.no_browser)


def why_no_browser():
    """Why the browser tests cannot run here, or None."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "playwright is not installed"
    if not DEBIANS_CHROMIUM.exists():
        with sync_playwright() as playwright:
            if not Path(playwright.chromium.executable_path).exists():
                return "Playwright's Chromium is not installed"
    return None


@pytest.fixture(scope="session")
def browser_context():
    """Debian's Chromium where there is one, else Playwright's own (not any other on the PATH)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        executable = str(DEBIANS_CHROMIUM) if DEBIANS_CHROMIUM.exists() else None
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser.new_context()
        browser.close()


@pytest.fixture
def page(browser_context):
    """A new page with no cookies, so a session of its own, in one shared context."""
    browser_context.clear_cookies()
    page = browser_context.new_page()
    page.set_default_timeout(10_000)  # each wait, in ms: a broken chapter fails in seconds
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
