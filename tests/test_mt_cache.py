"""The SQLite translation cache: keys, persistence, several processes at once."""
from __future__ import annotations

import multiprocessing as mp
import sqlite3

from mt.cache import TranslationCache, cache_key


def test_key_depends_on_identity_decoding_and_segment():
    base = cache_key("transformers:abc:float32", "{}", "你好。")
    assert base == cache_key("transformers:abc:float32", "{}", "你好。")
    assert len({base, cache_key("ctranslate2:abc:int8", "{}", "你好。"),
                cache_key("transformers:abc:float32", '{"beam_size": 2}', "你好。"),
                cache_key("transformers:abc:float32", "{}", "你好！")}) == 4


def test_round_trip_and_persistence(tmp_path):
    path = tmp_path / "sub" / "mt.sqlite3"
    cache = TranslationCache(path)
    cache.put_many("id", "dec", {"你好。": ("Hello.", []), "再见。": ("Bye bye bye bye.", ["loop"])})
    cache.close()
    again = TranslationCache(path)
    assert again.get_many("id", "dec", ["你好。", "再见。", "谢谢。"]) == {
        "你好。": ("Hello.", []), "再见。": ("Bye bye bye bye.", ["loop"])}
    assert again.get_many("other", "dec", ["你好。"]) == {}
    assert len(again) == 2
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode.lower() == "wal"


def _writer(path, worker, n):
    cache = TranslationCache(path)
    for i in range(0, n, 10):
        cache.put_many("id", "dec", {f"w{worker}-{j}": (f"out {worker} {j}", []) for j in range(i, i + 10)})
        cache.get_many("id", "dec", [f"w{1 - worker}-{j}" for j in range(i)])
    cache.close()


def test_several_processes_write_at_once(tmp_path):
    path = tmp_path / "mt.sqlite3"
    TranslationCache(path).close()
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    procs = [ctx.Process(target=_writer, args=(path, w, 200)) for w in (0, 1)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    cache = TranslationCache(path)
    assert len(cache) == 400
    assert cache.get_many("id", "dec", ["w1-199"]) == {"w1-199": ("out 1 199", [])}
