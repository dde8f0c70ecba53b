"""An output folder whose files are replaced as one set, by one run at a time.

A run writes its outputs into a new *generation*, a hidden folder
``OUT/.ultimatum/KIND/gen-PID-TOKEN``. Once every file in it is complete and
on disk, one atomic rename points ``OUT/.ultimatum/KIND/current`` (a
symbolic link) at it. The names users read (``OUT/events.csv``,
``OUT/report.html``, ``OUT/figures``, ...) are symbolic links through
``current``, made once: at every moment all of them lead into one
generation, the previous one or the new one, never a mix. (A program that
reads several of them while another run may switch them reads one set by
resolving ``current`` once, with ``os.path.realpath``.)

One run at a time writes into a folder: from before it reads anything there
until it has switched, a run holds an exclusive lock (``flock``) on
``OUT/.ultimatum/KIND/lock``, which holds its PID; a second run refuses
(:class:`OutputBusy`). The lock goes with the process however it ends, so
the run that holds it knows that every other entry of the state folder (the
generations and work folders of dead runs, named by their PID) is stale, and
removes it.

A run that fails or is stopped before it switches leaves the folder as it
was: its generation and work folder are removed, and so is the folder
itself when the run created it."""
from __future__ import annotations

import errno
import os
import secrets
import shutil
import signal
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from ultimatum.runtime.atomic import sync_dir
from ultimatum.runtime.signals import deferred

try:
    import fcntl
    _FLOCK = True
except ImportError:  # not POSIX: no lock
    _FLOCK = False

STATE_DIRNAME = ".ultimatum"
LOCK_NAME = "lock"
CURRENT_NAME = "current"
#: Steps of a run's switch where ``ULTIMATUM_FAULT_AT=STEP`` kills it (fault-injection tests):
#: every file written, ``current`` switched, the links made, the new cache entries installed.
FAULT_STEPS = ("written", "switched", "linked", "cached")
_NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}


class OutputError(Exception):
    """An output folder that cannot be used; the message names it and says why."""


class OutputBusy(OutputError):
    """Another run is writing into the folder."""


def fault_point(step: str) -> None:
    """Where tests stop a run: ``ULTIMATUM_FAULT_SLEEP=SECONDS`` pauses before
    every step, ``ULTIMATUM_FAULT_AT=STEP`` kills the process at ``step``."""
    pause = os.environ.get("ULTIMATUM_FAULT_SLEEP")
    if pause:
        time.sleep(float(pause))
    if os.environ.get("ULTIMATUM_FAULT_AT") == step:
        kill = getattr(signal, "SIGKILL", None)
        if kill is None:
            os._exit(137)
        os.kill(os.getpid(), kill)


def check_outside(out_dir: str | os.PathLike, raw_dir: str | os.PathLike, option: str = "--out") -> None:
    """Refuse an output folder that is the raw folder or inside it: the next
    run would read the tables (and temporary files) as articles."""
    for out, raw in ((Path(os.path.abspath(out_dir)), Path(os.path.abspath(raw_dir))),
                     (Path(out_dir).resolve(), Path(raw_dir).resolve())):
        if out == raw:
            raise OutputError(f"{out_dir}: {option} is the raw folder {raw_dir}; the next run would read "
                              "its tables as articles: choose a folder outside it")
        if raw in out.parents:
            raise OutputError(f"{out_dir}: {option} is inside the raw folder {raw_dir}; the next run would "
                              "read its tables as articles: choose a folder outside it")


def _unwritable(out: Path, exc: OSError) -> OutputError:
    if exc.errno in _NOT_WRITABLE:
        return OutputError(f"{out}: not writable ({exc.strerror or exc})")
    return OutputError(f"{out}: cannot write in the folder ({exc.strerror or exc})")


def _prepare(out: Path) -> bool:
    """Make ``out`` a folder if it is not one yet; True when it was created."""
    if out.is_dir():
        return False
    if out.exists() or out.is_symlink():
        raise OutputError(f"{out}: not a folder (a file of that name exists)")
    for parent in out.parents:
        if parent.is_dir():
            break
        if parent.exists() or parent.is_symlink():
            raise OutputError(f"{out}: cannot create the folder: {parent} is a file")
    try:
        out.mkdir(parents=True)
    except OSError as exc:
        raise _unwritable(out, exc) if exc.errno in _NOT_WRITABLE else \
            OutputError(f"{out}: cannot create the folder ({exc.strerror or exc})") from exc
    return True


def _makedirs(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; those created, outermost first."""
    missing = [p for p in (folder, *folder.parents) if not p.is_dir()][::-1]
    for path in missing:
        path.mkdir(exist_ok=True)
    return missing


def _lock(path: Path, out: Path) -> int:
    """An open descriptor of ``path`` holding an exclusive lock; OutputBusy
    when another process holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    if not _FLOCK:
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        os.close(fd)
        pid = f" (pid {holder})" if holder.isdigit() else ""
        raise OutputBusy(f"{out}: another ultimatum run{pid} is writing to this folder; "
                         "run again when it has finished") from None
    except OSError as exc:  # a file system without locks: go on unlocked, as before
        if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
            os.close(fd)
            raise
        return fd
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    return fd


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def _sync_tree(folder: Path) -> None:
    """Flush every file and folder under ``folder`` to disk (cache entries
    aside: they carry their own checksum)."""
    for here, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != ".cache"]
        for name in files:
            path = os.path.join(here, name)
            if os.path.islink(path):
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        sync_dir(Path(here))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def remove_dead_temp_folders(prefix: str) -> None:
    """Remove the system's temporary folders named ``PREFIX + PID + '-…'``
    whose process is gone (a run killed with ``kill -9``)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{prefix}*-*"):
        pid = folder.name[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


class OutputSet:
    """The outputs ``entries`` (names of files or folders in ``out_dir``) of
    one kind of run (``kind``: ``tables``, ``report``), replaced as one set.

    ``with OutputSet(...) as target:`` locks the folder, removes what dead
    runs left, and gives :attr:`gen` (write the outputs there) and
    :attr:`work` (temporary files); :meth:`commit` switches to :attr:`gen`,
    :meth:`keep_current` ends the run keeping the outputs in place. Leaving
    the block otherwise leaves the folder as it was.
    ``legacy``: patterns of temporary files older versions left in ``out_dir``."""

    def __init__(self, out_dir: str | os.PathLike, kind: str, entries: Sequence[str],
                 legacy: Iterable[str] = ()) -> None:
        self.out = Path(out_dir)
        self.kind = kind
        self.entries = tuple(entries)
        self.legacy = tuple(legacy)
        self.state = self.out / STATE_DIRNAME / kind
        self.token = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.gen = self.state / f"gen-{self.token}"
        self.work = self.state / f"work-{self.token}"
        self.committed = False
        self.kept = False
        self._fd: int | None = None
        self._created: list[Path] = []

    def __enter__(self) -> OutputSet:
        self.open()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: object) -> None:
        self.close(failed=exc_type is not None or not (self.committed or self.kept))

    def open(self) -> None:
        """Lock the folder (creating it if need be), clear what dead runs left
        and make this run's generation and work folders."""
        created = [self.out] if _prepare(self.out) else []
        try:
            try:
                created += _makedirs(self.state)
                self._fd = _lock(self.state / LOCK_NAME, self.out)
                self._created = created
                self._check_links()
            except OSError as exc:
                raise _unwritable(self.out, exc) from exc
            self._remove_stale()
            self.gen.mkdir()
            self.work.mkdir()
        except BaseException:
            self._created = created
            self.close(failed=True)
            raise

    def _check_links(self) -> None:
        probe = self.state / f".probe-{self.token}"
        try:
            os.symlink(CURRENT_NAME, probe)
        except (OSError, NotImplementedError) as exc:
            raise OutputError(f"{self.out}: the file system does not support symbolic links, which "
                              "ultimatum needs to replace its outputs as one set") from exc
        probe.unlink()

    def current_name(self) -> str | None:
        """The name of the current generation's folder, if there is one."""
        try:
            return os.readlink(self.state / CURRENT_NAME)
        except OSError:
            return None

    def current_folder(self) -> Path | None:
        """The current generation's folder (before this run's switch), if there is one."""
        folder = self.current_name()
        return self.state / folder if folder else None

    def current(self, name: str) -> Path | None:
        """``name`` in the current generation (before this run's switch), if it is there."""
        folder = self.current_folder()
        path = folder / name if folder is not None else None
        return path if path is not None and path.exists() else None

    def _remove_stale(self) -> None:
        keep = {LOCK_NAME, CURRENT_NAME, self.current_name(), self.gen.name, self.work.name}
        for entry in list(self.state.iterdir()):
            if entry.name not in keep:
                _remove(entry)
        for pattern in self.legacy:
            for path in self.out.glob(pattern):
                if path.is_file() and not path.is_symlink():
                    path.unlink(missing_ok=True)

    def commit(self) -> None:
        """Switch to this run's generation: flush it, point ``current`` at it
        in one rename, then make the links in the folder (once)."""
        with deferred():
            _sync_tree(self.gen)
            fault_point("written")
            link = self.state / f".current-{self.token}"
            os.symlink(self.gen.name, link)
            os.replace(link, self.state / CURRENT_NAME)
            self.committed = True
            sync_dir(self.state)
            fault_point("switched")
            self._link_entries()
            sync_dir(self.out)
            fault_point("linked")

    def _link_target(self, name: str) -> str:
        """Where the folder's link ``name`` points: into ``current``."""
        return os.path.join(STATE_DIRNAME, self.kind, CURRENT_NAME, name)

    def _is_linked(self, name: str) -> bool:
        """Whether the folder's entry ``name`` is the link into ``current``."""
        path = self.out / name
        return os.path.islink(path) and os.readlink(path) == self._link_target(name)

    def linked(self) -> bool:
        """Whether every entry of the folder is still the link into ``current``."""
        return all(map(self._is_linked, self.entries))

    def keep_current(self) -> None:
        """End the run without switching: the current generation stays, and
        leaving the block removes this run's generation as after a success."""
        self.kept = True

    def _link_entries(self) -> None:
        for name in self.entries:
            if self._is_linked(name):
                continue
            path, target = self.out / name, self._link_target(name)
            if path.is_dir() and not path.is_symlink():  # a folder an older version wrote
                os.replace(path, self.state / f"old-{self.token}-{name}")
            link = self.state / f".link-{self.token}"
            os.symlink(target, link)
            os.replace(link, path)

    def keep(self, name: str) -> Path:
        """Move ``name`` of this run's generation aside, out of the way of the
        next runs but kept until the next one (what a failed run left to read)."""
        kept = self.state / f"failed-{name}"
        _remove(kept)
        os.replace(self.gen / name, kept)
        return kept

    def close(self, failed: bool = False) -> None:
        """Remove this run's work folder, and its generation unless switched
        to (then the previous generations); unlock."""
        try:
            if not self.committed:
                _remove(self.gen)
            _remove(self.work)
            if self.committed:
                self._remove_stale()
            elif failed:
                self._undo_created()
        finally:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def _undo_created(self) -> None:
        """Remove the folders this run created (it wrote nothing else in them)."""
        if self._created:
            (self.state / LOCK_NAME).unlink(missing_ok=True)
        for path in reversed(self._created):
            try:
                path.rmdir()
            except OSError:
                break
