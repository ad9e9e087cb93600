"""Engine behaviour on a deterministic fake backend and on the tiny Marian models."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from mt.backends.base import Backend, Decoding
from mt.cache import TranslationCache
from mt.engine import Engine
from mt.segment import segment_paragraphs

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def pseudo(text: str, decoding=None) -> str:
    """A deterministic stand-in 'translation': one Latin pseudo-word per Chinese character, ASCII kept."""
    out = []
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            n = ord(ch) - 0x4E00
            out.append("w" + chr(97 + n % 26) + chr(97 + n // 26 % 26) + chr(97 + n // 676 % 26))
        elif ch.isascii() and not ch.isspace():
            if out and out[-1][-1:].isascii() and not out[-1].startswith("w"):
                out[-1] += ch
            else:
                out.append(ch)
    return " ".join(out)


class FakeBackend(Backend):
    """Counts one token per character; translates with ``fn``; records every call."""

    name = "fake"

    def __init__(self, fn=pseudo, model_id: str = "fake-1", max_input_tokens: int = 512):
        self.fn = fn
        self.model_id = model_id
        self.max_input_tokens = max_input_tokens
        self.calls: list[tuple[list[str], Decoding]] = []

    def count_tokens(self, texts):
        return [len(t) + 1 for t in texts]

    def translate(self, texts, decoding):
        self.calls.append((list(texts), decoding))
        return [self.fn(t, decoding) for t in texts]

    @property
    def inputs(self) -> list[str]:
        return [t for texts, _ in self.calls for t in texts]


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    source: str
    target: str


class OneTermGlossary:
    def __init__(self, source: str, target: str):
        self.source, self.target = source, target

    def find_source_terms(self, text):
        hits, i = [], text.find(self.source)
        while i >= 0:
            hits.append(Hit(i, i + len(self.source), self.source, self.target))
            i = text.find(self.source, i + len(self.source))
        return hits


SENTENCES = [
    "创新是引领发展的第一动力。", "人才是第一资源。", "大连高新区深入推进创新驱动战略，完善政策、搭平台、优服务。",
    "目前区内科技企业1100余家。", "春播一粒粟。", "海创周助力招才引智，吸引全球创新创业资源汇聚，鼓励更多海外学子来到大连创业就业。",
]


def test_order_and_paragraphs_survive_many_small_batches():
    paragraphs = ["".join(SENTENCES[i % 6] for i in range(k, k + 1 + k % 3)) for k in range(12)] + [""]
    backend = FakeBackend()
    engine = Engine.from_backend(backend, batch_tokens=80)
    result = engine.translate_paragraphs(paragraphs)
    assert len(result.paragraphs) == len(paragraphs)
    for para, out in zip(paragraphs, result.paragraphs):
        units = segment_paragraphs([para], "zh")
        assert out == " ".join(pseudo(u.text) for u in units)
    assert result.paragraphs[-1] == ""
    assert len(backend.calls) > 2
    for texts, _ in backend.calls:  # token budget and length sorting inside each batch
        lengths = backend.count_tokens(texts)
        assert lengths == sorted(lengths)
        assert max(lengths) * len(texts) <= 80 or len(texts) == 1


def test_identical_sentences_are_translated_once():
    backend = FakeBackend()
    result = Engine.from_backend(backend).translate_paragraphs(["人才是第一资源。" * 3, "人才是第一资源。创新是引领发展的第一动力。"] * 5)
    assert sorted(backend.inputs) == sorted(["人才是第一资源。", "创新是引领发展的第一动力。"])
    assert result.stats["segments"] == 25 and result.stats["translated"] == 2 and result.stats["unique"] == 2


def test_long_sentence_is_translated_in_pieces_not_truncated():
    text = "创新驱动发展" * 500  # 3,000 characters without punctuation
    backend = FakeBackend()
    engine = Engine.from_backend(backend, max_tokens=100)
    result = engine.translate_paragraphs([text])
    seg = result.segments[0]
    assert seg["pieces"] >= 30
    assert all(n <= 100 for n in backend.count_tokens(backend.inputs))
    # every source character is accounted for in the output (pseudo: one word per character)
    assert len(result.paragraphs[0].split()) == 3000


def test_numbers_and_dates_bypass_the_model():
    backend = FakeBackend()
    result = Engine.from_backend(backend).translate_paragraphs(["2018-07-09 14:35:39", "2018年7月9日", "人才是第一资源。"])
    assert result.paragraphs[:2] == ["2018-07-09 14:35:39", "July 9, 2018"]
    assert backend.inputs == ["人才是第一资源。"]
    assert result.stats["bypassed"] == 2


def test_rerun_is_served_from_the_cache(tmp_path):
    cache = TranslationCache(tmp_path / "mt.sqlite3")
    paragraphs = ["".join(SENTENCES), SENTENCES[0]]
    first = Engine.from_backend(FakeBackend(), cache=cache).translate_paragraphs(paragraphs)
    assert first.stats["translated"] == 6 and first.stats["cached"] == 0
    backend = FakeBackend()
    again = Engine.from_backend(backend, cache=TranslationCache(tmp_path / "mt.sqlite3")).translate_paragraphs(paragraphs)
    assert again.stats["translated"] == 0 and again.stats["cached"] == 6
    assert backend.calls == []
    assert again.paragraphs == first.paragraphs
    assert all(s["cached"] for s in again.segments)


def test_cache_is_invalidated_by_decoding_options_and_model(tmp_path):
    cache = TranslationCache(tmp_path / "mt.sqlite3")
    Engine.from_backend(FakeBackend(), cache=cache).translate_paragraphs(SENTENCES)
    other_decoding = Engine.from_backend(FakeBackend(), cache=cache, decoding=Decoding(beam_size=2))
    assert other_decoding.translate_paragraphs(SENTENCES).stats["translated"] == 6
    other_model = Engine.from_backend(FakeBackend(model_id="fake-2"), cache=cache)
    assert other_model.translate_paragraphs(SENTENCES).stats["translated"] == 6
    assert Engine.from_backend(FakeBackend(), cache=cache).translate_paragraphs(SENTENCES).stats["translated"] == 0


def test_a_failing_cache_is_dropped_not_fatal(tmp_path, capsys):
    class Broken:
        def get_many(self, *a):
            raise OSError("disk I/O error")

        put_many = get_many

    engine = Engine.from_backend(FakeBackend(), cache=Broken())
    result = engine.translate_paragraphs(SENTENCES)
    assert result.stats["translated"] == 6 and engine.cache is None
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("retranslate: warning: translation cache disabled")


def test_no_cache_translates_again():
    engine = Engine.from_backend(FakeBackend(), cache=None)
    engine.translate_paragraphs(SENTENCES)
    assert engine.translate_paragraphs(SENTENCES).stats["translated"] == 6


def test_loop_is_retried_once_with_stronger_decoding():
    def loops_unless_strong(text, decoding):
        return pseudo(text) if decoding.repetition_penalty >= 1.3 else "come on, come on, come on, come on"

    backend = FakeBackend(loops_unless_strong)
    result = Engine.from_backend(backend).translate_paragraphs(["人才是第一资源。"])
    assert len(backend.calls) == 2
    strong, first = Decoding().stronger(), backend.calls[0][1]
    assert backend.calls[1][1] == replace(strong, max_new_tokens=first.max_new_tokens)
    assert result.paragraphs == [pseudo("人才是第一资源。")]
    assert result.stats["retried"] == 1 and result.stats["flagged"] == 0
    assert result.segments[0]["retried"] and result.segments[0]["flags"] == []


def test_output_length_is_capped_by_the_longest_input_of_each_batch():
    """A translation far longer than its source is a loop: the backend is asked for at most
    OUT_RATIO x the batch's longest input (in tokens) + OUT_SLACK new tokens, the retry too."""
    from mt.engine import OUT_RATIO, OUT_SLACK

    def runaway(text, decoding):
        return "come on, " * decoding.max_new_tokens  # a loop as long as it is allowed to run

    backend = FakeBackend(runaway)  # one token per character, plus one
    short, longer = "人才是第一资源。", "目前，大连高新区内由海外人才创办的科技企业1100余家。"
    engine = Engine.from_backend(backend, decoding=Decoding(max_new_tokens=256), batch_size=1)
    engine.translate_paragraphs([short + longer])
    cap = {t: int(OUT_RATIO * (len(t) + 1) + OUT_SLACK) for t in (short, longer)}
    asked = sorted((texts[0], d.max_new_tokens, d.repetition_penalty) for texts, d in backend.calls)
    assert asked == sorted((t, cap[t], penalty) for t in (short, longer) for penalty in (1.1, 1.3))  # first try, retry
    # a smaller max_new_tokens is kept; min_new_tokens is honoured even above the cap
    backend.calls.clear()
    Engine.from_backend(backend, decoding=Decoding(max_new_tokens=12)).translate_paragraphs([short])
    assert {d.max_new_tokens for _, d in backend.calls} == {12}
    backend.calls.clear()
    Engine.from_backend(backend, decoding=Decoding(min_new_tokens=40, max_new_tokens=48)).translate_paragraphs([short])
    assert {d.max_new_tokens for _, d in backend.calls} == {40}


@pytest.mark.parametrize("fn, flag", [
    (lambda t, d: t, "leftover_chinese"),
    (lambda t, d: "".join(c for c in pseudo(t) if not c.isdigit()), "dropped_number"),
    (lambda t, d: "Yes, 1100.", "length_ratio"),
])
def test_still_bad_after_retry_is_flagged_not_hidden(fn, flag, tmp_path):
    src = "目前，大连高新区内由海外人才创办的科技企业1100余家。"
    cache = TranslationCache(tmp_path / "mt.sqlite3")
    result = Engine.from_backend(FakeBackend(fn), cache=cache).translate_paragraphs([src])
    seg = result.segments[0]
    assert flag in seg["flags"] and seg["retried"]
    assert result.stats["flagged"] == 1
    # flags come back with a cached output too
    again = Engine.from_backend(FakeBackend(fn), cache=cache).translate_paragraphs([src])
    assert flag in again.segments[0]["flags"] and again.stats["translated"] == 0


GLOSSARY = OneTermGlossary("双创", "mass entrepreneurship and innovation")


def test_glossary_term_rendered_by_the_model_needs_nothing_more():
    backend = FakeBackend(lambda t, d: pseudo(t.replace("双创", "")) + " Mass Entrepreneurship and Innovation")
    result = Engine.from_backend(backend).translate_paragraphs(["大连搭建双创平台。"], glossary=GLOSSARY)
    assert result.segments[0]["terms"][0]["how"] == "plain"
    assert backend.inputs == ["大连搭建双创平台。"]


def test_glossary_term_survives_through_a_placeholder():
    backend = FakeBackend()
    result = Engine.from_backend(backend).translate_paragraphs(["大连搭建双创平台。"], glossary=GLOSSARY)
    assert "mass entrepreneurship and innovation" in result.paragraphs[0]
    assert result.segments[0]["terms"][0]["how"] == "placeholder"
    assert "双创" not in backend.calls[-1][0][0]


def test_glossary_term_is_inserted_when_the_model_loses_the_placeholder():
    backend = FakeBackend(lambda t, d: " ".join(w for w in pseudo(t).split() if not w.isupper()))
    result = Engine.from_backend(backend).translate_paragraphs(["大连搭建双创平台，双创示范基地。"], glossary=GLOSSARY)
    out = result.paragraphs[0]
    assert out.count("mass entrepreneurship and innovation") == 2
    assert result.segments[0]["terms"][0]["how"] == "split"
    assert not any("双创" in t for t in backend.calls[-1][0])
    assert out.startswith(pseudo("大连搭建"))


def test_progress_reports_every_sentence(tmp_path):
    seen: list[int] = []
    paragraphs = ["".join(SENTENCES), "2015", SENTENCES[1] * 2]
    result = Engine.from_backend(FakeBackend(), batch_tokens=40).translate_paragraphs(paragraphs, progress=seen.append)
    assert sum(seen) == result.stats["segments"] == 9
    assert len(seen) > 1


def test_input_is_processed_in_chunks():
    produced = []

    def paragraphs():
        for i in range(40):
            produced.append(i)
            yield SENTENCES[i % 6] + f"第{i}段。"

    seen_at_first_call = []

    def fn(text, decoding):
        if not seen_at_first_call:
            seen_at_first_call.append(len(produced))
        return pseudo(text)

    result = Engine.from_backend(FakeBackend(fn), chunk_size=8).translate_paragraphs(paragraphs())
    assert len(result.paragraphs) == 40
    assert seen_at_first_call[0] < 40  # translation started before the input was all read


def test_every_batch_is_queued_before_the_first_is_read():
    """A backend with workers (CTranslate2's replicas) gets the next batches while the engine reads one."""
    events = []

    class Queued(FakeBackend):
        def submit(self, texts, decoding):
            events.append("submit")
            outs = self.translate(texts, decoding)

            def wait():
                events.append("wait")
                return outs

            return wait

    backend = Queued()
    result = Engine.from_backend(backend, batch_size=2, retry=False).translate_paragraphs(SENTENCES)
    assert events == ["submit"] * 3 + ["wait"] * 3
    assert result.paragraphs == [pseudo(s) for s in SENTENCES]


def test_backend_must_answer_every_segment():
    class Broken(FakeBackend):
        def translate(self, texts, decoding):
            return super().translate(texts, decoding)[:-1]

    with pytest.raises(RuntimeError):
        Engine.from_backend(Broken()).translate_paragraphs(SENTENCES[:2])


# ---------------------------------------------------------------- tiny Marian models (real loading code)

FAST = dict(beam_size=1, max_new_tokens=16, no_repeat_ngram_size=0, repetition_penalty=1.0)


def test_tiny_model_keeps_every_seed_paragraph(tiny_zh_en, tiny_en_zh, tmp_path):
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip("seeds/ not present")
    zh_en = Engine.load("zh-en", model=tiny_zh_en, backend="transformers", cache_path=tmp_path / "c.sqlite3", **FAST)
    en_zh = Engine.load("en-zh", model=tiny_en_zh, backend="transformers", cache_path=tmp_path / "c.sqlite3", **FAST)
    for seed in seeds:
        paragraphs = seed.read_text(encoding="utf-8").split("\n\n")
        engine = zh_en if seed.name.startswith("001") else en_zh
        result = engine.translate_paragraphs(paragraphs)
        assert len(result.paragraphs) == len(paragraphs), seed.name
        for before, after in zip(paragraphs, result.paragraphs):
            assert after.count("\n") == before.count("\n")
            assert bool(before.strip()) == bool(after.strip())


def test_tiny_model_long_sentence_in_pieces_and_cached_rerun(tiny_zh_en, tmp_path):
    import random

    rng = random.Random(7)
    pool = "创新驱动发展人才资源平台企业服务政策产业集群海外学子高新区大连"
    text = "".join(rng.choice(pool) for _ in range(3000))
    engine = Engine.load("zh-en", model=tiny_zh_en, backend="transformers", cache_path=tmp_path / "c.sqlite3", **FAST)
    result = engine.translate_paragraphs([text])
    seg = result.segments[0]
    assert seg["pieces"] >= 2
    assert result.stats["translated"] == seg["pieces"]
    assert result.paragraphs[0].strip()
    again = Engine.load("zh-en", model=tiny_zh_en, backend="transformers", cache_path=tmp_path / "c.sqlite3", **FAST)
    rerun = again.translate_paragraphs([text])
    assert rerun.stats["translated"] == 0 and rerun.paragraphs == result.paragraphs


def test_backends_agree_under_greedy_decoding(tiny_zh_en, tmp_path):
    pytest.importorskip("ctranslate2")
    from mt.backends.ct2 import CT2Backend, convert
    from mt.backends.hf import HFBackend

    ct2_dir = convert(tiny_zh_en, tmp_path / "ct2", quantization="float32")
    greedy = Decoding(beam_size=1, max_new_tokens=24)
    paragraphs = SENTENCES + ["“海创工程”成海外人才创业的摇篮。2017年海创周结束以后，步伐明显加快。"]
    hf = Engine.from_backend(HFBackend(tiny_zh_en), decoding=greedy).translate_paragraphs(paragraphs)
    ct = Engine.from_backend(CT2Backend(ct2_dir, compute_type="float32"), decoding=greedy).translate_paragraphs(paragraphs)
    assert hf.paragraphs == ct.paragraphs


def test_multi_target_model_gets_the_chinese_language_token(tmp_path):
    (tmp_path / "vocab.json").write_text('{"</s>": 0, "<unk>": 1, ">>cmn_Hans<<": 2, ">>cmn_Hant<<": 3}')
    backend = FakeBackend(lambda t, d: "越来越多的企业成为创新主体。")
    backend.model_dir = tmp_path
    cache = TranslationCache(tmp_path / "c.sqlite3")
    result = Engine.from_backend(backend, direction="en-zh", cache=cache).translate_paragraphs(
        ["More and more companies innovate."])
    assert backend.inputs == [">>cmn_Hans<< More and more companies innovate."]
    assert result.segments[0]["flags"] == []  # guards see the sentence, not the token
    single = FakeBackend(lambda t, d: "x")
    single.model_dir = tmp_path / "nowhere"
    Engine.from_backend(single, direction="en-zh").translate_paragraphs(["More and more companies innovate."])
    assert set(single.inputs) == {"More and more companies innovate."}


def test_tiny_multi_target_model_reads_the_language_token(tmp_path):
    from tests.tiny_marian import build_tiny_marian

    model = build_tiny_marian(tmp_path / "m", "en-zh", language_tokens=(">>cmn_Hans<<", ">>cmn_Hant<<"))
    engine = Engine.load("en-zh", model=model, backend="transformers", cache_path=False, **FAST)
    assert engine.prefix == ">>cmn_Hans<< "
    assert engine.backend.count_tokens([">>cmn_Hans<< Innovation"]) == [engine.backend.count_tokens(["Innovation"])[0] + 1]
    assert engine.translate_paragraphs(["Innovation drives development."]).paragraphs[0].strip()
