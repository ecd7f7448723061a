"""Files the reviews package keeps (photos, videos, the Google feed): written whole and durably,
so a reader never sees half a file and a crash never leaves a name pointing at nothing."""

from __future__ import annotations

import os
from pathlib import Path


def part_path(path: Path, tag: str = "") -> Path:
    """Where ``path`` is written before it takes its name (``tag`` keeps writers apart)."""
    return path.with_name(f"{path.name}{'.' + tag if tag else ''}.part")


def write_durably(path: Path, data: bytes, tmp: Path | None = None) -> None:
    """Write ``data`` to ``tmp`` (``part_path(path)`` by default), fsync it, rename it to
    ``path`` and fsync the folder, so the rename itself survives a crash."""
    tmp = tmp or part_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tmp.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(path)  # never a half-written file under the real name
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
