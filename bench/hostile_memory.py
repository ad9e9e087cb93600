"""Peak memory of ``retranslate run FILE --no-mt`` on one large document.

Two shapes that used to grow memory with the square of the input (each line is
joined to the paragraph before it):

- Chinese without punctuation, in lines of 500 characters;
- hard-wrapped English (lines of ~12 words, no full stop at their end).

Each size (1, 5 and 20 MB; 20 MB is under the 20 MiB limit for one document) runs
in its own process; the peak resident set size is that process's ``ru_maxrss``
(``os.wait4``).  Target: at most 1 GB at 20 MB, and proportional to the size.

    python bench/hostile_memory.py                 # all sizes, both shapes
    python bench/hostile_memory.py --sizes 1 5     # fewer
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HAN = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行"
       "学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政")
WORDS = ("the development of high tech zone and innovation in dalian city has been promoted by government "
         "officials who said that new firms would grow").split()


def chinese(nbytes: int, rng: random.Random) -> bytes:
    out, n = [], 0
    while n < nbytes:
        line = "".join(rng.choice(HAN) for _ in range(500)).encode() + b"\n"
        out.append(line)
        n += len(line)
    return b"".join(out)[:nbytes].rsplit(b"\n", 1)[0] + b"\n"


def english(nbytes: int, rng: random.Random) -> bytes:
    out, n = [], 0
    while n < nbytes:
        line = (" ".join(rng.choice(WORDS) for _ in range(12)) + "\n").encode()
        out.append(line)
        n += len(line)
    return b"".join(out)[:nbytes].rsplit(b"\n", 1)[0] + b"\n"


def run(path: Path, out: Path) -> tuple[int, float, int, int]:
    """(exit code, seconds, peak RSS in bytes, bytes written to OUT) of one ``run --no-mt``."""
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "mt", "run", str(path), "-o", str(out), "--no-mt", "-q"],
                         cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    took = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace").strip()
    p.stderr.close()
    if err:
        print(f"    stderr: {err.splitlines()[-1][:200]}")
    written = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    return p.returncode, took, usage.ru_maxrss * 1024, written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 20], help="document sizes in MB (10^6 bytes)")
    args = ap.parse_args()
    rng = random.Random(10)
    print(f"# peak RSS of `retranslate run FILE -o OUT --no-mt`, one document (started {time.strftime('%H:%M', time.gmtime())} UTC)")
    print(f"{'shape':<20} {'MB':>5} {'exit':>4} {'seconds':>8} {'peak RSS MB':>12} {'RSS/input':>9} {'OUT MB':>8}  UTC")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:  # the shapes interleaved per size, so both see the same machine load
            for shape, make in (("chinese-no-punct", chinese), ("english-hard-wrapped", english)):
                path = Path(tmp) / f"{shape}-{size:g}.txt"
                path.write_bytes(make(int(size * 1_000_000), rng))
                code, took, rss, written = run(path, Path(tmp) / f"out-{shape}-{size:g}")
                mb = path.stat().st_size / 1e6
                print(f"{shape:<20} {mb:5.1f} {code:>4} {took:8.1f} {rss / 1e6:12.0f} {rss / 1e6 / mb:9.1f} "
                      f"{written / 1e6:8.1f}  {time.strftime('%H:%M', time.gmtime())}", flush=True)
                path.unlink()


if __name__ == "__main__":
    main()
