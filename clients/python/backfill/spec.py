"""Job spec files: the API's JobSpec as JSON, whose inputs may also name local files to upload first."""

from __future__ import annotations

import json
import os
from typing import Any, Callable, Dict, List, Optional

Upload = Callable[[str, Optional[str]], Dict[str, Any]]
"""Uploads a local file (path, optional name) and returns the stored file (with its `id`)."""

_SHAPES = {
    "path": {"path", "name"},
    "fileId": {"fileId", "name"},
    "url": {"url", "name", "sha256"},
}


def load_spec(path: str) -> Dict[str, Any]:
    """Reads a spec file: a JSON object (ValueError otherwise, or when it cannot be read)."""
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except OSError as error:
        raise ValueError(f"cannot read the spec {path}: {error.strerror or error}") from None
    try:
        spec = json.loads(text)
    except ValueError as error:
        raise ValueError(f"the spec {path} is not JSON: {error}") from None
    if not isinstance(spec, dict):
        raise ValueError(f"the spec {path} is not a JSON object")
    return spec


def resolve_spec(spec: Dict[str, Any], base_dir: str, upload: Upload) -> Dict[str, Any]:
    """A copy of `spec` whose `{"path"}` inputs (relative to `base_dir`) are uploaded and replaced by `{"fileId"}`.

    `{"fileId"}` and `{"url"}` inputs pass through unchanged. Every input is checked, and every local file must
    exist, before anything is uploaded; an input of another shape raises ValueError.
    """
    inputs = spec.get("inputs", [])
    if not isinstance(inputs, list):
        raise ValueError('"inputs" must be a list')
    files = [_local_file(i, item, base_dir) for i, item in enumerate(inputs)]
    resolved: List[Dict[str, Any]] = []
    for item, local in zip(inputs, files):
        if local is None:
            resolved.append(item)
            continue
        stored = upload(local, item.get("name"))
        resolved.append({"fileId": stored["id"], **({"name": item["name"]} if "name" in item else {})})
    return {**spec, "inputs": resolved} if "inputs" in spec else dict(spec)


def _local_file(index: int, item: Any, base_dir: str) -> Optional[str]:
    """The file a `{"path"}` input names (checked to exist), None for the other shapes; ValueError otherwise."""
    where = f"inputs[{index}]"
    shape = next((key for key in _SHAPES if isinstance(item, dict) and key in item), None)
    if shape is None or not set(item) <= _SHAPES[shape]:
        raise ValueError(
            f'{where}: an input is {{"path": FILE, "name"?}}, {{"fileId": ID, "name"?}} or '
            f'{{"url": HTTPS_URL, "name", "sha256"?}}; got {json.dumps(item)[:200]}'
        )
    if shape != "path":
        return None
    path = item["path"]
    if not isinstance(path, str) or not path:
        raise ValueError(f'{where}: "path" must be a file name')
    full = os.path.join(base_dir, path)
    if not os.path.isfile(full):
        raise ValueError(f"{where}: no such file: {full}")
    return full
