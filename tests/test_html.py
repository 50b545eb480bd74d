"""HTML report structure without a browser: CSP, embedded data, escaping, summary."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from mtcheck.report import html
from tests.fixtures.reports.factory import (
    EVIL_IMG, EVIL_SCRIPT, EVIL_TEMPLATE, make_report,
)


class _Collector(HTMLParser):
    """Collects tags, attributes and script/style bodies of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.styles: list[str] = []
        self._in: tuple[str, dict] | None = None
        self._buf: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in ("script", "style"):
            self._in, self._buf = (tag, a), []

    def handle_endtag(self, tag):
        if self._in and tag == self._in[0]:
            body = "".join(self._buf)
            if tag == "script":
                self.scripts.append((self._in[1], body))
            else:
                self.styles.append(body)
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._buf.append(data)
        else:
            self.text.append(data)


def _parse(page: str) -> _Collector:
    c = _Collector()
    c.feed(page)
    c.close()
    return c


@pytest.fixture(scope="module")
def evil_page():
    return html.render(make_report(evil=True))


def _csp(parsed: _Collector) -> dict[str, list[str]]:
    meta = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(meta) == 1
    out = {}
    for part in meta[0]["content"].split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def test_csp_is_restrictive_and_hashes_match(evil_page):
    parsed = _parse(evil_page)
    csp = _csp(parsed)
    assert csp["default-src"] == ["'none'"]
    assert csp["img-src"] == ["data:"]
    assert csp["base-uri"] == ["'none'"] and csp["form-action"] == ["'none'"]
    joined = " ".join(v for vals in csp.values() for v in vals)
    assert "unsafe" not in joined and "*" not in joined and "http" not in joined
    inline = [body for attrs, body in parsed.scripts if "type" not in attrs]
    assert len(inline) == 1 and len(parsed.styles) == 1
    assert csp["script-src"] == [html.csp_hash(inline[0])]
    assert csp["style-src"] == [html.csp_hash(parsed.styles[0])]
    # Self-contained: nothing loaded from anywhere.
    for tag, attrs in parsed.tags:
        assert "src" not in attrs or tag == "img", (tag, attrs)
        assert not (tag == "link" and "stylesheet" in attrs.get("rel", ""))
        assert "style" not in attrs, "inline style attributes would be blocked by the CSP"
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)


def test_data_block_round_trips_and_cannot_close_the_script(evil_page):
    parsed = _parse(evil_page)
    blocks = [body for attrs, body in parsed.scripts if attrs.get("type") == "application/json"]
    assert len(blocks) == 1
    assert "<" not in blocks[0] and ">" not in blocks[0] and "&" not in blocks[0]
    data = json.loads(blocks[0])
    report = make_report(evil=True)
    assert data == json.loads(json.dumps(html.view_data(report)))
    mts = [s["m"] for s in data["segs"]]
    assert any(EVIL_SCRIPT in m and EVIL_IMG in m and EVIL_TEMPLATE in m for m in mts)


def test_input_markup_never_appears_raw(evil_page):
    outside_data = re.sub(r'<script type="application/json" id="mtcheck-data">.*?</script>', "", evil_page, flags=re.S)
    assert "<script>window.__pwned" not in outside_data
    assert "<img" not in outside_data
    assert "<b>doc</b>" not in outside_data  # the evil document id
    assert "&lt;b&gt;doc&lt;/b&gt;" in outside_data  # shown, escaped, in the summary table
    parsed = _parse(evil_page)
    assert not [t for t, _ in parsed.tags if t in ("img", "b")]
    assert sum(1 for t, _ in parsed.tags if t == "script") == 2
    assert "49" not in "".join(parsed.text)  # {{ 7*7 }} is not evaluated by Jinja


def test_json_for_script_escapes_separators():
    text = html.json_for_script({"a": "</script><!-- & \u2028\u2029"})
    assert text == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029"}'
    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029"}


def test_summary_section_numbers():
    report = make_report()
    parsed = _parse(html.render(report, title="Weekly MT check"))
    text = " ".join(" ".join(parsed.text).split())
    assert "Weekly MT check" in text
    assert "58.5 mean score" in text
    assert "Segments by label good 5 review 3 bad 6" in text
    assert "Flags by severity critical 3 major 4 minor 3 total 10" in text
    assert "style/literal-idiom 3" in text
    assert report["signature"]["string"] in text
    doc_links = [a for t, a in parsed.tags if t == "a" and "data-doc" in a]
    assert [a["href"] for a in doc_links] == ["#doc-0", "#doc-1"]


def test_histogram_counts_every_scored_segment():
    report = make_report()
    hist = html.histogram(report)
    assert hist["total"] == 14
    counts = [b["n"] for b in hist["bars"]]
    # Scores: 92, 38.5, 31, 88, 0, 47, 71 | 22, 95, 61, 93, 55, 35, 90
    assert counts == [1, 0, 1, 3, 1, 1, 1, 1, 1, 4]
    page = html.render(report)
    assert page.count('<g class="bar ') == 10
    assert 'data-count="4"' in page


def test_flag_offsets_are_local_to_the_segment():
    report = make_report()
    data = html.view_data(report)
    for fi, flag in enumerate(data["flags"]):
        seg = next(s for s in data["segs"] if fi in s["f"])
        if flag["mt"]:
            assert seg["m"][flag["mt"][0]:flag["mt"][1]] == flag["mt_text"]
        if flag["src"]:
            assert seg["s"][flag["src"][0]:flag["src"][1]] == flag["src_text"]
    kinds = [s["k"] for s in data["segs"]]
    assert kinds.count("omission") == 1 and kinds.count("addition") == 1


def test_document_flags_get_their_own_row():
    report = make_report()
    seg_flag = report["documents"][0]["segments"][1]["flags"][0]
    report["documents"][0]["document_flags"] = [dict(seg_flag, id="docflag000000001", mt_span=None, src_span=None,
                                                     category="terminology", message="Inconsistent term across the document")]
    data = html.view_data(report)
    row = next(s for s in data["segs"] if s["k"] == "document")
    assert [data["flags"][i]["msg"] for i in row["f"]] == ["Inconsistent term across the document"]
    assert "terminology" in data["categories"]


def test_report_key_depends_on_the_report():
    a, b = make_report(), make_report(evil=True)
    assert html.report_key(a) == html.report_key(make_report())
    assert html.report_key(a) != html.report_key(b)


def test_large_report_embeds_compact_data():
    from tests.fixtures.reports.factory import build_document, PAIRS, to_report_dict

    docs = [build_document(f"d{i}", PAIRS * 20) for i in range(3)]
    report = to_report_dict(docs)
    page = html.render(report)
    full = len(json.dumps(report, ensure_ascii=False))
    assert len(page) < full  # sentence lists and OK word tags are not embedded
    assert page.count('"k":"omission"') == 60


def _css_vars(css: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", css))


def _luminance(hex_color: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_colours_meet_wcag_aa_contrast():
    from importlib import resources

    css = resources.files("mtcheck.report").joinpath("templates", "report.css").read_text("utf-8")
    v = _css_vars(css)
    pairs = [("fg", "bg"), ("muted", "bg"), ("muted", "panel"), ("fg", "panel"),
             ("crit", "bg"), ("major", "bg"), ("minor", "bg"), ("good", "bg"), ("review", "bg"), ("bad", "bg"),
             ("fg", "crit-bg"), ("fg", "major-bg"), ("fg", "minor-bg"), ("fg", "lit"), ("crit", "crit-bg")]
    for fg, bg in pairs:
        assert _contrast(v[fg], v[bg]) >= 4.5, (fg, bg, round(_contrast(v[fg], v[bg]), 2))


def test_form_controls_are_labelled_and_focus_order_is_natural(evil_page):
    parsed = _parse(evil_page)
    assert all(int(a.get("tabindex", "0")) <= 0 for _t, a in parsed.tags), "positive tabindex breaks the focus order"
    ids_with_label = {a["for"] for t, a in parsed.tags if t == "label" and "for" in a}
    unlabelled: list[tuple[str, dict]] = []

    class Walker(HTMLParser):
        """Controls must sit inside a <label>, be named by label[for] or carry aria-label."""

        open_labels = 0

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "label":
                self.open_labels += 1
            elif tag in ("input", "select", "textarea") and a.get("type") != "hidden":
                if not (self.open_labels or a.get("id") in ids_with_label or "aria-label" in a):
                    unlabelled.append((tag, a))

        def handle_endtag(self, tag):
            if tag == "label":
                self.open_labels -= 1

    Walker().feed(evil_page)
    assert unlabelled == []


def test_empty_and_minimal_reports_render():
    from tests.fixtures.reports.factory import to_report_dict

    empty = to_report_dict([])
    page = html.render(empty)
    assert "n/a" in page and 'id="seg-list"' in page
    bare = dict(empty, summary={}, signature={})  # summary keys missing: defaults, no error
    assert "mean score" in html.render(bare)


def test_language_problems_shown_in_the_document_table():
    report = make_report()
    report["documents"][1]["mt"]["language"] = {
        "expected": "en", "detected": "ru", "confidence": 0.93, "script_share": 0.12, "ok": False,
        "problem": "MT is mostly Cyrillic <untranslated?>"}
    page = html.render(report)
    assert "MT: MT is mostly Cyrillic &lt;untranslated?&gt;" in page
