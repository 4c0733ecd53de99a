"""What the journey checks on every key page: a screenshot at phone and desktop sizes, axe-core
(no serious or critical violation), no Content Security Policy violation, no script error."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, ConsoleMessage, Page

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
BLOCKING_IMPACTS = {"serious", "critical"}

# Recorded in every document before any of its own scripts runs (add_init_script is not
# subject to the page's CSP), so a violation on any page of the journey is kept until read.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
  );
});
"""

FOCUS_STYLE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    element: el.outerHTML.slice(0, 120),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
  };
}
"""


@dataclass
class PageChecks:
    """One per browser context (one per person); `key_page` is called on each key page."""

    folder: Path
    axe: Axe = field(default_factory=Axe)
    console_csp: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    counter: list[int] = field(default_factory=lambda: [0])

    def watch(self, context: BrowserContext) -> None:
        context.add_init_script(CSP_LISTENER)
        context.on("console", self._console)
        context.on("page", lambda page: page.on("pageerror", self._page_error))

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console_csp.append(f"{message.page.url if message.page else ''}: {message.text}")

    def _page_error(self, error: Exception) -> None:
        self.script_errors.append(str(error))

    def assert_clean(self, page: Page) -> None:
        """No CSP violation and no uncaught script error so far, on this page or any before."""
        in_page = page.evaluate("() => window.__cspViolations || []")
        assert not in_page, f"CSP violations on {page.url}: {in_page}"
        assert not self.console_csp, f"CSP violations reported: {self.console_csp}"
        assert not self.script_errors, f"script errors: {self.script_errors}"

    def prove_watching(self, page: Page) -> None:
        """The watch is not blind: an inline script, which the policy forbids, is reported both
        in the page and on the console; then the record is cleared."""
        page.evaluate(
            """() => { const s = document.createElement("script");
                       s.textContent = "window.__inlineRan = true"; document.body.append(s); }"""
        )
        page.wait_for_function("() => window.__cspViolations.length > 0")
        assert page.evaluate("() => window.__inlineRan") is None  # the policy blocked it
        deadline = 50
        while not self.console_csp and deadline:
            page.wait_for_timeout(100)  # waiting for the event, not a timed assertion
            deadline -= 1
        assert self.console_csp, "the console listener missed a CSP violation"
        self.console_csp.clear()
        page.evaluate("() => { window.__cspViolations = []; }")

    def key_page(self, page: Page, name: str) -> None:
        """Screenshots (phone and desktop), axe at both sizes, CSP and script errors."""
        self.counter[0] += 1
        stem = f"{self.counter[0]:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}"
        problems: list[str] = []
        for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.screenshot(path=self.folder / f"{stem}-{size_name}.png", full_page=True)
            problems += [f"[{size_name}] {p}" for p in self.axe_problems(page)]
        page.set_viewport_size(DESKTOP)
        assert not problems, f"axe on {name} ({page.url}):\n" + "\n".join(problems)
        self.assert_focus_visible(page)
        self.assert_clean(page)

    def axe_problems(self, page: Page) -> list[str]:
        violations = self.axe.run(page).response["violations"]
        return [
            f"{v['impact']} {v['id']}: {v['help']}\n"
            + "\n".join(
                f"    {json.dumps(n['target'])} {n['html'][:160]}\n"
                f"      {n.get('failureSummary', '')}"
                for n in v["nodes"][:8]
            )
            for v in violations
            if v.get("impact") in BLOCKING_IMPACTS
        ]

    @staticmethod
    def assert_focus_visible(page: Page, presses: int = 3) -> None:
        """Tab from the top of the page through its first few focusable elements (the header's
        links, the language switch): each shows an outline or a ring."""
        page.evaluate(
            """() => { const body = document.body;
                       body.tabIndex = -1; body.focus(); body.removeAttribute("tabindex"); }"""
        )  # the body focused: the next Tab goes to the first focusable element
        for _ in range(presses):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_STYLE)
            assert state is not None, f"Tab focused nothing on {page.url}"
            assert state["outline"] or state["shadow"], f"focus not visible on {page.url}: {state}"
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
