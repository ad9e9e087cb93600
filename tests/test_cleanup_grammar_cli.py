"""LanguageTool stage (safe-correction selection on fake matches; server when there is one) and `retranslate clean`."""
from __future__ import annotations

import argparse
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from cleanup.cli import register
from cleanup.grammar import Grammar, apply_matches, open_grammar, select_safe

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _m(text, found, rule, category, issue="grammar", repl=None, start=0):
    off = text.index(found, start)
    return SimpleNamespace(rule_id=rule, category=category, rule_issue_type=issue, offset=off,
                           error_length=len(found), replacements=list(repl or []), message=f"{rule} message",
                           context=text)


def test_select_safe_corrections():
    text = "This are a apple in Neijiang , and and teh recieve cheerfull Shuangchuang plan."
    matches = [
        _m(text, "are", "SUBJECT_VERB_AGREEMENT", "GRAMMAR", repl=["is"]),
        _m(text, "a", "EN_A_VS_AN", "MISC", repl=["an"], start=9),
        _m(text, " ,", "COMMA_PARENTHESIS_WHITESPACE", "TYPOGRAPHY", "whitespace", repl=[","]),
        _m(text, "and and", "ENGLISH_WORD_REPEAT_RULE", "MISC", "duplication", repl=["and"]),
        _m(text, "teh", "MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", repl=["the"]),
        _m(text, "Neijiang", "MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", repl=["Beijing"]),  # a name
        _m(text, "Shuangchuang", "MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", repl=["Shuang chuang"]),
        _m(text, "recieve", "MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", repl=[]),  # nothing to apply
        _m(text, "cheerfull", "MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", repl=["cheerlessness"]),  # too far
        _m(text, "plan", "PASSIVE_VOICE", "STYLE", "style", repl=["scheme"]),  # style: a finding only
    ]
    safe, rest = select_safe(matches, text)
    assert [m.rule_id for m in safe] == ["SUBJECT_VERB_AGREEMENT", "EN_A_VS_AN", "COMMA_PARENTHESIS_WHITESPACE",
                                         "ENGLISH_WORD_REPEAT_RULE", "MORFOLOGIK_RULE_EN_US"]
    assert {text[m.offset:m.offset + m.error_length] for m in rest} == {
        "Neijiang", "Shuangchuang", "recieve", "cheerfull", "plan"}
    out, changes = apply_matches(text, safe)
    assert out == "This is an apple in Neijiang, and the recieve cheerfull Shuangchuang plan."
    assert [c.stage for c in changes] == ["grammar"] * 5 and changes[0].after == "is"


def test_overlapping_safe_matches_apply_once():
    text = "a a apple"
    m1 = _m(text, "a a", "ENGLISH_WORD_REPEAT_RULE", "MISC", "duplication", repl=["a"])
    m2 = _m(text, "a", "EN_A_VS_AN", "MISC", repl=["an"], start=2)
    safe, rest = select_safe([m1, m2], text)
    assert safe == [m1] and rest == [m2]


def test_grammar_unavailable_never_raises():
    g = open_grammar("http://127.0.0.1:9")  # nothing listens there
    assert not g.available and g.message.startswith("LanguageTool skipped")
    assert g.correct("Some text .") == ("Some text .", [], [])


def test_grammar_failure_during_check_is_a_finding():
    class Broken:
        def check(self, text):
            raise RuntimeError("server went away")

    text, changes, findings = Grammar(Broken(), "test").correct("Some text.")
    assert text == "Some text." and changes == [] and "server went away" in findings[0]["message"]


LT_URL = os.environ.get("LANGUAGETOOL_URL")


@pytest.mark.skipif(not LT_URL, reason="no LanguageTool server: set LANGUAGETOOL_URL=http://host:port "
                                       "(the LanguageTool download is not reachable from this machine)")
def test_languagetool_integration():
    g = open_grammar(LT_URL)
    assert g.available, g.message
    text, changes, findings = g.correct("This is a apple and and it are good .")
    assert "an apple" in text and "and and" not in text
    assert all(c.stage == "grammar" for c in changes)


# ------------------------------------------------------------------ CLI

def _run(argv, capsys):
    p = argparse.ArgumentParser(prog="retranslate")
    register(p.add_subparsers())
    args = p.parse_args(argv)
    rc = args.func(args)
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_clean_prints_text_and_explains(capsys):
    seed = next(SEEDS.glob("001_*.txt"))
    rc, out, err = _run(["clean", str(seed), "--explain"], capsys)
    assert rc == 0
    assert out.startswith("大连高新区搭建国际化双创平台激活发展新动能\n\n2018-07-09")
    assert "版权与免责声明" not in out and "关注我们" not in out
    assert "removed line 47: copyright/disclaimer heading: 版权与免责声明:" in err
    assert "metadata author: 叶伟" in err and "repeated paragraph kept once" in err
    rc, out, err = _run(["clean", str(seed)], capsys)
    assert err == ""


def test_clean_english_seed_applies_glossary(capsys):
    rc, out, err = _run(["clean", str(next(SEEDS.glob("003_*.txt"))), "--explain"], capsys)
    assert "All Rights Reserved" not in out and "inner river" not in out
    assert "terminology: glossary: 'inner river'" in err
    rc, out, _ = _run(["clean", str(next(SEEDS.glob("003_*.txt"))), "--no-terms"], capsys)
    assert "inner river" in out


def test_clean_lines_one_in_one_out(tmp_path, capsys):
    f = tmp_path / "mt.eng"
    lines = ["Xinjiang Xinjiang Xinjiang is big .", "", "A good line.", "China ' s plan"]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rc, out, err = _run(["clean", "--lines", str(f), "--explain"], capsys)
    assert out.split("\n")[:-1] == ["Xinjiang is big.", "", "A good line.", "China's plan"]
    assert "line 1: repetition loop collapsed" in err and "line 4: apostrophe spacing" in err


def test_clean_html(tmp_path, capsys):
    f = tmp_path / "page.html"
    f.write_text("<html><body><nav>Home | News | About</nav><article><h1>Dalian builds a park</h1>"
                 "<p>The city of Dalian has opened a new science park with 40 companies in it.</p>"
                 "<p>Copyright © 2021 Dalian News. All Rights Reserved.</p></article></body></html>", encoding="utf-8")
    rc, out, _ = _run(["clean", str(f)], capsys)
    assert "Dalian has opened a new science park with 40 companies" in out
    assert "All Rights Reserved" not in out and "Home | News" not in out


def test_clean_bad_input_is_one_line_user_error(tmp_path):
    from mt.errors import InputError

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    p = argparse.ArgumentParser()
    register(p.add_subparsers())
    for path in (str(empty), str(tmp_path / "missing.txt")):
        args = p.parse_args(["clean", path])
        with pytest.raises(InputError):
            args.func(args)
