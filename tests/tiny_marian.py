"""Build a tiny, random-weight MarianMT model directory for tests.

The model is a normal Hugging Face Marian directory (config.json, weights,
vocab.json, source.spm, target.spm, tokenizer_config.json), so the real loading
code (``MarianMTModel.from_pretrained``, ``MarianTokenizer.from_pretrained``, the
CTranslate2 converter) runs on it.  Its SentencePiece vocabularies are trained
in about a second on the project's seed documents (``seeds/*.txt``) plus a few
fixed lines, so the builder also works when the seeds are absent.

The weights are random (fixed seed): the model translates nonsense.  It exists
to test plumbing (ordering, batching, caching, splitting, guards), never the
quality of a translation.

Example::

    from tests.tiny_marian import build_tiny_marian
    model_dir = build_tiny_marian(tmp_path / "zh-en", direction="zh-en")
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

#: Used in addition to the seeds so that the vocabularies never come out empty.
FIXED_ZH = [
    "大连高新区搭建国际化双创平台激活发展新动能。",
    "创新是引领发展的第一动力，人才是第一资源。",
    "2015年以来，新设立企业1089家，增长21.68%。",
    "“海创工程”成海外人才创业的摇篮！",
    "目前，区内科技企业1100余家；30%的生物医药企业由海归人才创办。",
    "春播一粒粟，秋收万颗种……",
    "他说：“我们要继续优化创新环境、完善服务体系。”",
    "一二三四五六七八九十百千万亿年月日时分秒元人家个项次",
]
FIXED_EN = [
    "Dalian High-tech Zone builds an international platform for innovation and entrepreneurship.",
    "Innovation is the first driving force of development, and talent is the first resource.",
    "Since 2015, 1,089 new enterprises were established, an increase of 21.68%.",
    "The \"Overseas Innovation Project\" is the cradle of overseas talent!",
    "At present, there are more than 1,100 technology companies in the zone; 30% of them were founded by returnees.",
    "He said: \"We must continue to optimise the innovation environment and improve services.\"",
    "The quick brown fox jumps over the lazy dog, while the city grows and the people work.",
    "January February March April May June July August September October November December",
]

#: Tiny architecture: a couple of seconds to build, milliseconds per batch.
TINY_DIMS = dict(
    d_model=32,
    encoder_layers=1,
    decoder_layers=1,
    encoder_attention_heads=2,
    decoder_attention_heads=2,
    encoder_ffn_dim=64,
    decoder_ffn_dim=64,
    max_position_embeddings=512,
)

_CJK = re.compile(r"[\u3400-\u9fff]")


def _seed_lines() -> tuple[list[str], list[str]]:
    """Chinese and English lines of the committed seeds (empty lists when absent)."""
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    zh: list[str] = []
    en: list[str] = []
    for path in sorted(seeds.glob("*.txt")):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            (zh if _CJK.search(line) else en).append(line)
    return zh, en


def _train_spm(lines: list[str], vocab_size: int, coverage: float) -> bytes:
    """Train a SentencePiece unigram model in memory and return its bytes."""
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buf,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=coverage,
        hard_vocab_limit=False,
        # Marian's conventions: </s> is id 0 and <unk> id 1 in the joint vocab;
        # inside the spm model only unk matters.
        unk_id=0,
        bos_id=-1,
        eos_id=-1,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
        seed_sentencepiece_size=20000,
    )
    return buf.getvalue()


def _pieces(model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build_tiny_marian(out_dir, direction: str = "zh-en", seed: int = 0, language_tokens: tuple[str, ...] = ()) -> Path:
    """Write a tiny random-weight Marian model for ``direction`` into ``out_dir``.

    ``direction`` is "zh-en" or "en-zh"; ``language_tokens`` adds target-language
    tokens such as ">>cmn_Hans<<" to the vocabulary (as in multi-target OPUS-MT models).  Returns the directory (a ``Path``),
    loadable with ``MarianMTModel.from_pretrained`` / ``MarianTokenizer.from_pretrained``.
    The same arguments always give the same weights.
    """
    if direction not in ("zh-en", "en-zh"):
        raise ValueError(f"direction must be 'zh-en' or 'en-zh', not {direction!r}")
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    zh_lines, en_lines = _seed_lines()
    zh_model = _train_spm(FIXED_ZH + zh_lines, vocab_size=800, coverage=0.9995)
    en_model = _train_spm(FIXED_EN + en_lines, vocab_size=600, coverage=1.0)
    src_model, tgt_model = (zh_model, en_model) if direction == "zh-en" else (en_model, zh_model)

    # Joint vocabulary, as in the OPUS-MT models: </s>=0, <unk>=1, ..., <pad> last.
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for token in language_tokens:
        vocab[token] = len(vocab)
    for piece in _pieces(src_model) + _pieces(tgt_model):
        if piece not in vocab and piece not in ("<unk>", "<s>", "</s>", "<pad>"):
            vocab[piece] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (out / "source.spm").write_bytes(src_model)
    (out / "target.spm").write_bytes(tgt_model)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")
    src_lang, tgt_lang = ("zho", "eng") if direction == "zh-en" else ("eng", "zho")
    (out / "tokenizer_config.json").write_text(
        json.dumps({"source_lang": src_lang, "target_lang": tgt_lang}), encoding="utf-8"
    )

    pad_id = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        pad_token_id=pad_id,
        decoder_start_token_id=pad_id,
        eos_token_id=0,
        bos_token_id=0,
        forced_eos_token_id=0,
        activation_function="swish",
        scale_embedding=True,
        static_position_embeddings=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
        max_length=512,
        num_beams=4,
        bad_words_ids=[[pad_id]],
        # Wide random weights: with the usual 0.02 the output ignores the input.
        init_std=0.5,
        **TINY_DIMS,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.eval()
    # Keep the random decoder on the target side: pieces that only exist in the
    # source vocabulary get a large negative output bias (like a trained model
    # that never emits them).  The CTranslate2 converter carries this bias over.
    tgt_pieces = set(_pieces(tgt_model))
    with torch.no_grad():
        bias = torch.zeros_like(model.final_logits_bias)
        for piece, idx in vocab.items():
            if piece not in tgt_pieces and piece != "</s>":
                bias[0, idx] = -100.0
        model.final_logits_bias.copy_(bias)
    model.save_pretrained(out)
    # Round-trip through the real tokenizer code once: fails loudly if the files disagree.
    MarianTokenizer.from_pretrained(out)
    return out


if __name__ == "__main__":  # pragma: no cover - manual use: python tests/tiny_marian.py OUT [direction]
    import sys

    print(build_tiny_marian(sys.argv[1], *(sys.argv[2:3] or ["zh-en"])))
