"""Checks run on pages of the browser journeys: axe-core, reflow at 320px, and keyboard moves."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SURVEY_FILE = ROOT / "surveys" / "keep-it-local.yaml"

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = ("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, "
           "resultTypes: ['violations']})")  # details for violations only: quicker


def axe_violations(page, label: str) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page, one line each: page, rule id, help and the targets.

    Needs a context made with bypass_csp=True: add_script_tag(path=...) inserts an inline script, which the
    app's Content-Security-Policy (script-src 'self') rightly blocks.
    """
    page.wait_for_load_state("load")  # a click waits only for the next page to commit, not its CSS
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(RUN_AXE, WCAG_TAGS)
    return [f"{label} ({page.url}): {v['id']} [{v['impact']}] {v['help']}: "
            + ", ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                        for node in v["nodes"])
            for v in result["violations"]]


def format_violations(violations: list[str]) -> str:
    return "axe-core found WCAG 2.2 AA violations:\n" + "\n".join(violations)


def scroll_width(page) -> int:
    page.wait_for_load_state("load")
    return page.evaluate("() => document.documentElement.scrollWidth")


FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), type: el.type || '', text: (el.innerText || el.value || '').trim(),
          outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
          outlineColor: style.outlineColor, boxShadow: style.boxShadow};
}"""


def focus_is_visible(page) -> bool:
    """The focused element shows an outline (not 'none', not transparent) or a box shadow."""
    style = page.evaluate(FOCUS_STYLE)
    outline = (style["outline"] != "none" and style["outlineWidth"] > 0
               and style["outlineColor"] not in ("transparent", "rgba(0, 0, 0, 0)"))
    return outline or style["boxShadow"] != "none"


ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = el.labels && el.labels.length ? el.labels[0].innerText.trim() : '';
  return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', id: el.id || '',
          value: el.value || '', label: label, text: (el.innerText || '').trim()};
}"""


def active(page) -> dict | None:
    return page.evaluate(ACTIVE)


def tab_to(page, matches, *, backwards: bool = False, limit: int = 60) -> dict:
    """Press Tab (or Shift+Tab) until the focused element satisfies `matches`; return its description."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        element = active(page)
        if element and matches(element):
            return element
    raise AssertionError(f"{key} pressed {limit} times without reaching the element on {page.url}")


def is_button(text: str):
    return lambda el: el["tag"] == "button" and el["text"].startswith(text)


def is_link(text: str):
    return lambda el: el["tag"] == "a" and el["text"].startswith(text)


def is_field(name: str, type_: str | None = None):
    return lambda el: el["name"] == name and (type_ is None or el["type"] == type_)


OPTION_LAYOUT = """() => [...document.querySelectorAll('input[type=radio], input[type=checkbox]')]
  .filter(input => input.offsetParent !== null)
  .map(input => {
    const box = input.getBoundingClientRect();
    const label = input.labels && input.labels[0] ? input.labels[0].getBoundingClientRect() : null;
    return {id: input.id, width: box.width, height: box.height,
            beside: !!label && label.left >= box.right && label.top < box.bottom};
  })"""


def option_problems(page, label: str) -> list[str]:
    """Radios and checkboxes smaller than 24px (WCAG 2.2 target size, not counting on spacing) or with
    their label not beside them: the styles for the options did not apply."""
    page.wait_for_load_state("load")
    return [f"{label} ({page.url}): #{o['id']} is {o['width']:.0f}x{o['height']:.0f}px"
            + ("" if o["beside"] else ", its label is not beside it")
            for o in page.evaluate(OPTION_LAYOUT)
            if o["width"] < 24 or o["height"] < 24 or not o["beside"]]
