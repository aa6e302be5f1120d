"""Measurements the browser tests make inside the page: geometry of the widget and WCAG contrast ratios.

Contrast follows WCAG 2.1: relative luminance of sRGB colours, backgrounds composited from the element up through
its ancestors over white (semi-transparent layers blended), (L1 + 0.05) / (L2 + 0.05).
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

_LIB = """() => {
  const parse = (c) => { const m = (c.match(/[\\d.]+/g) || []).map(Number);
                          return {r: m[0] || 0, g: m[1] || 0, b: m[2] || 0, a: m.length > 3 ? m[3] : 1}; };
  const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const lum = (c) => 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const over = (top, under) => ({r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
                                 b: top.b * top.a + under.b * (1 - top.a), a: 1});
  const background = (el) => {
    const layers = [];
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c.a > 0) layers.push(c);
      if (c.a >= 1) break;
    }
    return layers.reverse().reduce((under, top) => over(top, under), {r: 255, g: 255, b: 255, a: 1});
  };
  const q = (s) => document.querySelector(s);
  const box = (el) => { const r = el.getBoundingClientRect();
                        return {x: r.x, y: r.y, width: r.width, height: r.height, right: r.right, bottom: r.bottom}; };
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
                            return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
  const viewport = () => ({width: window.visualViewport ? visualViewport.width : innerWidth,
                           height: window.visualViewport ? visualViewport.height : innerHeight});
  /* the part of the screen where messages show: below the header (and a notice), above the input when that
     overlays the list (sticky) or below it; clipped to the panel and the viewport */
  const messageArea = () => {
    const header = q('.jlw-header').getBoundingClientRect();
    const notice = q('.jlw-notice');
    const log = q('.jlw-log').getBoundingClientRect();
    const panel = q('#jlw-panel').getBoundingClientRect();
    const form = q('.jlw-form');
    const vp = viewport();
    let top = Math.max(header.bottom, log.top, 0);
    if (notice && !notice.hidden) top = Math.max(top, notice.getBoundingClientRect().bottom);
    let bottom = Math.min(log.bottom, panel.bottom, vp.height);
    if (getComputedStyle(form).position === 'sticky') bottom = Math.min(bottom, form.getBoundingClientRect().top);
    return {top, bottom, height: bottom - top, viewport: vp};
  };
  return {parse, ratio, background, q, box, visible, viewport, messageArea};
}"""


def js(page: Page, body: str, arg: Any = None) -> Any:
    """Run body (a function of M, the helpers, and arg) in the page."""
    return page.evaluate(f"([arg]) => {{ const M = ({_LIB})(); return ({body})(M, arg); }}", [arg])


def message_area(page: Page) -> dict[str, Any]:
    return js(page, "(M) => M.messageArea()")


def box(page: Page, selector: str) -> dict[str, float]:
    return js(page, "(M, s) => M.box(M.q(s))", selector)


def text_contrast(page: Page, selector: str) -> list[dict[str, Any]]:
    """Contrast of the text of every visible element matching selector against its background."""
    return js(page, """(M, s) => [...document.querySelectorAll(s)].filter(M.visible).map(el => ({
        what: s, text: el.textContent.trim().slice(0, 20),
        ratio: M.ratio(M.parse(getComputedStyle(el).color), M.background(el))}))""", selector)


def border_contrast(page: Page, selector: str) -> list[dict[str, Any]]:
    """Contrast of each matching element's border against what surrounds it (its parent's background)."""
    return js(page, """(M, s) => [...document.querySelectorAll(s)].filter(M.visible).map(el => ({
        what: s, text: (el.textContent || el.placeholder || '').trim().slice(0, 20),
        width: parseFloat(getComputedStyle(el).borderTopWidth),
        ratio: M.ratio(M.parse(getComputedStyle(el).borderTopColor), M.background(el.parentElement))}))""", selector)


def focus_ring(page: Page, selector: str) -> dict[str, Any]:
    """Focus the element as a keyboard user would see it (:focus-visible) and measure its outline against the
    background around it."""
    page.keyboard.press("Shift")  # a keyboard interaction first: programmatic focus then shows :focus-visible
    return js(page, """(M, s) => { const el = M.q(s); el.focus(); const st = getComputedStyle(el);
        return {what: s, focusVisible: el.matches(':focus-visible'), style: st.outlineStyle,
                width: parseFloat(st.outlineWidth),
                ratio: M.ratio(M.parse(st.outlineColor), M.background(el.parentElement))}; }""", selector)


def targets(page: Page, scope: str = ".jlw") -> list[dict[str, Any]]:
    """Every visible button, link and rating option in scope, with its size."""
    return js(page, """(M, scope) => [...document.querySelectorAll(
        scope + ' button, ' + scope + ' a[href], ' + scope + ' label.jlw-rate-opt')].filter(M.visible).map(el => {
          const r = el.getBoundingClientRect();
          return {text: (el.getAttribute('aria-label') || el.textContent).trim().slice(0, 24),
                  width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10}; })""", scope)


def reachable(page: Page, selector: str) -> bool:
    """The element lies within the viewport and is what a tap at its centre hits."""
    return js(page, """(M, s) => { const el = M.q(s); const r = el.getBoundingClientRect(); const vp = M.viewport();
        if (r.top < 0 || r.left < 0 || r.bottom > vp.height + 0.5 || r.right > vp.width + 0.5) return false;
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return hit === el || el.contains(hit); }""", selector)


def no_horizontal_scroll(page: Page) -> dict[str, Any]:
    """Reflow (WCAG 1.4.10): nothing wider than the viewport, in the page or inside the panel."""
    return js(page, """(M) => { const vw = M.viewport().width;
        const wide = [...document.querySelectorAll('.jlw *')].filter(M.visible)
          .filter(el => el.getBoundingClientRect().right > vw + 0.5).map(el => el.className || el.tagName);
        const scrollers = ['#jlw-panel', '.jlw-log'].map(s => M.q(s)).filter(Boolean)
          .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.className);
        return {page: document.documentElement.scrollWidth <= vw + 0.5, wide: wide.slice(0, 5), scrollers}; }""")


def latest_answer(page: Page) -> dict[str, Any]:
    """Where the latest answer (the bot's messages after the last question) is, against the message area."""
    return js(page, """(M) => {
        const rows = [...document.querySelectorAll('.jlw-msg:not(.jlw-typing)')];
        let i = rows.length - 1;
        while (i > 0 && !rows[i - 1].classList.contains('jlw-from-user')) i--;
        const first = rows[i].getBoundingClientRect(), last = rows[rows.length - 1].getBoundingClientRect();
        return {area: M.messageArea(), top: first.top, bottom: last.bottom, text: rows[i].textContent.slice(0, 30)};
    }""")
