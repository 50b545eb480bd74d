"""The HTML report in headless Chromium (Debian's /usr/bin/chromium via Playwright).

Opens real reports from file:// URLs and checks what a reviewer does: read the
summary, filter, open a flag and see its source lit, navigate with j/k, record
decisions that survive a reload, export them and feed them back as a baseline.
Every page must load without console errors or CSP violations.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import os
import tempfile

import pytest

from tests.resources import require

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
# Screenshots go to $MTCHECK_SCREENSHOTS when set (to look at them), else to a temporary
# directory: the suite never writes into the working tree.
SHOTS = Path(os.environ.get("MTCHECK_SCREENSHOTS") or tempfile.mkdtemp(prefix="mtcheck-shots-"))

pytestmark = pytest.mark.browser


def expect(locator):
    """Playwright's auto-waiting assertions (imported late: Playwright is optional)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture(scope="module")
def browser():
    require(CHROMIUM.exists(), "Debian chromium is not installed at /usr/bin/chromium")
    require(importlib.util.find_spec("playwright") is not None, "Playwright is not installed (pip install playwright)")
    from playwright import sync_api

    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


class Page:
    """A page plus everything it logged."""

    def __init__(self, browser, path: Path, width: int = 1280):
        self.context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.url = path.as_uri()
        self.open()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.accept()

    def open(self):
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready=true]", timeout=60_000)

    def close(self):
        self.context.close()


@pytest.fixture
def open_page(browser, tmp_path):
    pages = []

    def factory(report: dict, name: str = "report.html", width: int = 1280) -> Page:
        from mtcheck.report import html

        path = tmp_path / name
        path.write_text(html.render(report), encoding="utf-8")
        p = Page(browser, path, width)
        pages.append(p)
        return p

    yield factory
    for p in pages:
        assert p.console == [], p.console
        p.close()


def _visible_cards(page):
    return page.locator("#seg-list .flag-card")


def _screenshot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    out = SHOTS / name
    page.screenshot(path=str(out), full_page=False)
    assert out.stat().st_size > 10_000


def test_summary_and_first_page(open_page):
    from tests.fixtures.reports.factory import make_report

    p = open_page(make_report())
    page = p.page
    assert page.locator("#mean-score").inner_text() == "58.5"
    assert page.locator("#severity-counts").inner_text().split() == [
        "Flags", "by", "severity", "critical", "3", "major", "4", "minor", "3", "total", "10"]
    assert page.locator("#histogram g.bar").count() == 10
    assert page.locator("#seg-list article.seg").count() == 14
    assert _visible_cards(page).count() == 10
    assert page.locator("#status").inner_text().startswith("Showing segments 1–14 of 14")
    # Omission and addition are shown in place.
    assert page.locator("#seg-list .missing", has_text="missing in the MT (omission)").count() == 1
    assert page.locator("#seg-list .missing", has_text="not in the source (addition)").count() == 1
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll('input, select, textarea'))
        .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.outerHTML)""")
    assert unlabelled == []
    _screenshot(page, "summary.png")


def test_filters_search_and_document_links(open_page):
    from tests.fixtures.reports.factory import make_report

    page = open_page(make_report()).page
    for sev in ("major", "minor"):
        page.locator(f"#filters input[name=sev][value={sev}]").uncheck()
    cards = _visible_cards(page)
    assert cards.count() == 3
    assert set(cards.locator(".sev").all_inner_texts()) == {"CRITICAL"}
    assert page.locator("#seg-list article.seg").count() == 3
    page.locator("#filters input[name=cat][value='accuracy/omission']").uncheck()
    assert cards.count() == 2
    page.locator("#reset").click()
    expect(page.locator("#seg-list article.seg")).to_have_count(14)
    page.locator("#filters input[name=label][value=good]").uncheck()
    page.locator("#filters input[name=label][value=review]").uncheck()
    assert page.locator("#seg-list article.seg").count() == 6
    page.locator("#reset").click()
    page.fill("#score-min", "60")
    page.fill("#score-max", "80")
    page.locator("#score-max").dispatch_event("change")
    assert sorted(page.locator("#seg-list .score").all_inner_texts()) == ["score 61.0", "score 71.0"]
    page.locator("#reset").click()
    page.fill("#search", "резину")
    expect(page.locator("#seg-list article.seg")).to_have_count(1)
    assert "pull the rubber" in page.locator("#seg-list article.seg").inner_text()
    page.fill("#search", "")
    page.locator("#order").select_option("worst")
    expect(page.locator("#seg-list article.seg")).to_have_count(14)
    first_scores = page.locator("#seg-list .score").all_inner_texts()[:3]
    assert first_scores == ["score 0.0", "score 22.0", "score 31.0"]
    page.locator("#order").select_option("doc")
    page.locator("#documents a[data-doc='1']").click()
    expect(page.locator("#seg-list article.seg")).to_have_count(7)
    assert set(page.locator("#seg-list .seg-head .doc").all_inner_texts()) == {"moscow-meeting"}
    page.locator("#reset").click()
    expect(page.locator("#seg-list article.seg")).to_have_count(14)
    page.locator("#documents a[data-doc='1']").click()  # same link again: no hashchange, still filters
    expect(page.locator("#seg-list article.seg")).to_have_count(7)


def test_open_flag_lights_source_and_keyboard_navigation(open_page):
    from tests.fixtures.reports.factory import make_report

    page = open_page(make_report()).page
    mark = page.locator("#seg-list mark[tabindex]", has_text="pull the rubber")
    mark.hover()
    src = page.locator("#seg-list mark.src-span", has_text="не тяни резину")
    assert "lit" in src.get_attribute("class")
    mark.click()
    card = page.locator("#seg-list details.flag-card[open]")
    assert card.count() == 1
    body = card.inner_text()
    for text in ("style/literal-idiom", "91%", "Russian idiom rendered literally in quoted speech",
                 "idiom meaning", "to drag things out, to procrastinate", "back-translation",
                 "stop dragging your feet", "inside quoted speech"):
        assert text in body
    assert page.evaluate("document.activeElement.classList.contains('flag-head')")
    assert "lit" in src.get_attribute("class")  # focus on the card keeps its source lit
    # j/k walk the flags in page order.
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.textContent").find("Russian idiom") >= 0
    page.keyboard.press("j")
    assert "Number differs" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("k")
    assert "Russian idiom" in page.evaluate("document.activeElement.textContent")
    numbers = page.locator("#seg-list details.flag-card", has_text="Number differs")
    numbers.locator("summary").click()
    assert "2500 != 25000" in numbers.inner_text()  # numbers compared
    assert "source: 2,5 тыс.; mt: 25 thousand" in numbers.inner_text()
    # Typing j in the search box does not navigate.
    page.focus("#search")
    page.keyboard.press("j")
    assert page.input_value("#search") == "j"


def test_keyboard_navigation_crosses_pages(open_page):
    from tests.fixtures.reports.factory import PAIRS, build_document, to_report_dict

    page = open_page(to_report_dict([build_document("long", PAIRS * 3)])).page
    page.locator("#page-size").select_option("25")
    page.locator("#only-flagged").check()
    # 27 flagged segments with 30 flags: 25 segments on page 1, 2 on page 2.
    assert page.locator("#seg-list article.seg").count() == 25
    page.locator("#segments-h").click()  # leave the checkbox: keys typed in form fields do not navigate
    page.keyboard.press("k")  # no flag focused: k goes to the last flag of the page
    last_on_page_1 = page.evaluate("document.activeElement.parentNode.id")
    page.keyboard.press("j")
    assert "page 2 of 2" in page.locator("#status").inner_text()
    first_on_page_2 = page.evaluate("document.activeElement.parentNode.id")
    assert page.locator("#seg-list summary.flag-head").first.evaluate("e => e === document.activeElement")
    assert int(first_on_page_2.split("-")[1]) > int(last_on_page_1.split("-")[1])
    page.keyboard.press("k")
    assert "page 1 of 2" in page.locator("#status").inner_text()
    assert page.evaluate("document.activeElement.parentNode.id") == last_on_page_1


def test_decisions_persist_export_and_feed_the_gate(open_page, tmp_path):
    from mtcheck.baseline import load_baseline
    from mtcheck.gate import Thresholds, evaluate
    from tests.fixtures.reports.factory import make_report

    report = make_report()
    p = open_page(report)
    page = p.page
    assert page.locator("#export").is_disabled()
    idiom = page.locator("#seg-list details.flag-card", has_text="Russian idiom rendered")
    idiom.locator("summary").click()
    idiom.get_by_role("button", name="Accept").click()
    numbers = page.locator("#seg-list details.flag-card", has_text="Number differs")
    numbers.locator("summary").click()
    numbers.get_by_role("button", name="Dismiss").click()
    assert "decided-dismissed" in page.locator("#seg-list mark[tabindex]", has_text="25 thousand").get_attribute("class")
    omission = page.locator("#seg-list details.flag-card", has_text="no translation")
    omission.locator("summary").click()
    omission.get_by_label("Comment").fill("Sentence dropped — ask the vendor")
    assert page.locator("#decision-count").inner_text() == "3 decisions (1 accepted, 1 dismissed)"
    assert idiom.get_by_role("button", name="Accept").get_attribute("aria-pressed") == "true"
    _screenshot(page, "decisions.png")

    p.open()  # reload: decisions come back from localStorage
    idiom = page.locator("#seg-list details.flag-card", has_text="Russian idiom rendered")
    assert idiom.locator(".status").inner_text() == "accepted"
    assert page.locator("#seg-list details.flag-card", has_text="Number differs").locator(".status").inner_text() == "dismissed"
    assert page.locator("#decision-count").inner_text() == "3 decisions (1 accepted, 1 dismissed)"
    omission = page.locator("#seg-list details.flag-card", has_text="no translation")
    omission.locator("summary").click()
    assert omission.get_by_label("Comment").input_value() == "Sentence dropped — ask the vendor"

    # Decision filter: only open flags.
    page.locator("#filters input[name=status][value=accepted]").uncheck()
    page.locator("#filters input[name=status][value=dismissed]").uncheck()
    assert _visible_cards(page).count() == 8
    page.locator("#reset").click()

    with page.expect_download() as info:
        page.locator("#export").click()
    download = info.value
    out = tmp_path / download.suggested_filename
    download.save_as(out)
    assert out.name.startswith("mtcheck-decisions-")
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["schema"] == "mtcheck-decisions/1.0"
    assert {d["status"] for d in exported["decisions"]} == {"accepted", "dismissed", None}
    baseline = load_baseline(out)
    assert len(baseline) == 2
    before = evaluate(report, Thresholds(max_critical=0, max_major=0))
    after = evaluate(report, Thresholds(max_critical=0, max_major=0), baseline)
    assert before.new_by_severity == {"minor": 3, "major": 4, "critical": 3}
    assert after.new_by_severity == {"minor": 3, "major": 3, "critical": 2}

    # Decisions are kept per report: another report starts clean.
    other = open_page(make_report(kind="units"), name="other.html").page
    assert other.locator("#decision-count").inner_text() == "0 decisions (0 accepted, 0 dismissed)"


def test_hostile_text_is_shown_not_executed(open_page):
    from tests.fixtures.reports.factory import EVIL_IMG, EVIL_SCRIPT, EVIL_TEMPLATE, make_report

    p = open_page(make_report(evil=True))
    page = p.page
    page.locator("#doc-filter").select_option("1")
    evil = page.locator("#seg-list article.seg", has_text="He wrote")
    evil.locator("details.flag-card summary").first.click()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img").count() == 0
    assert page.locator("#seg-list b, #seg-list svg, #seg-list script").count() == 0
    text = evil.inner_text()
    assert EVIL_SCRIPT in text and EVIL_IMG in text and EVIL_TEMPLATE in text
    assert "<svg onload=" in text  # evidence shown as text
    assert page.locator("#documents a[data-doc='1']").inner_text() == 'evil"><b>doc</b>'
    assert p.dialogs == []
    _screenshot(page, "escaping.png")


def test_empty_report_loads(open_page):
    from tests.fixtures.reports.factory import to_report_dict

    page = open_page(to_report_dict([])).page
    assert page.locator("#seg-list").inner_text() == "No segment matches the filters."
    assert page.locator("#mean-score").inner_text() == "n/a"


def test_print_layout_hides_controls(open_page):
    from tests.fixtures.reports.factory import make_report

    page = open_page(make_report()).page
    page.emulate_media(media="print")
    assert not page.locator("#filters").is_visible()
    assert not page.locator(".pager").first.is_visible()
    assert page.locator("#summary").is_visible() and page.locator("#seg-list article.seg").first.is_visible()
    pdf = page.pdf()
    assert pdf[:4] == b"%PDF" and len(pdf) > 20_000


def test_narrow_screen_stacks_columns(open_page):
    from tests.fixtures.reports.factory import make_report

    page = open_page(make_report(), width=600).page
    art = page.locator("#seg-list article.seg").nth(1)
    src_box = art.locator(".col.src").bounding_box()
    mt_box = art.locator(".col.mt").bounding_box()
    assert mt_box["y"] > src_box["y"] + src_box["height"] - 1
    art.scroll_into_view_if_needed()
    _screenshot(page, "narrow.png")


@pytest.mark.slow
def test_twenty_thousand_segments_open_on_page_one(open_page):
    from tests.fixtures.reports.factory import make_large_report

    report = make_large_report(20_000, docs=20)
    p = open_page(report, name="large.html")
    page = p.page
    assert page.locator("#seg-list article.seg").count() == 50
    assert "of 20000" in page.locator("#status").inner_text()
    assert page.locator("#documents tbody tr").count() == 20
    page.locator(".pager").first.get_by_role("button", name="Next →").click()
    assert page.locator("#seg-list article.seg").first.get_attribute("id") == "seg-50"
    page.locator("#only-flagged").check()
    page.locator("#filters input[name=sev][value=minor]").uncheck()
    assert page.locator("#seg-list article.seg").count() == 50
    assert page.locator("#seg-list .flag-card.sev-minor").count() == 0
    page.locator("#reset").click()
    page.fill("#search", "[19999]")
    expect(page.locator("#seg-list article.seg")).to_have_count(1)
    _screenshot(page, "large.png")
