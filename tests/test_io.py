"""Reading inputs: files, directories, JSONL, HTML, explicit pairs, bad inputs."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from mt import io
from mt.errors import UserError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

ZH = "大连高新区搭建国际化双创平台激活发展新动能。创新是引领发展的第一动力，人才是第一资源。"
ZH_HANT = "大連高新區搭建國際化雙創平台。創新是引領發展的第一動力，人才是第一資源。"
EN = "Dalian High-tech Zone builds an international platform.\n\nInnovation is the first driving force."


def _tree_hash(root: Path) -> dict[str, str]:
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.is_symlink():
            out[str(p)] = hashlib.sha1(p.read_bytes()).hexdigest()
    return out


def test_doc_ids_strip_language_tags():
    assert io.doc_id_for("seeds/000_93d24b2d31ac7832.txt") == "000_93d24b2d31ac7832"
    assert io.doc_id_for("x/NAME.en.txt") == "NAME"
    assert io.doc_id_for("x/NAME.zh.txt") == "NAME"
    assert io.doc_id_for("page.html") == "page"
    assert io.safe_id("../../etc/passwd") == "etc_passwd"


def test_seeds_directory_gives_exactly_the_five_listed_documents():
    if not (SEEDS / "manifest.jsonl").is_file():
        pytest.skip("seeds/ not in this checkout")
    docs = io.read_inputs([SEEDS])
    assert [d.id for d in docs] == [
        "000_93d24b2d31ac7832", "001_3003b70348e16070", "002_a925a762f2fa1f6b",
        "003_cded1adef65ac78b", "004_a3e962ce704494b6",
    ]
    assert all(d.status == "ok" and d.raw for d in docs)
    assert docs[1].metadata.get("declared_lang") == "zh"


def test_directory_recursive_stable_order_and_jsonl_only_when_named(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "a.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "c.md.bak").write_text("not a document", encoding="utf-8")
    (tmp_path / "notes.jsonl").write_text(json.dumps({"id": "j", "text": EN}) + "\n", encoding="utf-8")
    ids = [d.id for d in io.read_inputs([tmp_path])]
    assert ids == ["a", "z"]
    assert [d.id for d in io.read_inputs([tmp_path / "notes.jsonl"])] == ["j"]


def test_explicit_pair_by_file_name_is_one_document(tmp_path):
    (tmp_path / "story.en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "story.zh.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "other.txt").write_text(EN, encoding="utf-8")
    docs = io.read_inputs([tmp_path])
    assert [d.id for d in docs] == ["other", "story"]
    story = docs[1]
    assert story.raw.startswith("Dalian") and story.source_text == ZH
    assert story.source_pairing == "explicit" and story.source_origin.endswith("story.zh.txt")


def test_jsonl_documents_sources_and_bad_lines(tmp_path):
    (tmp_path / "src.zh.txt").write_text(ZH, encoding="utf-8")
    lines = [
        json.dumps({"id": "a", "text": EN, "lang": "en", "zh_source": ZH}, ensure_ascii=False),
        json.dumps({"id": "b", "text": EN, "source": "src.zh.txt"}),
        "{not json",
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "text": EN, "source": "missing.zh.txt"}),
        json.dumps({"text": ZH}, ensure_ascii=False),
    ]
    jf = tmp_path / "batch.jsonl"
    jf.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = {d.id: d for d in io.read_inputs([jf])}
    assert docs["a"].source_text == ZH and docs["a"].metadata["declared_lang"] == "en"
    assert docs["b"].source_text == ZH and docs["b"].source_origin.endswith("src.zh.txt")
    assert docs["batch-3"].status == "error" and "JSON" in docs["batch-3"].reason
    assert docs["c"].status == "error" and "text" in docs["c"].reason
    assert docs["d"].status == "error" and "missing.zh.txt" in docs["d"].reason
    assert docs["batch-6"].status == "ok" and docs["batch-6"].raw == ZH
    for d in docs.values():
        assert "\n" not in d.reason


def test_html_main_text(tmp_path):
    body = " ".join(["The zone registered 1,786 patents and 1,089 new enterprises in 2015."] * 3)
    html = (
        "<html><head><title>t</title></head><body><nav><a href='/'>HOME</a> &gt; News</nav>"
        f"<article><h1>Dalian high tech zone</h1><p>{body}</p><p>{body}</p></article>"
        "<footer>All Rights Reserved</footer></body></html>"
    )
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    (doc,) = io.read_inputs([tmp_path / "page.html"])
    assert doc.status == "ok" and doc.id == "page"
    assert "1,786 patents" in doc.raw
    assert "<p>" not in doc.raw


def test_duplicate_ids_get_stable_suffixes(tmp_path):
    for sub in ("x", "y"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_text(f"{EN} {sub}", encoding="utf-8")
    docs = io.read_inputs([tmp_path])
    assert [d.id for d in docs] == ["same", "same-2"]
    assert docs[0].raw.endswith("x") and docs[1].raw.endswith("y")
    assert [d.id for d in io.read_inputs([tmp_path])] == ["same", "same-2"]


def test_missing_input_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        io.read_inputs([tmp_path / "nope"])


def make_bad_inputs(d: Path) -> dict[str, str]:
    """A directory of awkward inputs; returns id -> what the file is."""
    d.mkdir(parents=True, exist_ok=True)
    (d / "good.txt").write_text(EN, encoding="utf-8")
    (d / "good_zh.txt").write_text(ZH, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "gb18030.txt").write_bytes(ZH.encode("gb18030"))
    (d / "big5.txt").write_bytes(ZH_HANT.encode("big5"))
    (d / "utf16bom.txt").write_bytes(ZH.encode("utf-16"))
    (d / "utf8bom.txt").write_bytes(b"\xef\xbb\xbf" + ZH.encode("utf-8"))
    (d / "oneline.txt").write_text("word " * 420_000, encoding="utf-8")  # 2.1 MB on one line
    os.symlink(d / "does-not-exist.txt", d / "broken_link.txt")  # unreadable even for root
    (d / "folder.txt").mkdir()  # a directory where a document is expected
    unreadable = d / "noperm.txt"
    unreadable.write_text(EN, encoding="utf-8")
    unreadable.chmod(0)  # unreadable unless the tests run as root
    return {
        "good": "ok", "good_zh": "ok", "empty": "error", "binary": "error", "gb18030": "ok", "big5": "ok",
        "utf16bom": "ok", "utf8bom": "ok", "oneline": "error", "broken_link": "error", "folder": "error",
        "noperm": "ok" if os.geteuid() == 0 else "error",
    }


def test_bad_inputs_become_records_not_exceptions(tmp_path):
    expected = make_bad_inputs(tmp_path / "in")
    before = _tree_hash(tmp_path / "in")
    docs = {d.id: d for d in io.read_inputs([tmp_path / "in"])}
    assert set(docs) == set(expected)
    for doc_id, status in expected.items():
        d = docs[doc_id]
        assert d.status == status, (doc_id, d.status, d.reason)
        if status != "ok":
            assert d.reason and "\n" not in d.reason and len(d.reason) < 400
    assert docs["gb18030"].raw == ZH and docs["utf16bom"].raw == ZH and docs["utf8bom"].raw == ZH
    assert docs["big5"].raw == ZH_HANT
    assert "line of" in docs["oneline"].reason
    assert _tree_hash(tmp_path / "in") == before  # inputs are never modified
    (tmp_path / "in" / "noperm.txt").chmod(0o644)
