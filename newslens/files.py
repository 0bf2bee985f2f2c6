"""Output files: checked before the work, written whole or not at all, safe to open.

``check_writable`` finds what would stop a write (a folder in the way, a file where a folder
should be, no permission) before a long run starts, so the user hears it in a second rather
than after the analysis. ``write_atomic`` writes next to the target and renames, so a failed
or interrupted run leaves the previous file, with the permissions the user's umask gives
(a report is meant to be shared). ``csv_text`` is the spreadsheet-safe CSV of a table.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pandas as pd


class OutputError(OSError):
    """An output path that cannot be written; the message is one line for the user."""


def check_writable(path: str | Path) -> Path:
    """The output path, once it is clear a file can be written there; else OutputError."""
    if str(path).strip() == "":
        raise OutputError("the output path is empty")
    _check_name(path)
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path} is a folder: give a file name")
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        return path  # a device or a pipe (/dev/stdout): written straight through
    folder = _existing_ancestor(path.parent)
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: {folder} is a file, not a folder")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"cannot write {path}: the file is read-only")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: no permission to write in {folder}")
    if folder == path.parent:
        _probe(folder, path)
    return path


def check_folder(path: str | Path, what: str = "folder") -> Path:
    """A folder that exists and can be written, or can be made; else OutputError."""
    if str(path).strip() == "":
        raise OutputError(f"the {what} path is empty")
    _check_name(path)
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{what} {path} is a file, not a folder")
    folder = _existing_ancestor(path)
    if not folder.is_dir():
        raise OutputError(f"{what} {path}: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{what} {path}: no permission to write in {folder}")
    return path


def _check_name(path: str | Path) -> None:
    """A name the file system can take: no NUL, nothing the file system encoding lacks."""
    try:
        name = os.fsencode(path)
    except UnicodeEncodeError:
        raise OutputError(f"{str(path)!r} is not a valid file name") from None
    if b"\x00" in name:
        raise OutputError(f"{str(path)!r} holds a NUL character: not a file name")


def _existing_ancestor(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _probe(folder: Path, path: Path) -> None:
    """Create and remove a scratch file where the output will go: permissions can lie (a
    read-only file system, a full quota)."""
    try:
        fd, scratch = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror}") from None
    os.close(fd)
    os.unlink(scratch)


def write_atomic(data: bytes, output: Path) -> None:
    """Write next to the target and rename: a failed run never leaves half a file. The file
    gets the mode a new file gets under the umask (mkstemp's 0600 is for secrets), or keeps
    the mode of the file it replaces."""
    output = Path(output)
    if output.exists() and not stat.S_ISREG(output.stat().st_mode):
        with output.open("wb") as handle:  # /dev/stdout, a pipe: nothing to rename onto
            handle.write(data)
        return
    output = output.resolve()  # write through a symbolic link, not over it
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot write {output}: {err.strerror or err}") from err
    mode = stat.S_IMODE(output.stat().st_mode) if output.exists() else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    except OSError as err:
        raise OutputError(f"cannot write {output}: {err.strerror or err}") from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, output)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError) and not isinstance(err, OutputError):
            raise OutputError(f"cannot write {output}: {err.strerror or err}") from err
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_safe(value: object) -> object:
    """A text cell a spreadsheet would read as a formula (``=HYPERLINK(…)``, ``+7…``,
    ``@SUM(…)``, ``-2+3``) gets a leading apostrophe, so it is shown as the text it is; a
    plain number (``-0.25``) and every other cell are left alone."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    return value if _is_number(value) else "'" + value


def _is_number(value: str) -> bool:
    if not all(c in "0123456789.+-eE" for c in value):
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


def csv_text(frame: pd.DataFrame) -> str:
    """The table as CSV as RFC 4180 writes it (comma, header, CRLF line ends, so that a cell
    holding a line break of any kind is quoted), every text cell made spreadsheet-safe (see
    :func:`spreadsheet_safe`); numeric columns are written as they are."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(spreadsheet_safe)
    return safe.to_csv(index=False, lineterminator="\r\n")
