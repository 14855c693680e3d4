"""scripts/backup.sh's check of a file snapshot: a platform with no uploads yet has an empty
checksum list, and its restore must go on to put the (empty) files back (sha256sum refuses an
empty list: the restore stopped after the database)."""

# ruff: noqa: S603, S607 -- runs the project's own script and the system's tar and sha256sum
from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _verify(snapshot: Path, into: Path) -> subprocess.CompletedProcess:
    script = (ROOT / "scripts" / "backup.sh").read_text()
    start = script.index("verify_files() {")
    function = script[start : script.index("\n}\n", start) + 3]
    return subprocess.run(
        [
            "bash",
            "-c",
            f'set -euo pipefail\n{function}\nverify_files "$1" "$2"',
            "-",
            snapshot,
            into,
        ],
        capture_output=True,
        text=True,
    )


def _snapshot(folder: Path, files: dict[str, bytes]) -> Path:
    content = folder / "content"
    content.mkdir(parents=True)
    for name, data in files.items():
        (content / name).write_bytes(data)
    subprocess.run(
        [
            "tar",
            "-cf",
            str(folder / "files.tar"),
            "-C",
            str(content),
            *(files or ["-T", "/dev/null"]),
        ],
        check=True,
    )
    # As the script writes it: one line a file, an empty list when there are none.
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files.items())
    (folder / "SHA256SUMS").write_text(sums)
    digest = hashlib.sha256((folder / "files.tar").read_bytes()).hexdigest()
    (folder / "files.tar.sha256").write_text(f"{digest}  files.tar\n")
    return folder


def test_an_empty_snapshot_verifies(tmp_path):
    snapshot = _snapshot(tmp_path / "snap", {})
    result = _verify(snapshot, tmp_path / "into")
    assert result.returncode == 0, result.stderr


def test_a_changed_file_is_refused(tmp_path):
    snapshot = _snapshot(tmp_path / "snap", {"a.pdf": b"%PDF-1.4 a"})
    assert _verify(snapshot, tmp_path / "ok").returncode == 0
    (snapshot / "SHA256SUMS").write_text("0" * 64 + "  a.pdf\n")
    assert _verify(snapshot, tmp_path / "bad").returncode != 0
