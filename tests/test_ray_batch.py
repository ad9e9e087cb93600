"""The batch on Ray Data: same outputs as the local batch, resume, a killed worker, a deadly document, Ctrl-C.

One local Ray instance (2 CPUs, a small object store) serves every test of this module.
"""
from __future__ import annotations

import _thread
import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from mt.batch import MANIFEST, run_batch
from mt.cli import main
from mt.pipeline import Engines, Options
from mt.record import FINISHED

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

ZH = ["大连高新区搭建国际化双创平台激活发展新动能。", "2015年以来，新设立企业{n}家，增长21.68%。",
      "目前，区内科技企业{m}余家；30%的生物医药企业由海归人才创办。", "他说：“我们要继续优化创新环境、完善服务体系。”"]
EN = ["The zone reported {n} new firms in {y}, up 21.68% on the year before.",
      "Officials said the park now hosts {m} technology companies and two incubators.",
      "Local returnees founded about 30% of the biomedical companies, the report said."]
N_DOCS = 240


def _needs_ray():
    try:
        import ray  # noqa: F401
        import ray.data  # noqa: F401
    except ImportError:
        pytest.skip("Ray is not installed (pip install -e '.[ray]'); the Ray batch is not tested here",
                    allow_module_level=True)


_needs_ray()


@pytest.fixture(scope="module")
def ray_local():
    """One local Ray instance for the module: 2 CPUs, the smallest object store Ray accepts."""
    import ray

    from mt.raybatch import start_local

    if not ray.is_initialized():
        start_local(num_cpus=2, object_store_memory=80 * 1024 * 1024, quiet=True)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A few hundred short documents: Chinese (retranslated), English (light), a pair, two unreadable files."""
    d = tmp_path_factory.mktemp("ray-corpus")
    ids = []
    for i in range(N_DOCS):
        n, m, y = 1000 + 7 * i, 300 + i, 2000 + i % 20
        if i % 2 == 0:
            text = "\n\n".join(s.format(n=n, m=m) for s in ZH[: 2 + i % 3])
        else:
            text = "\n\n".join(s.format(n=n, m=m, y=y) for s in EN[: 1 + i % 3])
        (d / f"d{i:03d}.txt").write_text(f"Report {i}\n\n{text}\n", encoding="utf-8")
        ids.append(f"d{i:03d}")
    (d / "pair.en.txt").write_text(EN[0].format(n=5, y=2020) + "\n", encoding="utf-8")
    (d / "pair.zh.txt").write_text(ZH[1].format(n=5) + "\n", encoding="utf-8")
    (d / "bad.txt").write_bytes(bytes(range(256)) * 8)
    (d / "empty.txt").write_bytes(b"")
    return d, sorted(ids + ["pair", "bad", "empty"])


@pytest.fixture(scope="module")
def options(tiny_zh_en, tiny_en_zh):
    """The tiny models, greedy and short (random weights babble up to the length cap), no translation cache."""
    from mt.backends.ct2 import ct2_available

    return Options(model=str(tiny_zh_en), model_en_zh=str(tiny_en_zh), cache_path=False, quiet=True,
                   backend="ctranslate2" if ct2_available() else "transformers",
                   decoding={"beam_size": 1, "max_new_tokens": 24})


@pytest.fixture(scope="module")
def local_out(corpus, options, tmp_path_factory):
    """The local batch over the corpus: what every Ray run must reproduce."""
    out = tmp_path_factory.mktemp("local") / "out"
    result = run_batch([corpus[0]], out, options)
    assert sum(result.counts.values()) == N_DOCS + 3 and result.counts["error"] == 2
    return out


def counts_of(out: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in (out / MANIFEST).read_text(encoding="utf-8").splitlines():
        status = json.loads(line)["status"]
        counts[status] = counts.get(status, 0) + 1
    return counts


# --------------------------------------------------------------------------- comparing OUT folders


def _without_timings(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if k != "timings"}


def snapshot(out: Path) -> dict:
    """What must not differ between two runs: texts (bytes), records and manifest lines (timings aside)."""
    manifest = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
    return {
        "texts": {p.name: p.read_bytes() for p in sorted(out.glob("*.en.txt"))},
        "records": {p.name: _without_timings(json.loads(p.read_text(encoding="utf-8")))
                    for p in sorted((out / "records").glob("*.json"))},
        "manifest": sorted(json.dumps(_without_timings(json.loads(x)), sort_keys=True) for x in manifest),
        "manifest_ids": [json.loads(x)["id"] for x in manifest],
        "pairs": (out / "pairs.jsonl").read_bytes(),
    }


def assert_same(out: Path, reference: Path) -> None:
    a, b = snapshot(out), snapshot(reference)
    assert sorted(a["texts"]) == sorted(b["texts"])
    for name in a["texts"]:
        assert a["texts"][name] == b["texts"][name], name
    assert a["records"] == b["records"]
    assert a["manifest"] == b["manifest"]
    assert a["manifest_ids"] == b["manifest_ids"]  # input order, as the local batch leaves it
    assert a["pairs"] == b["pairs"]


def assert_each_once(out: Path, ids: list[str]) -> None:
    got = [json.loads(x)["id"] for x in (out / MANIFEST).read_text(encoding="utf-8").splitlines()]
    assert sorted(got) == ids and len(got) == len(set(got))
    assert sorted(p.stem for p in (out / "records").glob("*.json")) == ids
    assert not list(out.rglob("*.tmp"))


def mtimes(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != ".lock"}


# --------------------------------------------------------------------------- tests


def test_ray_gives_the_local_batch_byte_for_byte_and_a_rerun_does_nothing(ray_local, corpus, options, local_out,
                                                                          tmp_path):
    src, ids = corpus
    out = tmp_path / "out"
    result = run_batch([src], out, options, ray=True)
    assert result.counts == counts_of(local_out) and sorted(result.processed) == ids
    assert {json.loads(x)["mt"] for x in (out / MANIFEST).read_text(encoding="utf-8").splitlines()} >= {"done"}
    assert_same(out, local_out)

    before = mtimes(out)
    again = run_batch([src], out, options, ray=True)
    assert again.processed == ["bad", "empty"]  # only the unreadable inputs are tried again, as locally
    assert sorted(again.resumed) == sorted(set(ids) - {"bad", "empty"})
    changed = {k for k, v in mtimes(out).items() if before.get(k) != v}
    assert changed <= {MANIFEST, "pairs.jsonl", "report.md", "report.html", "bad.json", "empty.json"}, changed


def test_resume_crosses_between_local_and_ray(ray_local, corpus, options, tmp_path):
    src, ids = corpus
    out = tmp_path / "out"
    first = run_batch([src], out, Options(**{**options.__dict__, "mt": False}), ray=True)  # without MT on Ray
    assert sum(first.counts.values()) == N_DOCS + 3 and first.counts["error"] == 2
    local = run_batch([src], out, options)  # MT now: the translated routes are redone, locally
    redone = {json.loads(x)["id"] for x in (out / MANIFEST).read_text(encoding="utf-8").splitlines()
              if json.loads(x)["mt"] == "done"}
    assert set(local.processed) == redone | {"bad", "empty"} and len(redone) > N_DOCS // 3
    on_ray = run_batch([src], out, options, ray=True)  # finished locally: nothing left for Ray
    assert on_ray.processed == ["bad", "empty"]
    assert_each_once(out, ids)


def _worker_pids() -> set[int]:
    """Actor processes of this module's Ray instance only (its processes descend from this one)."""
    import psutil

    pids = set()
    for p in psutil.Process().children(recursive=True):
        try:
            if any("DocumentWorker" in part for part in p.cmdline()):
                pids.add(p.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return pids


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(ray_local, corpus, options, local_out, tmp_path):
    src, ids = corpus
    out = tmp_path / "out"
    killed: list[tuple[int, int]] = []

    def killer():
        deadline = time.time() + 300
        while time.time() < deadline and not killed:
            manifest = out / MANIFEST
            lines = manifest.read_bytes().count(b"\n") if manifest.exists() else 0
            pids = _worker_pids()
            if lines >= 20 and pids:
                pid = min(pids)
                os.kill(pid, signal.SIGKILL)
                killed.append((pid, lines))
                return
            time.sleep(0.01)

    t = threading.Thread(target=killer, daemon=True)
    t.start()
    result = run_batch([src], out, options, ray=True)
    t.join(timeout=5)
    assert killed, "no worker was killed"
    assert killed[0][1] < len(ids), "the kill should land in the middle of the run"
    assert result.counts == counts_of(local_out)
    assert_each_once(out, ids)
    assert_same(out, local_out)


def test_a_document_that_kills_every_worker_is_an_error_and_the_rest_is_done(ray_local, tmp_path, monkeypatch):
    from mt import raybatch
    from tests.ray_fakes import WorkerKillingTranslator

    monkeypatch.setattr(raybatch, "TASK_RETRIES", 0)  # fewer deaths to wait for: one try a pass

    src = tmp_path / "in"
    src.mkdir()
    for i in range(12):
        (src / f"z{i:02d}.txt").write_text(f"第{i}篇。企业{i}家。", encoding="utf-8")
    (src / "z05.txt").write_text("第5篇。致命文本。", encoding="utf-8")
    out = tmp_path / "out"
    engines = Engines(zh_en=WorkerKillingTranslator("致命"))
    result = run_batch([src], out, Options(quiet=True), engines=engines, ray=True)
    lines = {json.loads(x)["id"]: json.loads(x) for x in (out / MANIFEST).read_text(encoding="utf-8").splitlines()}
    assert result.counts["error"] == 1 and sum(result.counts.values()) == 12 and result.exit_code == 1
    assert lines["z05"]["status"] == "error" and "died on every one of 2 tries" in lines["z05"]["reason"]
    assert all(lines[f"z{i:02d}"]["status"] in FINISHED for i in range(12) if i != 5)
    assert (out / "z00.en.txt").read_text(encoding="utf-8").startswith("第0篇")  # cleanup kept it (fake MT upper-cases Latin only)


def test_ctrl_c_stops_the_job_and_a_rerun_finishes_it(ray_local, corpus, options, local_out, tmp_path):
    src, ids = corpus
    out = tmp_path / "out"
    fired: list[int] = []

    def interrupt():
        deadline = time.time() + 300
        while time.time() < deadline:
            manifest = out / MANIFEST
            lines = manifest.read_bytes().count(b"\n") if manifest.exists() else 0
            if lines >= 10:
                fired.append(lines)
                _thread.interrupt_main()
                return
            time.sleep(0.01)

    threading.Thread(target=interrupt, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        run_batch([src], out, options, ray=True)
    assert fired
    written = (out / MANIFEST).read_bytes().count(b"\n")
    assert 0 < written < len(ids)
    rerun = run_batch([src], out, options, ray=True)
    assert len(rerun.resumed) >= written - 2  # the unreadable inputs are always retried
    assert_each_once(out, ids)
    assert_same(out, local_out)


@pytest.mark.skipif(not (SEEDS / "manifest.jsonl").is_file(), reason="seeds/ not in this checkout")
def test_cli_run_seeds_on_ray_without_mt(ray_local, tmp_path, capsys):
    out_ray, out_local = tmp_path / "ray", tmp_path / "local"
    assert main(["run", str(SEEDS), "-o", str(out_ray), "--ray", "--no-mt"]) == 0
    on_ray = capsys.readouterr().err.strip().splitlines()[-1]
    assert main(["run", str(SEEDS), "-o", str(out_local), "--no-mt"]) == 0
    locally = capsys.readouterr().err.strip().splitlines()[-1]
    assert on_ray.startswith("5 documents: ")
    assert on_ray.replace(str(out_ray), "OUT") == locally.replace(str(out_local), "OUT")  # the same summary line
    assert_same(out_ray, out_local)


# --------------------------------------------------------------------------- inputs read on Ray Data


@pytest.fixture
def odd_inputs(tmp_path):
    """Inputs whose reading can go wrong: legacy and UTF-16 encodings, binary, empty, too big, a pair, HTML, JSONL."""
    d = tmp_path / "odd"
    (d / "sub").mkdir(parents=True)
    (d / "gb.txt").write_bytes("大连高新区搭建国际化双创平台激活发展新动能。2015年以来，新设立企业1089家。".encode("gb18030"))
    (d / "utf16.txt").write_bytes("The zone reported 1,089 new firms, up 21.68% on the year before.".encode("utf-16"))
    (d / "broken.txt").write_bytes("Officials said the park hosts 300 companies (‘two’ new). ".encode() * 3 + b"\xff\n")
    (d / "bin.txt").write_bytes(bytes(range(256)) * 4)
    (d / "empty.txt").write_bytes(b"")
    (d / "big.txt").write_bytes(b"Too long a file. " * 100)
    (d / "p.en.txt").write_text("The zone reported 5 new firms.\n", encoding="utf-8")
    (d / "p.zh.txt").write_bytes("新设立企业5家。".encode("gb18030"))
    (d / "q.en.txt").write_text("The zone reported 6 new firms.\n", encoding="utf-8")
    (d / "q.zh.txt").write_bytes(b"\x00\x01\x02" * 50)
    (d / "sub" / "page.html").write_text(
        "<html><head><title>T</title></head><body><nav>Home | News</nav><article><p>"
        + "The zone reported new firms and a new incubator for returnees this year. " * 4
        + "</p></article></body></html>", encoding="utf-8")
    (d / "sub" / ".hidden.txt").write_text("not read", encoding="utf-8")
    (d / "src.zh.txt").write_text("企业家说：我们要继续优化创新环境。", encoding="utf-8")
    lines = [{"id": "j1", "text": "An entrepreneur said the environment must improve.", "source": "src.zh.txt"},
             {"id": "j2", "text": "A line with its source inline.", "zh_source": "一行。"},
             {"id": "j3", "text": "A source outside.", "source": "../elsewhere.txt"}]
    (d / "items.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\nnot json\n",
                                   encoding="utf-8")
    return d


def test_inputs_are_read_on_ray_data_into_the_local_batchs_documents(ray_local, odd_inputs, monkeypatch):
    from mt import io, rayread

    monkeypatch.setattr(io, "MAX_FILE_BYTES", 1200)  # big.txt is over it

    def not_here(*a, **k):
        raise AssertionError("an input was read by the driver, not by Ray Data")

    inputs = [str(odd_inputs), str(odd_inputs / "items.jsonl")]
    local = [d.to_dict() for d in io.read_inputs(inputs)]
    monkeypatch.setattr(rayread, "_read_here", not_here)
    on_ray = [d.to_dict() for d in rayread.read_inputs(inputs, quiet=True)]
    assert on_ray == local
    got = {d["id"]: d for d in on_ray}
    assert got["gb"]["status"] == "ok" and got["gb"]["encoding"] == "gb18030" and "大连" in got["gb"]["raw"]
    assert got["utf16"]["status"] == "ok" and got["utf16"]["encoding"].startswith("utf-16")
    assert got["broken"]["status"] == "ok" and got["broken"]["metadata"]["replaced_bytes"] == 1
    assert got["bin"]["status"] == "error" and "binary" in got["bin"]["reason"]
    assert got["empty"]["status"] == "error"
    assert got["big"]["status"] == "error" and "1,200-byte limit" in got["big"]["reason"]
    assert got["p"]["source_text"] == "新设立企业5家。" and got["q"]["status"] == "error"
    assert got["page"]["metadata"]["format"] == "html"
    assert got["j1"]["source_text"].startswith("企业家") and got["j3"]["status"] == "error"
    assert "items-4" in got and ".hidden" not in " ".join(got)


def test_files_ray_cannot_read_are_read_by_the_driver(ray_local, odd_inputs, monkeypatch, caplog):
    """Local paths that Ray's tasks cannot reach (not on their node) still give the local batch's documents."""
    import ray.data

    from mt import io, rayread

    def unreachable(*a, **k):
        raise FileNotFoundError(2, "No such file or directory", str(odd_inputs / "gb.txt"))

    monkeypatch.setattr(ray.data, "read_binary_files", unreachable)
    inputs = [str(odd_inputs), str(odd_inputs / "items.jsonl")]
    assert [d.to_dict() for d in rayread.read_inputs(inputs, quiet=True)] == [d.to_dict() for d in io.read_inputs(inputs)]
    assert "Ray Data could not read every input" in caplog.text


def test_a_run_from_a_file_uri_matches_the_local_batch(ray_local, odd_inputs, tmp_path):
    """pyarrow resolves the URI; ids, statuses, texts and records are those of the local batch (origins name the URI)."""
    local_out, uri_out = tmp_path / "local", tmp_path / "uri"
    opts = Options(mt=False, quiet=True)
    local = run_batch([odd_inputs], local_out, opts)
    on_ray = run_batch([odd_inputs.as_uri()], uri_out, opts, ray=True)
    assert on_ray.counts == local.counts and local.counts["error"] >= 3
    assert_same_but_origins(uri_out, local_out, str(odd_inputs), odd_inputs.as_uri())


def assert_same_but_origins(out: Path, reference: Path, ref_root: str, root: str) -> None:
    """Same OUT as ``reference`` once ``root`` (how the inputs were named) reads ``ref_root``.

    (The digest of an unreadable input hashes its reason, which names the file: it is left out.)
    """
    def norm(obj: dict, renamed: bool) -> dict:
        obj = json.loads(json.dumps(obj).replace(root, ref_root)) if renamed else obj
        return {k: v for k, v in obj.items() if not (k == "digest" and obj.get("status") == "error")}

    a, b = snapshot(out), snapshot(reference)
    assert a["texts"] == b["texts"]
    assert a["manifest_ids"] == b["manifest_ids"]
    lines = [{x["id"]: norm(x, renamed) for x in map(json.loads, s["manifest"])} for s, renamed in ((a, True), (b, False))]
    assert lines[0] == lines[1]
    assert {k: norm(v, True) for k, v in a["records"].items()} == {k: norm(v, False) for k, v in b["records"].items()}


@pytest.fixture
def s3_server(monkeypatch):
    """A local S3 server (moto) that pyarrow's S3 filesystem reaches through AWS_ENDPOINT_URL."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        pytest.skip("moto[server] is not installed (pip install 'moto[server]'); s3:// inputs are not tested here")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    for k, v in {"AWS_ENDPOINT_URL": f"http://{host}:{port}", "AWS_ACCESS_KEY_ID": "test",
                 "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}.items():
        monkeypatch.setenv(k, v)
    yield f"http://{host}:{port}"
    server.stop()


def test_a_run_from_s3_matches_the_local_batch(ray_local, odd_inputs, s3_server, tmp_path, monkeypatch):
    from mt import rayread

    def not_here(*a, **k):
        raise AssertionError("an input was read by the driver, not by Ray Data")

    monkeypatch.setattr(rayread, "_read_here", not_here)
    import boto3  # moto's own dependency

    s3 = boto3.client("s3", endpoint_url=s3_server)
    s3.create_bucket(Bucket="news")
    for p in sorted(odd_inputs.rglob("*")):
        if p.is_file():
            s3.put_object(Bucket="news", Key=f"in/{p.relative_to(odd_inputs).as_posix()}", Body=p.read_bytes())
    local_out, s3_out = tmp_path / "local", tmp_path / "s3"
    opts = Options(mt=False, quiet=True)
    local = run_batch([odd_inputs, odd_inputs / "items.jsonl"], local_out, opts)
    # credentials in the URI travel with the filesystem to Ray's tasks (started before this server);
    # the endpoint comes from AWS_ENDPOINT_URL, as for boto3 and the AWS CLI
    on_ray = run_batch(["s3://test:test@news/in", "s3://test:test@news/in/items.jsonl"], s3_out, opts, ray=True)
    assert on_ray.counts == local.counts
    assert "test:test" not in (s3_out / MANIFEST).read_text(encoding="utf-8")
    assert_same_but_origins(s3_out, local_out, str(odd_inputs), "s3://news/in")
    assert json.loads((s3_out / "records" / "j1.json").read_text(encoding="utf-8"))["source_origin"] == \
        "s3://news/in/src.zh.txt"  # a JSONL source file beside it, read from the bucket
