"""bench/realpages_garble.py: the AUC and the report's shape, on pages written here (no corpus needed)."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.realpages_corpus import Page, nonblank_lines  # noqa: E402
from bench.realpages_garble import auc, report  # noqa: E402


def test_auc_counts_ties_half_and_orders():
    assert auc([3, 4], [1, 2]) == 1.0
    assert auc([1, 2], [3, 4]) == 0.0
    assert auc([1], [1]) == 0.5
    assert auc([2, 1], [1, 0]) == (1 + 1 + 0.5 + 1) / 4
    assert auc([], [1]) is None


def _page(pid, kind, text, url):
    labels = "".join("H" if i == 0 else "C" for i, _ in enumerate(nonblank_lines(text)))
    return Page(id=pid, url=url, sha1="", lang="en", kind=kind, site="test", labels=labels, split="dev", text=text)


def test_report_keys_and_routes():
    clean = _page("c", "clean", "Company profits rise\n\nThe company said on Monday that its profits had risen by five "
                  "percent last year. Sales were strong in Europe and in Asia, it added.", "https://a.example/1")
    garbled = _page("g", "garbled", "Dalian high tech Zone\n\nthe level of innovation greatly improved , more and more "
                    "Enterprises becomes the main body. (( Adhere to the talent oriented, 1 who was elected "
                    "to the plan.", "https://b.example/2")
    rep = report([clean, garbled])
    s = rep["all"]
    assert (s["garbled"], s["clean"]) == (1, 1)
    assert s["doc_auc"] == 1.0
    assert s["routed_light"] == 1 and s["routed_normalise"] == 1
    assert set(rep["splits"]) == {"dev"}
    assert {"doc_auc", "doc_auc_no_lower", "sent_auc", "routed_normalise", "routed_light"} <= set(s)
