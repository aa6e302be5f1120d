"""Reproduce bot/static/vendor/echarts/ from the npm registry (make vendor-echarts): Apache ECharts at the pinned
version, its prebuilt `dist/echarts.common.min.js` (line, bar, pie; tooltip, legend, grid, dataZoom, aria; the
canvas and SVG renderers) with LICENSE, NOTICE and the d3 licence it names.

    python -m scripts.vendor_echarts           # fetch with `npm pack`, check, write
    python -m scripts.vendor_echarts --check   # only compare the vendored files with SHA256SUMS

npm checks the package against the registry's integrity hash; this script then checks every file against
SHA256SUMS, so a changed package is noticed rather than vendored. To move to another version, change VERSION,
run with --update-sums, look at the diff, and say why in the commit.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "bot" / "static" / "vendor" / "echarts"
PACKAGE = "echarts"
VERSION = "6.1.0"
FILES = {"dist/echarts.common.min.js": "echarts.common.min.js", "LICENSE": "LICENSE", "NOTICE": "NOTICE",
         "licenses/LICENSE-d3": "LICENSE-d3"}
SUMS = TARGET / "SHA256SUMS"
NPM_TIMEOUT_S = 300


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def recorded() -> dict[str, str]:
    sums = {}
    for line in SUMS.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if digest and name:
            sums[name] = digest
    return sums


def check() -> list[str]:
    """The vendored files that are missing or differ from SHA256SUMS."""
    sums = recorded()
    return [name for name in FILES.values()
            if not (TARGET / name).is_file() or sha256((TARGET / name).read_bytes()) != sums.get(name)]


def fetch() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent", "--pack-destination", tmp],  # noqa: S607
                       check=True, timeout=NPM_TIMEOUT_S, capture_output=True)
        tarball = next(Path(tmp).glob(f"{PACKAGE}-{VERSION}.tgz"))
        with tarfile.open(tarball) as archive:
            out = {}
            for source, name in FILES.items():
                member = archive.extractfile(f"package/{source}")
                if member is None:
                    raise SystemExit(f"{source} is missing from {PACKAGE}@{VERSION}")
                out[name] = member.read()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the vendored files against SHA256SUMS")
    parser.add_argument("--update-sums", action="store_true", help="write SHA256SUMS from what npm gives")
    args = parser.parse_args()
    if args.check:
        bad = check()
        raise SystemExit(f"differ from SHA256SUMS: {', '.join(bad)}" if bad else 0)
    files = fetch()
    if args.update_sums:
        SUMS.parent.mkdir(parents=True, exist_ok=True)
        SUMS.write_text("".join(f"{sha256(data)}  {name}\n" for name, data in sorted(files.items())),
                        encoding="utf-8")
    sums = recorded()
    wrong = [name for name, data in files.items() if sha256(data) != sums.get(name)]
    if wrong:
        raise SystemExit(f"{PACKAGE}@{VERSION} from npm differs from SHA256SUMS: {', '.join(wrong)}")
    for name, data in files.items():
        (TARGET / name).write_bytes(data)
    print(f"{PACKAGE}@{VERSION}: {', '.join(sorted(files))} written to {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
