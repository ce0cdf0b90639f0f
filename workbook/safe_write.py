"""One write discipline for every file jixiao writes (issue #13: files are never lost).

Every command that writes (``new``, ``demo``, ``refresh``, ``report``, ``import``, ``batch``) goes
through this module, in two layers:

* :func:`atomic_write` — how bytes reach the disk: a temporary file beside the target
  (``.~jixiao-….xlsx``), ``fsync``, the optional verification, then ``os.replace`` and an ``fsync``
  of the folder.  A crash, a full disk or a refused verification leaves the target exactly as it
  was; the temporary file is always removed.  OS errors become Chinese messages naming the file
  the user gave (:func:`os_error_message`), never an English errno.
* :func:`target` — what may be replaced (a context manager around a whole command):

  - the path is checked first: the folder exists, the target is not a folder, pipe or device,
    the name is not too long;
  - symbolic links are resolved: the real file is written, the link stays a link;
  - a lock file ``~$<name>.jixiao.lock`` beside the real file (created exclusively, removed in
    ``finally``) keeps two jixiao runs from interleaving on one file; the second is told in Chinese
    which process holds it.  A lock left by a crashed run is taken over (its process is gone, or,
    from another computer, it is older than an hour);
  - an existing file is replaced only when that is safe: ``in_place`` (the user's own workbook
    updated on purpose) — refused when the file is read-only (mode bits, so also for root); a
    *product* (``product=True``: a file jixiao derives from another, e.g. ``…_已评分.xlsx`` or a
    report) that still carries jixiao's intact marker (see below); otherwise only with
    ``force=True``.  In-place and forced replacements first copy the file being replaced to a
    numbered backup (``name.bak.xlsx``, ``name.bak2.xlsx`` …) written atomically and never
    overwritten; a run that ends without replacing removes the backup it made;
  - right before the replace, the file must still be the one that was checked (size, time, inode):
    something that saved it meanwhile (Excel, another program) is not overwritten.

Products carry a marker: the zip comment ``jixiao-output sha256=<hex>`` whose digest covers every
byte before it.  Excel, WPS, LibreOffice, Word and openpyxl all rewrite the package on save and drop
the comment, so "the marker is intact" means "exactly the bytes jixiao wrote": such a file can be
regenerated and is replaced without ``--force``; anything a person saved is never overwritten
silently.

Lower layers (``books.atomic_save``, ``template.save_workbook`` …) call :func:`atomic_write`; when a
:func:`target` is active for the same real path in this process, its rules (marker, backup, change
check) apply to that write, so the writers need not know about them.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import socket
import stat
import tempfile
import time
import uuid
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from . import messages as msg
from .errors import WorkbookInputError

TEMP_PREFIX = ".~jixiao-"
LOCK_PREFIX, LOCK_SUFFIX = "~$", ".jixiao.lock"
BACKUP_INFIX = ".bak"
MARK_PREFIX = b"jixiao-output sha256="
MARK_LENGTH = len(MARK_PREFIX) + 64
STALE_LOCK_SECONDS = 3600  # a lock from another computer older than this is left over from a crash
UNFINISHED_LOCK_SECONDS = 10  # a lock file without content (its writer died creating it)

Save = Callable[[Path], None]


# --------------------------------------------------------------------------------------------
# OS errors → Chinese
# --------------------------------------------------------------------------------------------
_ERRNO_WORDS = {getattr(errno, name): words for name, words in msg.FAULT_ERRNO_WORDS.items() if hasattr(errno, name)}


def _display(path: str | os.PathLike[str]) -> str:
    return os.fspath(path)


def os_error_message(exc: OSError, path: str | os.PathLike[str] | None = None, writing: bool = False) -> str:
    """One Chinese sentence for an OS error about ``path`` (the file as the user named it)."""
    shown = _display(path) if path is not None else (_display(exc.filename) if exc.filename is not None else "")
    code = exc.errno
    if isinstance(exc, BrokenPipeError) or code == errno.EPIPE:
        return msg.FAULT_BROKEN_PIPE
    if not shown:  # a library's own temporary file, say: no file of the user's to name
        return msg.FAULT_NO_PATH.format(reason=short_reason(exc))
    folder = os.path.dirname(os.path.abspath(shown))
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return msg.FAULT_DISK_FULL.format(path=shown)
    if code == errno.EFBIG:
        return msg.FAULT_FILE_TOO_BIG.format(path=shown)
    if code == errno.EROFS:
        return msg.FAULT_READ_ONLY_DISK.format(path=shown)
    if code in (errno.EACCES, errno.EPERM):
        return (msg.FAULT_NO_WRITE_PERMISSION.format(path=shown, folder=folder) if writing
                else msg.FAULT_NO_READ_PERMISSION.format(path=shown))
    if code == errno.ENAMETOOLONG:
        return msg.FAULT_NAME_TOO_LONG.format(path=shown)
    if code == errno.EISDIR:
        return msg.FAULT_IS_FOLDER.format(path=shown)
    if code == errno.ENOTDIR:
        return msg.FAULT_NOT_A_FOLDER.format(path=shown)
    if code == errno.ENOENT:
        return (msg.FAULT_FOLDER_MISSING.format(path=shown, folder=folder) if writing
                else msg.FILE_NOT_FOUND.format(path=shown))
    what = _ERRNO_WORDS.get(code) or msg.FAULT_ERRNO.format(name=errno.errorcode.get(code, code) if code else "?")
    return msg.FAULT_OTHER.format(action=msg.FAULT_WRITE if writing else msg.FAULT_READ, path=shown, what=what)


def short_reason(exc: OSError) -> str:
    """A few Chinese words for an OS error (inside a longer sentence)."""
    code = exc.errno
    words = {errno.ENOSPC: msg.FAULT_REASON_DISK_FULL, getattr(errno, "EDQUOT", -1): msg.FAULT_REASON_DISK_FULL,
             errno.EFBIG: msg.FAULT_REASON_TOO_BIG, errno.EROFS: msg.FAULT_REASON_READ_ONLY_DISK,
             errno.EACCES: msg.FAULT_REASON_NO_PERMISSION, errno.EPERM: msg.FAULT_REASON_NO_PERMISSION,
             errno.ENAMETOOLONG: msg.FAULT_REASON_NAME_TOO_LONG}
    return words.get(code) or _ERRNO_WORDS.get(code) or msg.FAULT_ERRNO.format(
        name=errno.errorcode.get(code, code) if code else "?")


def as_os_error(exc: BaseException) -> OSError | None:
    """The OS error behind an exception a writer raised: an ``OSError`` itself, or lxml's
    ``SerialisationError("IO_ENOSPC")`` (openpyxl writes worksheets through lxml, which reports a
    failed write in its own words)."""
    if isinstance(exc, OSError):
        return exc
    import re

    found = re.search(r"\bIO_(E[A-Z]+)\b", str(exc)) if type(exc).__name__ == "SerialisationError" else None
    if found and isinstance(getattr(errno, found.group(1), None), int):
        code = getattr(errno, found.group(1))
        return OSError(code, os.strerror(code))
    return None


def drop_half_written(exc: BaseException) -> None:
    """A writer that failed half-way (a zip file, an lxml stream) still holds its open file in the
    frames of ``exc``; collect it now, with its close errors silenced, rather than let its
    destructor print "Exception ignored …" with a traceback at exit."""
    import gc
    import sys

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        exc.__traceback__ = None  # the frames go (and with them, by reference counting, the writer) …
        exc.__context__ = exc.__cause__ = None
        gc.collect()  # … or here, when they sit in a reference cycle
    finally:
        sys.unraisablehook = hook


def fault(exc: OSError, path: str | os.PathLike[str] | None, writing: bool) -> WorkbookInputError:
    return WorkbookInputError(os_error_message(exc, path, writing))


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return msg.FAULT_KIND_FIFO
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return msg.FAULT_KIND_DEVICE
    if stat.S_ISSOCK(mode):
        return msg.FAULT_KIND_SOCKET
    return msg.FAULT_KIND_OTHER


# --------------------------------------------------------------------------------------------
# Paths: what may be read, where may be written
# --------------------------------------------------------------------------------------------
def check_input(path: str | os.PathLike[str]) -> Path:
    """The user's input is an existing, readable regular file (never opened if it is a pipe or device)."""
    shown = _display(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise WorkbookInputError(msg.FILE_NOT_FOUND.format(path=shown)) from None
    except OSError as exc:
        raise fault(exc, shown, writing=False) from None
    if stat.S_ISDIR(st.st_mode):
        raise WorkbookInputError(msg.FAULT_IS_FOLDER.format(path=shown))
    if not stat.S_ISREG(st.st_mode):
        raise WorkbookInputError(msg.FAULT_NOT_REGULAR.format(path=shown, kind=_special_kind(st.st_mode),
                                                              action=msg.FAULT_READ))
    try:
        with open(path, "rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise fault(exc, shown, writing=False) from None
    return Path(path)


def real_path(path: str | os.PathLike[str]) -> Path:
    """The file a write must reach: symbolic links resolved (the link itself is kept)."""
    return Path(os.path.realpath(path))


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (AttributeError, OSError, ValueError):
        return 255


def check_output(path: str | os.PathLike[str]) -> Path:
    """Where an output may go: its folder exists, it is not a folder/pipe/device, its name fits.

    Returns the real path (symbolic links resolved)."""
    shown = _display(path)
    real = real_path(path)
    folder = real.parent
    try:
        if not folder.is_dir():
            if folder.exists():
                raise WorkbookInputError(msg.FAULT_NOT_A_FOLDER.format(path=shown))
            raise WorkbookInputError(msg.FAULT_FOLDER_MISSING.format(path=shown, folder=Path(shown).parent))
        extra = max(len(LOCK_PREFIX) + len(LOCK_SUFFIX), len(TEMP_PREFIX) + 8 + len(real.suffix))
        length = len(real.name) if os.name == "nt" else len(os.fsencode(real.name))  # UTF-16 units / bytes
        if length + extra > _name_max(folder):
            raise WorkbookInputError(msg.FAULT_NAME_TOO_LONG.format(path=shown))
        st = os.stat(real) if os.path.lexists(real) else None
    except OSError as exc:
        raise fault(exc, shown, writing=True) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise WorkbookInputError(msg.FAULT_IS_FOLDER.format(path=shown))
        if not stat.S_ISREG(st.st_mode):
            raise WorkbookInputError(msg.FAULT_NOT_REGULAR.format(path=shown, kind=_special_kind(st.st_mode),
                                                                  action=msg.FAULT_WRITE))
    return real


def is_read_only(path: Path) -> bool:
    """The owner may not write it (``chmod 444``, ``chmod u-w``; the Windows read-only attribute).
    Decided from the mode bits, not ``os.access``, so that it holds for root as well."""
    try:
        return not (os.stat(path).st_mode & stat.S_IWUSR)
    except OSError:
        return False


# --------------------------------------------------------------------------------------------
# The product marker
# --------------------------------------------------------------------------------------------
def _digest(fh: Any, length: int) -> bytes:
    """sha256 (hex, ASCII) of the first ``length`` bytes of an open file, read in blocks."""
    h = hashlib.sha256()
    fh.seek(0)
    left = length
    while left > 0:
        block = fh.read(min(left, 1 << 20))
        if not block:
            break
        h.update(block)
        left -= len(block)
    return h.hexdigest().encode("ascii")


def mark_product(path: Path) -> None:
    """Give a freshly written package the zip comment that says "exactly as jixiao wrote it"."""
    with zipfile.ZipFile(path, "a") as zf:
        zf.comment = MARK_PREFIX + b"0" * 64
    size = os.path.getsize(path)
    with open(path, "r+b") as fh:
        digest = _digest(fh, size - 64)
        fh.seek(size - 64)
        fh.write(digest)


def is_own_product(path: Path) -> bool:
    """The file is a jixiao product nobody has saved since (its marker and digest are intact)."""
    try:
        size = os.path.getsize(path)
        if size < MARK_LENGTH:
            return False
        with open(path, "rb") as fh:
            fh.seek(size - MARK_LENGTH)
            if fh.read(len(MARK_PREFIX)) != MARK_PREFIX:
                return False
            stored = fh.read(64)
            return _digest(fh, size - 64) == stored
    except OSError:
        return False


# --------------------------------------------------------------------------------------------
# Low level: fsync, atomic replace, numbered backups
# --------------------------------------------------------------------------------------------
def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":
        return  # folders cannot be opened for fsync on Windows; NTFS journals the rename
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (network shares) do not sync folders
    finally:
        os.close(fd)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _temp_beside(real: Path, shown: str) -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=real.suffix, dir=real.parent)
    except OSError as exc:
        raise fault(exc, shown, writing=True) from None
    os.close(fd)
    return Path(name)


def _replace(tmp: Path, real: Path, shown: str) -> None:
    try:
        os.replace(tmp, real)
    except PermissionError as exc:
        if os.name == "nt":  # Windows refuses to replace a file another program holds open
            raise WorkbookInputError(msg.FILE_LOCKED.format(path=shown, detail=msg.FAULT_IN_USE)) from None
        raise fault(exc, shown, writing=True) from None
    except OSError as exc:
        raise fault(exc, shown, writing=True) from None
    _fsync_folder(real.parent)


def _write_file(save: Save, real: Path, shown: str, verify: Callable[[Path], None] | None,
                mode: int | None, mark: bool, before_replace: Callable[[], None] | None = None) -> None:
    tmp = _temp_beside(real, shown)
    try:
        problem: WorkbookInputError | None = None
        try:
            save(tmp)
        except Exception as exc:
            os_error = as_os_error(exc)
            if os_error is None:
                raise
            problem = fault(os_error, shown, writing=True)
            drop_half_written(exc)
            del exc
        if problem is not None:
            raise problem
        if verify is not None:
            verify(tmp)
        try:
            if mark:
                mark_product(tmp)
            _fsync_file(tmp)
            os.chmod(tmp, _default_mode() if mode is None else mode)
        except OSError as exc:
            raise fault(exc, shown, writing=True) from None
        if before_replace is not None:
            before_replace()
        _replace(tmp, real, shown)
    finally:
        _discard(tmp)


def _discard(tmp: Path) -> None:
    """Remove a temporary file of ours if it is still there; a failure to remove it is not the user's."""
    try:
        if os.path.lexists(tmp):
            tmp.unlink()
    except OSError:
        pass


def is_backup(path: Path, infix: str = BACKUP_INFIX) -> bool:
    """Whether ``path`` is named as :func:`backup_name` names backups (name.bak.xlsx, name.bak2.xlsx …)."""
    stem = path.stem
    head, sep, number = stem.rpartition(infix)
    return bool(sep) and bool(head) and (number == "" or number.isdigit())


def backup_name(path: Path, number: int, infix: str = BACKUP_INFIX) -> Path:
    """``name.bak.xlsx`` for the first backup, then ``name.bak2.xlsx``, ``name.bak3.xlsx`` …"""
    return path.with_name(f"{path.stem}{infix}{'' if number == 1 else number}{path.suffix}")


def make_backup(real: Path, shown: str, infix: str = BACKUP_INFIX) -> Path:
    """Copy ``real`` to the first free numbered backup name, atomically and without replacing any
    earlier backup: the copy is written and synced under a temporary name, then hard-linked to the
    free name (``link`` fails rather than overwrite).  Returns the backup's path."""
    tmp = _temp_beside(real, shown)
    try:
        try:
            shutil.copyfile(real, tmp)
            _fsync_file(tmp)
            shutil.copystat(real, tmp)  # mode and times of the original (after the sync: the mode may forbid writing)
        except OSError as exc:
            raise WorkbookInputError(msg.FAULT_BACKUP.format(path=shown, detail=short_reason(exc))) from None
        number = 1
        while True:
            candidate = backup_name(real, number, infix)
            try:
                os.link(tmp, candidate)
                break
            except FileExistsError:
                number += 1
            except OSError as exc:
                if exc.errno in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK,
                                 errno.ENOSYS, errno.EACCES, errno.EINVAL) and not os.path.lexists(candidate):
                    # no hard links here (FAT, some network shares): a rename to a name that is free
                    # (we hold the lock, so no other jixiao races for it)
                    try:
                        os.rename(tmp, candidate)
                        break
                    except OSError as exc2:
                        raise WorkbookInputError(msg.FAULT_BACKUP.format(path=shown, detail=short_reason(exc2)))\
                            from None
                if os.path.lexists(candidate):
                    number += 1
                    continue
                raise WorkbookInputError(msg.FAULT_BACKUP.format(path=shown, detail=short_reason(exc))) from None
            if number > 10000:
                raise WorkbookInputError(msg.FAULT_BACKUP.format(path=shown, detail=msg.FAULT_TOO_MANY_BACKUPS))
        _fsync_folder(real.parent)
        return candidate
    finally:
        _discard(tmp)


# --------------------------------------------------------------------------------------------
# The lock
# --------------------------------------------------------------------------------------------
def lock_path(real: Path) -> Path:
    return real.with_name(f"{LOCK_PREFIX}{real.name}{LOCK_SUFFIX}")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists (POSIX)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _read_lock(path: Path) -> dict | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _stale(info: dict | None, path: Path) -> bool:
    if info is None:
        return False  # vanished meanwhile: just try again
    try:
        age = time.time() - os.stat(path).st_mtime
    except OSError:
        return False
    if not info.get("token"):
        return age > UNFINISHED_LOCK_SECONDS
    if info.get("host") == socket.gethostname():
        try:
            return not _pid_alive(int(info.get("pid", 0)))
        except (TypeError, ValueError):
            return True
    return age > STALE_LOCK_SECONDS


def _write_new(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    try:
        os.write(fd, data)
    except BaseException:
        os.close(fd)
        try:
            path.unlink()
        except OSError:
            pass
        raise
    os.close(fd)


class Lock:
    """A lock file beside ``real``, created exclusively; :meth:`acquire` raises the Chinese refusal."""

    def __init__(self, real: Path, shown: str) -> None:
        self.path = lock_path(real)
        self.shown = shown
        self.token = uuid.uuid4().hex
        self.held = False

    def _create(self) -> bool:
        """Create the lock with its content in one step: written under a private name, then
        hard-linked to the lock's name (``link`` fails when the lock exists), so that a lock file
        never exists without the process that holds it.  Without hard links: ``O_EXCL`` and write."""
        info = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "time": time.time(),
                           "token": self.token, "program": "jixiao"}).encode("utf-8")
        private = self.path.with_name(f"{self.path.name}.{self.token}")
        try:
            _write_new(private, info)
        except OSError as exc:
            raise fault(exc, self.shown, writing=True) from None
        try:
            os.link(private, self.path)
            return True
        except FileExistsError:
            return False
        except OSError:
            pass  # no hard links on this file system
        finally:
            try:
                private.unlink()
            except OSError:
                pass
        try:
            _write_new(self.path, info)
        except FileExistsError:
            return False
        except OSError as exc:
            raise fault(exc, self.shown, writing=True) from None
        return True

    def _take_over(self, stale_token: str | None) -> None:
        """Move a stale lock aside; if what was moved turns out to be a fresh lock (a race with
        another run that took over first), put it back."""
        aside = self.path.with_name(f"{self.path.name}.stale-{self.token}")
        try:
            os.rename(self.path, aside)
        except OSError:
            return
        moved = _read_lock(aside) or {}
        if moved.get("token") != stale_token:
            try:
                os.link(aside, self.path)
            except OSError:
                pass
        try:
            aside.unlink()
        except OSError:
            pass

    def acquire(self) -> None:
        for _attempt in range(5):
            if self._create():
                self.held = True
                return
            info = _read_lock(self.path)
            if _stale(info, self.path):
                self._take_over((info or {}).get("token"))
                continue
            if info is None:
                continue
            since = info.get("time")
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(since)) if isinstance(since, (int, float)) else "?"
            raise WorkbookInputError(msg.FAULT_LOCKED.format(path=self.shown, pid=info.get("pid", "?"),
                                                             host=info.get("host", "?"), since=when, lock=self.path))
        raise WorkbookInputError(msg.FAULT_LOCKED.format(path=self.shown, pid="?", host="?", since="?", lock=self.path))

    def _remove(self) -> None:
        try:
            self.path.unlink()
        except OSError:
            pass

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        info = _read_lock(self.path)
        if info is not None and info.get("token") == self.token:
            self._remove()


# --------------------------------------------------------------------------------------------
# The discipline: target()
# --------------------------------------------------------------------------------------------
def identity(path: Path) -> tuple[int, int, int] | None:
    """Size, modification time and inode: changes when any program saves the file."""
    return _identity(path)


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


class Target:
    """One file a command is about to write (see :func:`target`)."""

    def __init__(self, path: str | os.PathLike[str], *, force: bool, in_place: bool, product: bool,
                 backup_infix: str) -> None:
        self.shown = _display(path)
        self.given = Path(path)
        self.real = real_path(path)
        self.force = force
        self.in_place = in_place
        self.product = product and not in_place
        self.backup_infix = backup_infix
        self._backup: Path | None = None
        self.replaced = False
        self.existed = False
        self._mode: int | None = None
        self._identity: tuple[int, int, int] | None = None
        self._lock = Lock(self.real, self.shown)

    @property
    def backup(self) -> Path | None:
        """The backup this run made, named beside the path the user gave when that is its folder."""
        if self._backup is None:
            return None
        beside = self.given.parent / self._backup.name
        return beside if real_path(beside.parent) == self._backup.parent else self._backup

    @property
    def path(self) -> Path:
        """The path to write (the real file: a symbolic link is resolved)."""
        return self.real

    def open(self) -> None:
        check_output(self.given)
        self._lock.acquire()
        try:
            self.existed = os.path.lexists(self.real)
            if self.in_place and not self.existed:
                raise WorkbookInputError(msg.FILE_NOT_FOUND.format(path=self.shown))
            if self.existed:
                if is_read_only(self.real):
                    raise WorkbookInputError(msg.FAULT_READ_ONLY_FILE.format(path=self.shown))
                regenerable = self.product and is_own_product(self.real)  # exactly as jixiao wrote it
                if not regenerable:
                    if not (self.in_place or self.force):
                        why = msg.FAULT_EDITED if self.product else ""
                        raise WorkbookInputError(msg.FAULT_EXISTS.format(path=self.shown, why=why))
                    self._backup = make_backup(self.real, self.shown, self.backup_infix)
                try:
                    self._mode = os.stat(self.real).st_mode & 0o7777
                except OSError:
                    self._mode = None
            self._identity = _identity(self.real)
        except BaseException:
            self.close(failed=True)
            raise

    def _unchanged(self) -> None:
        if _identity(self.real) != self._identity:
            raise WorkbookInputError(msg.FAULT_CHANGED.format(path=self.shown))

    def write(self, save: Save, verify: Callable[[Path], None] | None = None) -> None:
        """Write the file atomically under this target's rules."""
        _write_file(save, self.real, self.shown, verify, self._mode, self.product, self._unchanged)
        self.replaced = True
        self._identity = _identity(self.real)

    def close(self, failed: bool) -> None:
        try:
            if self._backup is not None and not self.replaced:
                try:  # nothing was replaced: the original is intact, this run's copy of it is redundant
                    self._backup.unlink()
                except OSError:
                    pass
                self._backup = None
        finally:
            self._lock.release()


_ACTIVE: dict[Path, Target] = {}


@contextmanager
def target(path: str | os.PathLike[str], *, force: bool = False, in_place: bool = False, product: bool = False,
           backup_infix: str = BACKUP_INFIX) -> Iterator[Target]:
    """Hold the right to write ``path`` for the duration of the block (see the module docstring).

    ``in_place``: the user's own file, updated on purpose (backed up first; read-only refused).
    ``product``: a file jixiao derives from another; an existing one is replaced without ``force``
    only while it is exactly as jixiao wrote it.  Otherwise an existing file needs ``force``
    (backed up first).  Nested use on the same real path returns the outer target."""
    real = real_path(path)
    outer = _ACTIVE.get(real)
    if outer is not None:
        yield outer
        return
    t = Target(path, force=force, in_place=in_place, product=product, backup_infix=backup_infix)
    t.open()
    _ACTIVE[real] = t
    failed = True
    try:
        yield t
        failed = False
    finally:
        _ACTIVE.pop(real, None)
        t.close(failed)


def atomic_write(save: Save, path: str | os.PathLike[str], verify: Callable[[Path], None] | None = None,
                 mode_from: Path | None = None) -> None:
    """Write ``path`` through a synced temporary file and an atomic replace.

    Under an active :func:`target` for the same file its rules apply; otherwise the file is simply
    written (callers that write a user-named file hold a target)."""
    active = _ACTIVE.get(real_path(path))
    if active is not None:
        active.write(save, verify)
        return
    real = real_path(path)
    mode = None
    if mode_from is not None:
        try:
            mode = os.stat(mode_from).st_mode & 0o7777
        except OSError:
            mode = None
    _write_file(save, real, _display(path), verify, mode, mark=False)


def write_bytes(data: bytes, path: str | os.PathLike[str]) -> None:
    atomic_write(lambda tmp: tmp.write_bytes(data), path)
