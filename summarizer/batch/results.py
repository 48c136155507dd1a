"""The batch output file: JSONL records appended and flushed one by one, resumable.

A run killed at any moment leaves complete lines plus, at worst, one partial last line; opening
the file again cuts that partial line off, so a rerun of the same command skips every finished
article and writes the rest, with no duplicates and no truncated lines. The file is locked while
a run writes to it, and created readable by the user only.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from summarizer.datamodel.errors import InputError
from summarizer.datamodel.schemas import BatchRecord


class ResultsFile:
    """Append-only writer of :class:`BatchRecord` lines with resume support."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def __enter__(self) -> ResultsFile:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self._open_locked()
        self._cut_partial_line()
        self._handle.seek(0, os.SEEK_END)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()  # also releases the lock
            self._handle = None

    def _open_locked(self) -> IO[str]:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        os.fchmod(fd, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise InputError(f"{self.path} is being written by another batch run") from None
        return os.fdopen(fd, "r+", encoding="utf-8", newline="\n")

    def _cut_partial_line(self) -> None:
        """Drop a last line without its newline (the write a kill interrupted)."""
        assert self._handle is not None
        with open(self.path, "rb") as raw:
            data = raw.read()
        if data and not data.endswith(b"\n"):
            self._handle.truncate(data.rfind(b"\n") + 1)

    def statuses(self) -> dict[str, str]:
        """``id -> status`` of the records already written (the latest line wins)."""
        assert self._handle is not None
        self._handle.seek(0)
        done: dict[str, str] = {}
        for line in self._handle:
            try:
                record = json.loads(line)
                done[str(record["id"])] = str(record["status"])
            except (json.JSONDecodeError, KeyError, TypeError):
                continue  # not ours: treated as not done
        self._handle.seek(0, os.SEEK_END)
        return done

    def drop_failed(self) -> int:
        """Remove the error records (before ``--retry-failed`` redoes them); how many went."""
        assert self._handle is not None
        self._handle.seek(0)
        lines = self._handle.readlines()
        kept = [line for line in lines if not _is_error(line)]
        if len(kept) != len(lines):
            # Write the kept lines beside the file and swap it in: a kill in between loses
            # nothing.
            temporary = self.path.with_name(f".{self.path.name}.retry-failed")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                out.writelines(kept)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
            old, self._handle = self._handle, self._open_locked()
            old.close()
        self._handle.seek(0, os.SEEK_END)
        return len(lines) - len(kept)

    def append(self, record: BatchRecord) -> None:
        """Write one record as one line and flush it (it survives a kill of this process)."""
        assert self._handle is not None
        self._handle.write(record.to_json_line())
        self._handle.flush()


def _is_error(line: str) -> bool:
    try:
        return json.loads(line).get("status") == "error"
    except (json.JSONDecodeError, AttributeError):
        return False


def numbered_lines(path: Path, what: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of the non-blank lines of the JSONL file ``path``, a ``what`` ("batch
    results file"); a folder, a file that cannot be read or is not UTF-8 is an
    :class:`InputError` naming it."""
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a {what}")
    try:  # line by line: a results file of a million events is not read into memory at once
        with path.open(encoding="utf-8", newline="\n") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number, line.rstrip("\r\n")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text (not a {what})") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def read_records(path: Path) -> Iterator[BatchRecord]:
    """The records of a batch results file, in order (blank lines skipped); a file that cannot
    be read or a line that is no record is an :class:`InputError` naming it."""
    for number, line in numbered_lines(path, "batch results file"):
        try:
            yield BatchRecord.model_validate_json(line)
        except ValidationError:
            raise InputError(f"{path} line {number} is not a batch record") from None
