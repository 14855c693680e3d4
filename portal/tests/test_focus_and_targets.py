"""In a real browser: the focus ring contrasts at least 3:1 with every background it sits on
(WCAG 1.4.11), the login page's "forgot password" link is a 24 px target (WCAG 2.5.8), and the
marketplace's and the registry's "skip to results" link moves the keyboard to the results."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser]


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colours(css: str) -> list[tuple[int, int, int]]:
    return [tuple(int(v) for v in m) for m in re.findall(r"rgba?\((\d+), (\d+), (\d+)", css)]


FOCUS_STYLE = """el => {
  const style = getComputedStyle(el);
  let node = el.parentElement, background = 'rgb(255, 255, 255)';
  while (node) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') { background = bg; break; }
    node = node.parentElement;
  }
  return {outline: style.outlineColor, width: style.outlineWidth, shadow: style.boxShadow,
          background: background};
}"""


def test_the_focus_ring_contrasts_with_every_background(e2e, browser):
    page = browser.new_context(locale="id-ID").new_page()
    page.goto(f"{e2e}/akun/login/")
    checked = 0
    for selector in ("header a.brand", "main a", "main input[name=login]", "main button"):
        element = page.locator(selector).first
        element.focus()
        page.keyboard.press("Shift+Tab")  # focus by keyboard, so :focus-visible applies
        page.keyboard.press("Tab")
        style = element.evaluate(FOCUS_STYLE)
        (background,) = colours(style["background"])
        rings = colours(style["outline"]) + colours(style["shadow"])
        best = max(contrast(ring, background) for ring in rings)
        assert best >= 3, (selector, style, best)
        checked += 1
    assert checked == 4


def test_the_forgot_password_link_is_a_24px_target(e2e, browser):
    page = browser.new_context(locale="id-ID").new_page()
    page.goto(f"{e2e}/akun/login/")
    link = page.locator("a[href='/akun/password/reset/']").first
    box = link.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 24, box


@pytest.mark.parametrize("path", ["/pasar/", "/kerja-sama/"])
def test_skip_to_results_moves_the_keyboard_to_the_results(e2e, browser, path):
    page = browser.new_context(locale="id-ID").new_page()
    page.goto(f"{e2e}{path}")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#hasil"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "hasil"
