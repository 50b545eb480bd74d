/* mtcheck HTML report: client-side segment view.
 * All data is read from the JSON block and put into the page with DOM APIs
 * and textContent only (never innerHTML), so input text cannot become markup. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("mtcheck-data").textContent);
  var SEGS = DATA.segs, FLAGS = DATA.flags, DOCS = DATA.docs;
  var SEV_RANK = { minor: 1, major: 2, critical: 3 };
  var STORE_KEY = "mtcheck:decisions:" + DATA.key;
  var state = { page: 0, pageSize: 50, rows: [] };
  var decisions = loadDecisions();
  var searchIndex = null;

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  /* ---------- decisions (localStorage) ---------- */
  function loadDecisions() {
    try {
      var raw = window.localStorage.getItem(STORE_KEY);
      var parsed = raw ? JSON.parse(raw) : {};
      return parsed && typeof parsed === "object" ? parsed : {};
    } catch (e) { return {}; }
  }
  function saveDecisions() {
    try { window.localStorage.setItem(STORE_KEY, JSON.stringify(decisions)); } catch (e) { /* storage off: keep in memory */ }
    updateDecisionCount();
  }
  function statusOf(flag) { var d = decisions[flag.id]; return d && d.status ? d.status : "open"; }
  function setDecision(flag, status, comment) {
    var d = decisions[flag.id] || { status: null, comment: "" };
    if (status !== undefined) d.status = status;
    if (comment !== undefined) d.comment = comment;
    d.updated = new Date().toISOString();
    if (!d.status && !d.comment) delete decisions[flag.id]; else decisions[flag.id] = d;
    saveDecisions();
  }
  function updateDecisionCount() {
    var n = 0, a = 0, x = 0;
    Object.keys(decisions).forEach(function (k) {
      n++; if (decisions[k].status === "accepted") a++; if (decisions[k].status === "dismissed") x++;
    });
    $("decision-count").textContent = n + " decision" + (n === 1 ? "" : "s") + " (" + a + " accepted, " + x + " dismissed)";
    $("export").disabled = n === 0;
  }
  function exportDecisions() {
    var byId = {};
    FLAGS.forEach(function (f) { if (!byId[f.id]) byId[f.id] = f; });
    var list = Object.keys(decisions).sort().filter(function (k) { return byId[k]; }).map(function (k) {
      var f = byId[k], d = decisions[k];
      return { id: k, document: DOCS[f.d].id, check: f.check, category: f.cat, severity: f.sev,
               mt_text: f.mt_text, src_text: f.src_text, status: d.status || null,
               comment: d.comment || "", updated: d.updated || null };
    });
    var out = { schema: DATA.schema, report: { key: DATA.key, created: DATA.created, signature: DATA.signature },
                exported: new Date().toISOString(), decisions: list };
    var blob = new Blob([JSON.stringify(out, null, 2) + "\n"], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "mtcheck-decisions-" + DATA.key + ".json";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  /* ---------- filtering ---------- */
  function checked(name) {
    var out = {};
    document.querySelectorAll("#filters input[name=" + name + "]").forEach(function (i) { if (i.checked) out[i.value] = true; });
    return out;
  }
  function allChecked(name) {
    return Array.prototype.every.call(document.querySelectorAll("#filters input[name=" + name + "]"), function (i) { return i.checked; });
  }
  function buildSearchIndex() {
    searchIndex = SEGS.map(function (s) {
      var parts = [s.s, s.m, s.bt || ""];
      s.f.forEach(function (fi) { parts.push(FLAGS[fi].msg, FLAGS[fi].cat); });
      return parts.join("\u0001").toLowerCase();
    });
  }
  function readFilters() {
    state.pageSize = parseInt($("page-size").value, 10) || 50;
    var min = parseFloat($("score-min").value), max = parseFloat($("score-max").value);
    return {
      sev: checked("sev"), cat: checked("cat"), label: checked("label"), status: checked("status"),
      flagFilter: !(allChecked("sev") && allChecked("cat") && allChecked("status")),
      allLabels: allChecked("label"),
      min: isNaN(min) ? 0 : min, max: isNaN(max) ? 100 : max,
      doc: $("doc-filter").value === "" ? -1 : parseInt($("doc-filter").value, 10),
      onlyFlagged: $("only-flagged").checked,
      q: $("search").value.trim().toLowerCase(),
      order: $("order").value
    };
  }
  function flagVisible(f, flt) {
    return !!(flt.sev[f.sev] && flt.cat[f.cat] && flt.status[statusOf(f)]);
  }
  function segVisible(s, idx, flt) {
    if (flt.doc >= 0 && s.d !== flt.doc) return false;
    if (s.k !== "document") {
      if (s.lb ? !flt.label[s.lb] : !flt.allLabels) return false;
      if (s.sc !== null && (s.sc < flt.min || s.sc > flt.max)) return false;
      if (s.sc === null && (flt.min > 0 || flt.max < 100)) return false;
    }
    if (flt.flagFilter || flt.onlyFlagged || s.k === "document") {
      /* a segment (or document-level row) shown for its flags needs one that passes */
      if (!s.f.some(function (fi) { return flagVisible(FLAGS[fi], flt); })) return false;
    }
    if (flt.q) {
      if (!searchIndex) buildSearchIndex();
      if (searchIndex[idx].indexOf(flt.q) < 0) return false;
    }
    return true;
  }
  function worstRank(s) {
    var r = 0;
    s.f.forEach(function (fi) { r = Math.max(r, SEV_RANK[FLAGS[fi].sev] || 0); });
    return r;
  }
  function applyFilters(keepPage) {
    var flt = readFilters();
    state.filters = flt;
    var rows = [];
    for (var i = 0; i < SEGS.length; i++) if (segVisible(SEGS[i], i, flt)) rows.push(i);
    if (flt.order === "worst") {
      rows.sort(function (a, b) {
        var sa = SEGS[a].sc === null ? 101 : SEGS[a].sc, sb = SEGS[b].sc === null ? 101 : SEGS[b].sc;
        return (sa - sb) || (worstRank(SEGS[b]) - worstRank(SEGS[a])) || (a - b);
      });
    }
    state.rows = rows;
    if (!keepPage) state.page = 0;
    state.page = Math.min(state.page, Math.max(0, pageCount() - 1));
    renderPage();
  }
  function pageCount() { return Math.max(1, Math.ceil(state.rows.length / state.pageSize)); }

  /* ---------- rendering ---------- */
  function spansFor(text, ranges) {
    /* Split text at range boundaries; each piece lists the ranges covering it. */
    var cuts = [0, text.length];
    ranges.forEach(function (r) { cuts.push(r.s, r.e); });
    cuts = cuts.filter(function (v, i, a) { return v >= 0 && v <= text.length && a.indexOf(v) === i; }).sort(function (a, b) { return a - b; });
    var pieces = [];
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1];
      pieces.push({ s: a, e: b, cover: ranges.filter(function (r) { return r.s <= a && b <= r.e; }) });
    }
    return pieces;
  }
  function renderText(container, text, ranges, isMt) {
    spansFor(text, ranges).forEach(function (p) {
      var piece = text.slice(p.s, p.e);
      var flags = p.cover.filter(function (r) { return r.flag !== undefined; });
      if (flags.length) {
        var m = el("mark", isMt ? "" : "src-span", piece);
        var ids = flags.map(function (r) { return r.flag; });
        var worst = flags.reduce(function (w, r) { return SEV_RANK[FLAGS[r.flag].sev] > SEV_RANK[w] ? FLAGS[r.flag].sev : w; }, "minor");
        if (isMt) {
          m.classList.add("sev-" + worst);
          m.tabIndex = 0;
          m.setAttribute("role", "button");
          m.setAttribute("aria-label", piece + " — " + flags.map(function (r) { var f = FLAGS[r.flag]; return f.sev + " " + f.cat; }).join(", "));
          if (ids.every(function (fi) { return statusOf(FLAGS[fi]) === "dismissed"; })) m.classList.add("decided-dismissed");
        }
        m.setAttribute("data-flags", ids.join(" "));
        container.appendChild(m);
      } else if (p.cover.length) {
        var w = el("span", "badword", piece);
        w.title = "word-level QE: P(bad) = " + p.cover[0].p.toFixed(2);
        container.appendChild(w);
      } else {
        container.appendChild(document.createTextNode(piece));
      }
    });
  }
  function addDef(dl, term, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", "", term));
    dl.appendChild(el("dd", "", plain(value)));
  }
  function plain(value) {
    /* Evidence values as readable text: lists joined, objects as "key: value; ...". */
    if (value === null || value === undefined) return "";
    if (typeof value === "string") return value;
    if (typeof value === "number") return String(Math.round(value * 10000) / 10000);
    if (Array.isArray(value)) return value.map(plain).join(", ");
    if (typeof value === "object") {
      return Object.keys(value).map(function (k) { return k.replace(/_/g, " ") + ": " + plain(value[k]); }).join("; ");
    }
    return String(value);
  }
  var EVIDENCE_LABELS = { meaning: "idiom meaning", idiom: "idiom", backtranslation: "back-translation",
                          numbers: "numbers", compared: "numbers compared" };
  function flagCard(fi, segIdx) {
    var f = FLAGS[fi];
    var li = el("li");
    var det = el("details", "flag-card sev-" + f.sev);
    det.id = "flag-" + fi;
    det.setAttribute("data-flags", String(fi));
    var sum = el("summary", "flag-head");
    sum.appendChild(el("span", "sev", f.sev));
    sum.appendChild(document.createTextNode(" " + f.cat + " · " + Math.round(f.conf * 100) + "% · "));
    sum.appendChild(el("span", "msg", f.msg));
    var st = el("span", "status", statusOf(f) === "open" ? "" : statusOf(f));
    sum.appendChild(st);
    det.appendChild(sum);
    var dl = el("dl");
    addDef(dl, "check", f.check);
    addDef(dl, "MT text", f.mt_text || (SEGS[segIdx].k === "omission" ? "(missing in MT)" : ""));
    addDef(dl, "source text", f.src_text);
    if (f.quote) addDef(dl, "context", "inside quoted speech");
    addDef(dl, "suggestions", f.sugg.join("; "));
    Object.keys(f.ev).forEach(function (k) { addDef(dl, EVIDENCE_LABELS[k] || k.replace(/_/g, " "), f.ev[k]); });
    addDef(dl, "flag id", f.id);
    det.appendChild(dl);
    var box = el("div", "decision");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Decision on this flag");
    [["accepted", "Accept"], ["dismissed", "Dismiss"]].forEach(function (pair) {
      var b = el("button", "", pair[1]);
      b.type = "button";
      b.setAttribute("data-act", pair[0]);
      b.setAttribute("aria-pressed", statusOf(f) === pair[0] ? "true" : "false");
      box.appendChild(b);
    });
    var lab = el("label", "", "Comment");
    var ta = el("textarea");
    ta.setAttribute("data-act", "comment");
    ta.rows = 1;
    ta.value = (decisions[f.id] && decisions[f.id].comment) || "";
    lab.appendChild(ta);
    box.appendChild(lab);
    det.appendChild(box);
    li.appendChild(det);
    return li;
  }
  function segmentView(idx) {
    var s = SEGS[idx], flt = state.filters;
    var art = el("article", "seg" + (s.lb ? " lab-" + s.lb : ""));
    art.id = "seg-" + idx;
    art.setAttribute("data-seg", String(idx));
    var head = el("header", "seg-head");
    head.appendChild(el("span", "doc", DOCS[s.d].id));
    head.appendChild(el("span", "", s.i >= 0 ? "segment " + (s.i + 1) : "document-level"));
    if (s.ln !== null) head.appendChild(el("span", "", "MT line " + s.ln));
    if (s.sc !== null) head.appendChild(el("span", "score", "score " + s.sc.toFixed(1)));
    if (s.lb) head.appendChild(el("span", "badge lab-" + s.lb, s.lb));
    if (s.k === "omission") head.appendChild(el("span", "badge kind", "omission"));
    if (s.k === "addition") head.appendChild(el("span", "badge kind", "addition"));
    art.appendChild(head);
    var visible = s.f.filter(function (fi) { return !flt.flagFilter || flagVisible(FLAGS[fi], flt); });
    if (s.k !== "document") {
      var body = el("div", "seg-body");
      var src = el("div", "col src"), mt = el("div", "col mt");
      src.lang = DATA.srcLang; mt.lang = DATA.tgtLang;
      src.appendChild(el("span", "side", "Source"));
      mt.appendChild(el("span", "side", "Machine translation"));
      var srcRanges = [], mtRanges = [];
      visible.forEach(function (fi) {
        var f = FLAGS[fi];
        if (f.src) srcRanges.push({ s: f.src[0], e: f.src[1], flag: fi });
        if (f.mt) mtRanges.push({ s: f.mt[0], e: f.mt[1], flag: fi });
      });
      var flagged = mtRanges.slice();
      s.w.forEach(function (w) {  /* word-level QE marks only outside flagged spans */
        if (!flagged.some(function (r) { return r.s < w[1] && w[0] < r.e; })) mtRanges.push({ s: w[0], e: w[1], p: w[2] });
      });
      if (s.s) renderText(src, s.s, srcRanges, false);
      else src.appendChild(el("span", "missing", "not in the source (addition)"));
      if (s.m) renderText(mt, s.m, mtRanges, true);
      else {
        var miss = el("span", "missing", "missing in the MT (omission)");
        var omitted = visible.filter(function (fi) { return !FLAGS[fi].mt; });
        if (omitted.length) {
          miss.tabIndex = 0;
          miss.setAttribute("data-flags", omitted.join(" "));
          miss.setAttribute("role", "button");
        }
        mt.appendChild(miss);
      }
      body.appendChild(src); body.appendChild(mt);
      art.appendChild(body);
      if (s.bt) {
        var bt = el("p", "bt", "Back-translation: ");
        bt.appendChild(el("q", "", s.bt));
        art.appendChild(bt);
      }
    }
    if (visible.length) {
      var ol = el("ol", "flags");
      ol.setAttribute("aria-label", visible.length + " flag" + (visible.length === 1 ? "" : "s"));
      visible.forEach(function (fi) { ol.appendChild(flagCard(fi, idx)); });
      art.appendChild(ol);
    }
    return art;
  }
  function renderPager() {
    var n = pageCount();
    document.querySelectorAll(".pager").forEach(function (nav, k) {
      nav.textContent = "";
      var prev = el("button", "", "← Previous"); prev.type = "button"; prev.disabled = state.page === 0;
      prev.setAttribute("data-page", String(state.page - 1));
      var next = el("button", "", "Next →"); next.type = "button"; next.disabled = state.page >= n - 1;
      next.setAttribute("data-page", String(state.page + 1));
      var lab = el("label", "", "Page ");
      var inp = el("input"); inp.type = "number"; inp.min = "1"; inp.max = String(n); inp.value = String(state.page + 1);
      inp.className = "page-input";
      lab.appendChild(inp);
      lab.appendChild(document.createTextNode(" of " + n));
      nav.appendChild(prev); nav.appendChild(lab); nav.appendChild(next);
    });
  }
  function renderPage() {
    var list = $("seg-list");
    list.textContent = "";
    var start = state.page * state.pageSize, end = Math.min(state.rows.length, start + state.pageSize);
    var frag = document.createDocumentFragment();
    for (var i = start; i < end; i++) frag.appendChild(segmentView(state.rows[i]));
    if (!state.rows.length) frag.appendChild(el("p", "empty", "No segment matches the filters."));
    list.appendChild(frag);
    $("status").textContent = state.rows.length
      ? "Showing segments " + (start + 1) + "–" + end + " of " + state.rows.length +
        (state.rows.length < SEGS.length ? " matching (" + SEGS.length + " in all)" : "") + ", page " + (state.page + 1) + " of " + pageCount() + "."
      : "No segment matches the filters (" + SEGS.length + " in all).";
    renderPager();
  }
  function goPage(p, focusWhich) {
    state.page = Math.max(0, Math.min(pageCount() - 1, p));
    renderPage();
    if (focusWhich) {
      var heads = flagHeads();
      if (heads.length) focusHead(focusWhich === "last" ? heads[heads.length - 1] : heads[0]);
    }
  }

  /* ---------- interaction ---------- */
  function flagIdsOf(node) {
    var holder = node && node.closest ? node.closest("[data-flags]") : null;
    return holder ? holder.getAttribute("data-flags").split(" ") : null;
  }
  function light(node, on) {
    var art = node.closest ? node.closest("article.seg") : null;
    if (!art) return;
    art.querySelectorAll(".lit").forEach(function (e) { e.classList.remove("lit"); });
    if (!on) return;
    var ids = flagIdsOf(node);
    if (!ids) return;
    art.querySelectorAll("[data-flags]").forEach(function (e) {
      var mine = e.getAttribute("data-flags").split(" ");
      if (mine.some(function (x) { return ids.indexOf(x) >= 0; })) e.classList.add("lit");
    });
  }
  function openFlag(node) {
    var ids = flagIdsOf(node);
    if (!ids) return;
    var card = $("flag-" + ids[0]);
    if (!card) return;
    card.open = true;
    focusHead(card.querySelector("summary"));
  }
  function flagHeads() { return Array.prototype.slice.call(document.querySelectorAll("#seg-list summary.flag-head")); }
  function focusHead(h) {
    h.focus();
    h.scrollIntoView({ block: "center" });
  }
  function step(dir) {
    var heads = flagHeads();
    var active = document.activeElement;
    var card = active && active.closest ? active.closest("[data-flags]") : null;
    var cur = -1;
    if (card) {
      var id = card.getAttribute("data-flags").split(" ")[0];
      cur = heads.findIndex(function (h) { return h.parentNode.id === "flag-" + id; });
    }
    var next = cur < 0 ? (dir > 0 ? 0 : heads.length - 1) : cur + dir;
    if (next >= 0 && next < heads.length) focusHead(heads[next]);
    else if (dir > 0 && state.page < pageCount() - 1) goPage(state.page + 1, "first");
    else if (dir < 0 && state.page > 0) goPage(state.page - 1, "last");
  }
  function cardFlag(node) {
    var card = node.closest(".flag-card");
    return card ? FLAGS[parseInt(card.getAttribute("data-flags"), 10)] : null;
  }
  function refreshCard(card) {
    var f = FLAGS[parseInt(card.getAttribute("data-flags"), 10)], st = statusOf(f);
    var art = card.closest("article.seg");
    if (art) art.querySelectorAll("mark[tabindex]").forEach(function (m) {
      var all = m.getAttribute("data-flags").split(" ").every(function (fi) { return statusOf(FLAGS[fi]) === "dismissed"; });
      m.classList.toggle("decided-dismissed", all);
    });
    card.querySelector(".status").textContent = st === "open" ? "" : st;
    card.querySelectorAll("button[data-act]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-act") === st ? "true" : "false");
    });
  }

  function init() {
    state.pageSize = parseInt($("page-size").value, 10) || 50;
    var filters = $("filters");
    filters.addEventListener("change", function () { applyFilters(false); });
    var timer = null;
    $("search").addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { applyFilters(false); }, 200);
    });
    filters.addEventListener("submit", function (e) { e.preventDefault(); applyFilters(false); });
    filters.addEventListener("reset", function () { setTimeout(function () { applyFilters(false); }, 0); });
    document.querySelectorAll(".pager").forEach(function (nav) {
      nav.addEventListener("click", function (e) {
        var b = e.target.closest("button[data-page]");
        if (b && !b.disabled) goPage(parseInt(b.getAttribute("data-page"), 10));
      });
      nav.addEventListener("change", function (e) {
        if (e.target.classList.contains("page-input")) goPage(parseInt(e.target.value, 10) - 1);
      });
    });
    var list = $("seg-list");
    list.addEventListener("mouseover", function (e) { if (e.target.closest("[data-flags]")) light(e.target, true); });
    list.addEventListener("mouseout", function (e) { if (e.target.closest("[data-flags]")) light(e.target, false); });
    list.addEventListener("focusin", function (e) { light(e.target, true); });
    list.addEventListener("focusout", function (e) { light(e.target, false); });
    list.addEventListener("click", function (e) {
      var t = e.target;
      if (t.closest("mark[tabindex], .missing[data-flags]")) { openFlag(t); return; }
      var b = t.closest("button[data-act]");
      if (b) {
        var f = cardFlag(b), act = b.getAttribute("data-act");
        setDecision(f, statusOf(f) === act ? null : act);
        document.querySelectorAll(".flag-card").forEach(function (c) {
          if (FLAGS[parseInt(c.getAttribute("data-flags"), 10)].id === f.id) refreshCard(c);
        });
      }
    });
    list.addEventListener("keydown", function (e) {
      if ((e.key === "Enter" || e.key === " ") && e.target.matches("mark[tabindex], .missing[data-flags]")) {
        e.preventDefault();
        openFlag(e.target);
      }
    });
    list.addEventListener("input", function (e) {
      if (e.target.getAttribute("data-act") === "comment") setDecision(cardFlag(e.target), undefined, e.target.value);
    });
    document.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      if (e.key === "j") { e.preventDefault(); step(1); }
      else if (e.key === "k") { e.preventDefault(); step(-1); }
    });
    $("export").addEventListener("click", exportDecisions);
    $("clear-decisions").addEventListener("click", function () {
      if (!Object.keys(decisions).length || !window.confirm("Clear all decisions for this report?")) return;
      decisions = {};
      saveDecisions();
      applyFilters(true);
    });
    function showDoc(n) {
      if (!(n >= 0 && n < DOCS.length)) return;
      $("doc-filter").value = String(n);
      applyFilters(false);
      $("segments").focus();
    }
    function onHash() {
      var m = /^#doc-(\d+)$/.exec(window.location.hash);
      if (m) showDoc(parseInt(m[1], 10));
    }
    window.addEventListener("hashchange", onHash);
    /* also on click: following the same link twice fires no hashchange */
    $("documents").addEventListener("click", function (e) {
      var a = e.target.closest("a[data-doc]");
      if (a) showDoc(parseInt(a.getAttribute("data-doc"), 10));
    });
    var opened = [];
    window.addEventListener("beforeprint", function () {
      opened = Array.prototype.filter.call(document.querySelectorAll(".flag-card"), function (d) { return !d.open; });
      opened.forEach(function (d) { d.open = true; });
    });
    window.addEventListener("afterprint", function () { opened.forEach(function (d) { d.open = false; }); opened = []; });
    updateDecisionCount();
    applyFilters(false);
    onHash();
    document.body.setAttribute("data-ready", "true");
  }
  init();
})();
