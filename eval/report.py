"""Batch reports: the Markdown summary table and the HTML page of a batch.

Both are rendered from the documents passed in: each a record (``Document.to_dict()``)
merged over its manifest line, with ``_manifest`` (the line) and ``_record`` (whether
the record was found); ``mt.outdir`` reads them from an OUT and writes
``report.md`` and ``report.html``.  The HTML page is one self-contained
file (inline CSS and SVG, no script, no external resource): a summary table,
a plot of the garble-score distribution before and after, and per document
the original and the output side by side, removed boilerplate greyed,
flagged sentences highlighted, and the checks and scores.
"""
from __future__ import annotations

import html
from typing import Any

from eval.checks import mostly_chinese
from eval.garble import GARBLED_AT, garble_reasons, garble_score, split_sentences
from eval.metrics import METRICS

METRIC_KEYS = METRICS


# ----------------------------------------------------------------------------- per-document facts


def _input_text(d: dict) -> str:
    paras = d.get("paragraphs") or []
    return "\n".join(paras) if paras else (d.get("raw") or "")


def doc_facts(d: dict) -> dict[str, Any]:
    """The figures shown for one document (garble before/after, failed checks, metrics)."""
    out = d.get("output") or ""
    meta = d.get("metadata") or {}
    g_in = meta.get("garble_score")
    if g_in is None and d.get("lang") in ("en", None) and _input_text(d) and not mostly_chinese(_input_text(d)):
        g_in = garble_score(_input_text(d))
    g_out = garble_score(out) if out.strip() and not mostly_chinese(out) else None
    checks = d.get("checks") or []
    if checks and isinstance(checks, list) and isinstance(checks[0], dict):
        failed = [c.get("name", "?") for c in checks if not c.get("ok", True)]
    else:  # manifest form {name: ok}
        cm = (d.get("_manifest") or {}).get("checks") or {}
        failed = [k for k, ok in cm.items() if not ok]
    scores = d.get("scores") or {}
    return {
        "garble_in": g_in,
        "garble_out": g_out,
        "failed": failed,
        "metrics": {k: scores[k] for k in METRIC_KEYS if isinstance(scores.get(k), (int, float))},
        "coverage": scores.get("coverage"),
    }


def _fmt(v, nd=2) -> str:
    return "–" if v is None else (f"{v:.{nd}f}" if isinstance(v, float) else str(v))


# ----------------------------------------------------------------------------- markdown


def render_markdown(docs: list[dict]) -> str:
    """The Markdown summary: counts, one table row per document, signatures."""
    n = len(docs)
    by_status: dict[str, int] = {}
    for d in docs:
        by_status[d.get("status", "?")] = by_status.get(d.get("status", "?"), 0) + 1
    lines = ["# retranslate report", "",
             f"{n} document(s): " + ", ".join(f"{v} {k}" for k, v in sorted(by_status.items())), "",
             f"Garble score: 0 fluent … 1 garbled; garbled at {GARBLED_AT}.", "",
             "| id | status | route | removed | failed checks | garble in → out | " + " | ".join(METRIC_KEYS) + " | flags |",
             "|---" * (7 + len(METRIC_KEYS)) + "|"]
    sigs: dict[str, str] = {}
    for d in docs:
        f = doc_facts(d)
        m = f["metrics"]
        sigs.update((d.get("scores") or {}).get("signatures") or {})
        removed = d.get("removed")
        removed_n = len(removed) if isinstance(removed, list) else (d.get("_manifest") or {}).get("removed_lines", "")
        cells = [
            d.get("id", "?"), d.get("status", "?") + (f" ({d.get('reason')})" if d.get("reason") else ""),
            d.get("route") or "–", str(removed_n), ", ".join(f["failed"]) or "none",
            f"{_fmt(f['garble_in'])} → {_fmt(f['garble_out'])}",
            *(_fmt(m.get(k)) for k in METRIC_KEYS), "; ".join(d.get("flags") or []) or "",
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    if sigs:
        lines += ["", "Scores are on reference passages aligned to output sentences (sacrebleu):", ""]
        lines += [f"- `{s}`" for s in sigs.values()]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- html

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:24px;color:#1b1b1b;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 6px;border-top:2px solid #ddd;padding-top:14px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#a40000;font-weight:600}.good{color:#176117}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.pane{border:1px solid #ccc;border-radius:4px;padding:8px 10px;background:#fcfcfc;overflow-wrap:anywhere}
.pane h3{font-size:13px;margin:0 0 6px;color:#555;text-transform:uppercase;letter-spacing:.04em}
.pane p{margin:0 0 8px}.removed{color:#9a9a9a;background:#f1f1f1;text-decoration:line-through;display:block}
.removed .why{text-decoration:none;font-size:11px;color:#777;margin-left:6px}
mark.garbled{background:#ffe58a}mark.flagged{background:#ffc2c2}mark.weak{background:#cfe3ff}
.legend span{margin-right:14px}.sig{font:11px monospace;color:#555}
.muted{color:#777}svg text{font:11px system-ui,sans-serif}
"""


def _svg_hist(series: dict[str, list[float]], *, threshold: float, width: int = 560, height: int = 200) -> str:
    """An inline SVG histogram (10 bins over [0, 1]) of one or more score series."""
    colors = ["#8c8c8c", "#2f6fdb", "#d9822b"]
    bins = 10
    counts = {k: [0] * bins for k in series}
    for k, vals in series.items():
        for v in vals:
            counts[k][min(bins - 1, max(0, int(v * bins)))] += 1
    top = max([1] + [c for cs in counts.values() for c in cs])
    pad_l, pad_b, pad_t = 34, 28, 24
    pw, ph = width - pad_l - 10, height - pad_b - pad_t
    bw = pw / bins
    k_n = max(1, len(series))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="distribution of garble scores">',
             f'<line x1="{pad_l}" y1="{pad_t + ph}" x2="{pad_l + pw}" y2="{pad_t + ph}" stroke="#444"/>',
             f'<line x1="{pad_l}" y1="{pad_t}" x2="{pad_l}" y2="{pad_t + ph}" stroke="#444"/>']
    for i in range(bins + 1):
        x = pad_l + i * bw
        parts.append(f'<text x="{x:.1f}" y="{pad_t + ph + 14}" text-anchor="middle">{i / bins:.1f}</text>')
    for t in range(0, top + 1, max(1, top // 4)):
        y = pad_t + ph - ph * t / top
        parts.append(f'<text x="{pad_l - 5}" y="{y + 4:.1f}" text-anchor="end">{t}</text>')
    for si, (k, cs) in enumerate(counts.items()):
        for i, c in enumerate(cs):
            if not c:
                continue
            h = ph * c / top
            x = pad_l + i * bw + 2 + si * (bw - 4) / k_n
            parts.append(f'<rect x="{x:.1f}" y="{pad_t + ph - h:.1f}" width="{(bw - 4) / k_n:.1f}" height="{h:.1f}" '
                         f'fill="{colors[si % 3]}"><title>{html.escape(k)}: {c} in [{i / bins:.1f}, {(i + 1) / bins:.1f})</title></rect>')
        parts.append(f'<rect x="{pad_l + 10 + si * 150}" y="6" width="10" height="10" fill="{colors[si % 3]}"/>'
                     f'<text x="{pad_l + 24 + si * 150}" y="15">{html.escape(k)} (n={len(series[k])})</text>')
    tx = pad_l + pw * threshold
    parts.append(f'<line x1="{tx:.1f}" y1="{pad_t}" x2="{tx:.1f}" y2="{pad_t + ph}" stroke="#c00" stroke-dasharray="4 3"/>'
                 f'<text x="{tx + 4:.1f}" y="{pad_t + 10}" fill="#c00">garbled at {threshold}</text>')
    parts.append(f'<text x="{pad_l + pw / 2:.1f}" y="{height - 2}" text-anchor="middle">garble score</text></svg>')
    return "".join(parts)


def _svg_bars(values: dict[str, float], *, label: str, top: float = 100.0, width: int = 560) -> str:
    """An inline SVG of horizontal bars, one per document (e.g. chrF2 against the references)."""
    row, pad_l = 18, 190
    height = 30 + row * len(values)
    pw = width - pad_l - 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{html.escape(label)} per document">',
             f'<text x="{pad_l}" y="12">{html.escape(label)} (0–{top:g})</text>']
    for i, (name, v) in enumerate(values.items()):
        y = 20 + i * row
        w = max(0.0, min(1.0, v / top)) * pw
        parts.append(f'<text x="{pad_l - 6}" y="{y + 12}" text-anchor="end">{html.escape(name[:28])}</text>'
                     f'<rect x="{pad_l}" y="{y + 2}" width="{w:.1f}" height="{row - 5}" fill="#2f6fdb">'
                     f'<title>{html.escape(name)}: {v:.2f}</title></rect>'
                     f'<text x="{pad_l + w + 4:.1f}" y="{y + 12}">{v:.1f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _original_html(d: dict) -> str:
    raw = d.get("raw") or ""
    removed = {}
    for r in d.get("removed") or []:
        if isinstance(r, dict) and "line" in r:
            removed[int(r["line"])] = r.get("reason", "")
    out = []
    for i, line in enumerate(raw.splitlines()):
        if i in removed:
            out.append(f'<span class="removed" title="removed: {html.escape(removed[i])}">{html.escape(line) or "&nbsp;"}'
                       f'<span class="why">[{html.escape(removed[i])}]</span></span>')
        elif line.strip():
            out.append(f"<p>{html.escape(line)}</p>")
    if not out and d.get("paragraphs"):
        out = [f"<p>{html.escape(p)}</p>" for p in d["paragraphs"]]
    src = d.get("source_text")
    if src and src != raw:
        out.append('<h3>attached source</h3>' + "".join(f"<p>{html.escape(p)}</p>" for p in src.splitlines() if p.strip()))
    return "".join(out) or '<p class="muted">(empty)</p>'


def _output_html(d: dict) -> str:
    output = d.get("output") or ""
    if not output.strip():
        return '<p class="muted">(no output)</p>'
    # the record's segments as written to JSON: a translated sentence's "out" and its guard "flags"
    flagged_outs = [(s.get("out") or "", s.get("flags") or [])
                    for s in d.get("segments") or [] if isinstance(s, dict) and s.get("flags")]
    weak: dict[int, str] = {}
    scores = d.get("scores") or {}
    for p in scores.get("passages") or []:
        if p.get("matched") and p.get("sentences") and p.get("id") in (scores.get("weak") or []):
            for k in range(*p["sentences"]):
                weak[k] = f"weak match with reference {p['id']} (chrF2 {p.get('chrF2')})"
    k = 0
    paras = []
    for para in output.split("\n"):
        if not para.strip():
            continue
        parts = []
        for s in split_sentences(para):
            cls, why = None, []
            for seg_out, flags in flagged_outs:
                if seg_out and (seg_out.strip() in s or s in seg_out):
                    cls = "flagged"
                    why.append("MT guard: " + ", ".join(map(str, flags)))
            if cls is None and len(s.split()) >= 4:
                g = garble_score(s)
                if g >= GARBLED_AT:
                    cls = "garbled"
                    why.append(f"garble {g:.2f}: " + ", ".join(garble_reasons(s)))
            if k in weak:
                cls = cls or "weak"
                why.append(weak[k])
            t = html.escape(s)
            parts.append(f'<mark class="{cls}" title="{html.escape("; ".join(why))}">{t}</mark>' if cls else t)
            k += 1
        paras.append("<p>" + " ".join(parts) + "</p>")
    return "".join(paras)


def _checks_html(d: dict, f: dict) -> str:
    rows = []
    for c in d.get("checks") or []:
        if isinstance(c, dict):
            ok = c.get("ok", True)
            rows.append(f'<tr><td>{html.escape(str(c.get("name")))}</td><td class="{"good" if ok else "bad"}">'
                        f'{"ok" if ok else "FAIL"}</td><td>{html.escape(str(c.get("detail", "")))}</td></tr>')
    rows.append(f'<tr><td>garble in → out</td><td class="num">{_fmt(f["garble_in"])} → {_fmt(f["garble_out"])}</td>'
                f'<td>garbled at {GARBLED_AT}</td></tr>')
    scores = d.get("scores") or {}
    sigs = scores.get("signatures") or {}
    for k, v in f["metrics"].items():
        rows.append(f'<tr><td>{k}</td><td class="num">{v:.2f}</td><td class="sig">{html.escape(sigs.get(k, ""))}</td></tr>')
    if f["coverage"] is not None:
        um = ", ".join(scores.get("unmatched") or []) or "none"
        rows.append(f'<tr><td>reference coverage</td><td class="num">{f["coverage"]:.0%}</td>'
                    f'<td>unmatched passages: {html.escape(um)}</td></tr>')
    return '<table><tr><th>check / score</th><th>result</th><th>detail</th></tr>' + "".join(rows) + "</table>"


def render_html(docs: list[dict]) -> str:
    """The self-contained HTML report."""
    esc = html.escape
    facts = [doc_facts(d) for d in docs]
    g_in = [f["garble_in"] for f in facts if f["garble_in"] is not None]
    g_out = [f["garble_out"] for f in facts if f["garble_out"] is not None]
    head = ["<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">",
            "<title>retranslate report</title><style>", _CSS, "</style></head><body>",
            "<h1>retranslate report</h1>",
            f'<p class="muted">{len(docs)} document(s). Garble score: 0 fluent … 1 garbled machine translation.</p>']
    rows = ['<table><tr><th>document</th><th>status</th><th>route</th><th>removed</th><th>failed checks</th>'
            '<th>garble in → out</th>' + "".join(f"<th>{k}</th>" for k in METRIC_KEYS) + "<th>flags</th></tr>"]
    for d, f in zip(docs, facts):
        did = str(d.get("id", "?"))
        st = d.get("status", "?")
        rows.append(
            f'<tr><td><a href="#doc-{esc(did)}">{esc(did)}</a></td>'
            f'<td class="{"good" if st == "ok" else "bad"}">{esc(st)}</td><td>{esc(str(d.get("route") or "–"))}</td>'
            f'<td class="num">{len(d.get("removed") or [])}</td>'
            f'<td class="{"bad" if f["failed"] else "good"}">{esc(", ".join(f["failed"]) or "none")}</td>'
            f'<td class="num">{_fmt(f["garble_in"])} → {_fmt(f["garble_out"])}</td>'
            + "".join(f'<td class="num">{_fmt(f["metrics"].get(k))}</td>' for k in METRIC_KEYS)
            + f'<td>{esc("; ".join(d.get("flags") or []))}</td></tr>')
    rows.append("</table>")
    plot = ["<h2>Score distribution</h2>",
            _svg_hist({"original": g_in, "output": g_out}, threshold=GARBLED_AT)]
    chrf = {str(d.get("id", "?")): f["metrics"]["chrF2"] for d, f in zip(docs, facts) if "chrF2" in f["metrics"]}
    if chrf:
        plot.append(_svg_bars(chrf, label="chrF2 against the reference passages"))
    body = ['<h2>Documents</h2><p class="legend"><span><mark class="flagged">flagged by the MT guards</mark></span>'
            '<span><mark class="garbled">reads garbled</mark></span><span><mark class="weak">weak match with the reference</mark></span>'
            '<span class="removed" style="display:inline">removed boilerplate</span></p>']
    for d, f in zip(docs, facts):
        did = str(d.get("id", "?"))
        meta = d.get("metadata") or {}
        title = meta.get("title") or ""
        body.append(f'<section id="doc-{esc(did)}"><h2>{esc(did)}{(" — " + esc(str(title))) if title else ""}</h2>')
        if d.get("reason"):
            body.append(f'<p class="bad">{esc(str(d.get("status")))}: {esc(str(d["reason"]))}</p>')
        for note in (d.get("flags") or []):
            body.append(f'<p class="bad">⚑ {esc(str(note))}</p>')
        body.append(_checks_html(d, f))
        if d.get("_record"):
            body.append(f'<div class="cols"><div class="pane"><h3>original</h3>{_original_html(d)}</div>'
                        f'<div class="pane"><h3>output</h3>{_output_html(d)}</div></div>')
        else:
            body.append('<p class="muted">(record not found)</p>')
        body.append("</section>")
    return "".join(head + rows + plot + body) + "</body></html>\n"
