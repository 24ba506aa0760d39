"""Files a learner keeps: written atomically, read only when they are what they claim to be.

A crash or a full disk leaves the old file or the new one, never half of one; a file that
cannot be read is moved aside with a message, never overwritten.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import time
from pathlib import Path

MAX_SAVE_BYTES = 4 * 1024 * 1024
MAX_SETTINGS_BYTES = 64 * 1024


def write_text_atomic(path: Path, text: str, *, private: bool = True) -> None:
    """Write so that a crash or a full disk leaves the old file or the new one, never half of one.

    `private=False` gives the file the usual permissions (exports are meant to be handed on);
    saves keep mkstemp's owner-only ones.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if not private and hasattr(os, "fchmod"):
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(handle, 0o666 & ~umask)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data: object) -> None:
    write_text_atomic(path, json.dumps(data, indent=1))


def set_aside(path: Path, reason: str = "corrupt") -> Path:
    """Move an unreadable file out of the way as `NAME.REASON-TIME`, keeping it for inspection."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{reason}-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.{reason}-{stamp}-{counter}")
        counter += 1
    os.replace(path, target)
    return target


def read_small_text(path: Path, limit: int) -> str:
    """The text of a regular file of at most `limit` bytes.

    A directory, FIFO or device is refused without opening it for reading (a FIFO would
    block, /dev/zero would never end); so is a file too large to be what it claims.
    Raises FileNotFoundError if there is no file, ValueError (plain words) otherwise.
    """
    path = Path(path)
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("it is not a regular file")
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError("it is too large")
    return data.decode("utf-8")


def read_private_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes that holds a secret (a password, a private key),
    so only its owner may read it. Raises FileNotFoundError if there is no file, OSError if it cannot be
    read, ValueError (plain words, ending in what to do) otherwise."""
    path = Path(path)
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("it is not a file")
    if os.name == "posix" and info.st_mode & 0o077:
        raise ValueError(f"others may read it: make it private with `chmod 600 {path}`")
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError("it is too large for what it should hold")
    return data
