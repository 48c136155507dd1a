"""Files this tool writes hold article text and summaries: create them readable by the user only
(directories 0700, files 0600), whatever the umask."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO


def private_dir(path: Path) -> Path:
    """``path`` created (with parents) and restricted to the user."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def open_private(path: Path, mode: str = "w") -> IO[str]:
    """``path`` opened for text writing (``w`` truncates, ``a`` appends), mode 0600."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    os.fchmod(fd, 0o600)  # an existing file keeps its old mode otherwise
    return os.fdopen(fd, mode, encoding="utf-8", newline="\n")


def write_private(path: Path, text: str | Iterable[str]) -> None:
    """``text`` (or its pieces, written as they come) written to ``path`` (mode 0600) all at
    once: into a temporary file beside it, then renamed over it, so a reader or a crash never
    sees half a file."""
    temporary = path.with_name(f".{path.name}.partial")
    try:
        with open_private(temporary) as handle:
            for piece in [text] if isinstance(text, str) else text:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, path)
