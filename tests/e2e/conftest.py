import os
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM

SCREENSHOTS = Path(__file__).parent / "screenshots"


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} absent : apt-get install chromium")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under tests/e2e/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        # caret="initial": Playwright would otherwise hide the text caret with an
        # inline style of its own, which our CSP refuses (a violation of the test's,
        # not the page's).
        page.screenshot(path=str(path), full_page=True, caret="initial")
        return path

    return take


# Every page reports what its Content-Security-Policy refused: the event, as it
# happens, to a function of the test's (it survives navigations, unlike a page global).
CSP_RECORDER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__siimopCspViolation(
    `${e.violatedDirective} refused ${e.blockedURI || "inline"}`
    + ` (${e.sourceFile || location.href}:${e.lineNumber}) ${e.sample || ""}`.trimEnd()
  );
}, true);
"""


@pytest.fixture(autouse=True)
def _no_csp_violation(request):
    """Fail a browser test, at teardown, on any CSP violation its pages reported
    (the securitypolicyviolation event, or Chromium's "Refused to…" console error)."""
    if "page" not in request.fixturenames:
        yield
        return
    context = request.getfixturevalue("context")
    found: list[str] = []
    context.expose_binding(
        "__siimopCspViolation", lambda source, text: found.append(f"{text}")
    )
    context.add_init_script(CSP_RECORDER)

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            found.append(f"console ({message.page and message.page.url}): {text}")

    context.on("console", on_console)
    yield
    for page in context.pages:
        if not page.is_closed():
            page.wait_for_timeout(100)  # let the last reports arrive
    if found:
        pytest.fail(
            "Content-Security-Policy violations:\n"
            + "\n".join(f"- {v}" for v in dict.fromkeys(found)),
            pytrace=False,
        )
