"""Local file handling: hashing inputs, and writing verified outputs under a destination folder."""

from __future__ import annotations

import hashlib
import os
import re
from typing import Iterable

CHUNK_BYTES = 1024 * 1024

# The API's file-name rule (lib/files/schemas.ts): 1–8 `/`-separated segments, each starting with a letter or
# digit, then letters, digits, space, `.`, `_` or `-`. So a name can never be absolute, climb out with `..`, name
# a hidden file or carry a backslash or a drive letter.
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}")
_MAX_SEGMENTS = 8


def sha256_file(path: str) -> str:
    """The lowercase hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def safe_output_path(dest_dir: str, name: str) -> str:
    """`dest_dir/name`, refusing any name that could land outside `dest_dir` (ValueError)."""
    segments = name.split("/")
    if (
        len(name) > 255
        or len(segments) > _MAX_SEGMENTS
        or any(not _SEGMENT.fullmatch(s) or ".." in s or s.endswith(" ") for s in segments)
    ):
        raise ValueError(f"refusing the output name {name!r}: it is not a safe relative file name")
    return os.path.join(dest_dir, *segments)


def write_verified(chunks: Iterable[bytes], target: str, size: int, sha256: str) -> str:
    """Writes `chunks` to `target.part` while hashing, then renames it to `target` if the size and sha256 match.

    On a mismatch, or any failure, the part file is removed and the error raised (ValueError for a mismatch).
    """
    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    part = target + ".part"
    digest = hashlib.sha256()
    written = 0
    try:
        with open(part, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                out.write(chunk)
                written += len(chunk)
        if written != size or digest.hexdigest() != sha256:
            raise ValueError(
                f"{os.path.basename(target)}: got {written} bytes with sha256 {digest.hexdigest()}, "
                f"expected {size} bytes with sha256 {sha256}"
            )
        os.replace(part, target)
    except BaseException:
        if os.path.exists(part):
            os.remove(part)
        raise
    return target
