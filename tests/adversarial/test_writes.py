"""Writes that never lose data: kills, full disks, concurrent writers, links and devices (#14).

Items 4-9 of issue #14 and the ``/dev/full`` case of item 15. Kill tests fork the test process
(graphkit already imported, so a child starts in milliseconds), let the child write, SIGKILL it
at a random moment, then check that every file is old or new and that a rerun converges.
"""

from __future__ import annotations

import fcntl
import json
import multiprocessing
import os
import random
import signal
import stat
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from adversarial._support import graphkit_command, run_graphkit

import graphkit as gk
from graphkit._fs import atomic_open, atomic_write
from graphkit.cli import main
from graphkit.io.yaml import parse_yaml

pytestmark = pytest.mark.adversarial

FORK = multiprocessing.get_context("fork")
KILLS = 20


def _child(job: Callable[[], object]) -> None:
    """Run ``job`` in a forked child with its output silenced; exit 0, or 1 if it raised."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        result = job()
    except BaseException:  # noqa: BLE001 - reported as the exit code
        os._exit(1)
    os._exit(result if isinstance(result, int) else 0)


def run_forked(job: Callable[[], object], kill_after: float | None = None) -> int | None:
    """Run ``job`` in a forked process; SIGKILL it after ``kill_after`` s; its exit code.

    ``None`` when the kill landed (the child was still running).
    """
    process = FORK.Process(target=_child, args=(job,))
    process.start()
    if kill_after is not None:
        process.join(kill_after)
        if process.is_alive():
            os.kill(process.pid, signal.SIGKILL)
            process.join()
            return None
    process.join()
    return process.exitcode


def timed(job: Callable[[], object]) -> float:
    """How long ``job`` takes in a forked child (to spread the kills over it)."""
    started = time.perf_counter()
    assert run_forked(job) == 0
    return time.perf_counter() - started


def leftovers(folder: Path) -> list[str]:
    """Hidden files a writer leaves behind: temporary, pending, journal, staging."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob(".*")
        if p.name.endswith((".tmp", ".pending", ".graphkit-journal"))
        or p.name.startswith(".graphkit-staging-")
    )


# ---- 7. atomic_write keeps modes, follows links, writes devices ------------------------------


@pytest.fixture
def umask():
    """Set the process umask for a test (restored after)."""
    saved = os.umask(0o022)
    os.umask(saved)
    yield os.umask
    os.umask(saved)


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o604, 0o755])
@pytest.mark.parametrize("mask", [0o022, 0o077])
def test_an_existing_file_keeps_its_mode(tmp_path, umask, mode, mask):
    target = tmp_path / "kb.yaml"
    target.write_text("old", encoding="utf-8")
    target.chmod(mode)
    umask(mask)
    atomic_write(target, "new")
    assert (stat.S_IMODE(target.stat().st_mode), target.read_text()) == (mode, "new")
    with atomic_open(target) as handle:
        handle.write("newer")
    assert stat.S_IMODE(target.stat().st_mode) == mode


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_follows_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    atomic_write(tmp_path / "a.txt", "x")
    with atomic_open(tmp_path / "b.txt") as handle:
        handle.write("x")
    for name in ("a.txt", "b.txt"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == expected, name


def test_saving_through_a_symlink_updates_its_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "store" / "kb.yaml"
    real.parent.mkdir()
    real.write_text("format_version: 1\n", encoding="utf-8")
    real.chmod(0o600)
    link = tmp_path / "kb.yaml"
    link.symlink_to(Path("store") / "kb.yaml")  # relative, as users make them
    kb = gk.loads("format_version: 1\nactors: [{id: A, name: x, kind: state}]\n")
    kb.save(link)
    assert link.is_symlink()
    assert gk.load(real).actors["A"].name == "x"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []


def test_a_dangling_symlink_is_written_at_its_target(tmp_path):
    link = tmp_path / "out.nt"
    link.symlink_to(tmp_path / "real.nt")
    atomic_write(link, "x")
    assert link.is_symlink() and (tmp_path / "real.nt").read_text() == "x"


def _device(tmp_path: Path, name: str, minor: int) -> Path:
    """A character device node like /dev/null (minor 3) or /dev/full (minor 7), made here."""
    node = tmp_path / name
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError as exc:
        pytest.skip(f"cannot create a device node here: {exc}")
    return node


def test_a_device_is_written_in_place_never_replaced(tmp_path, flagship):
    null = _device(tmp_path, "null", 3)
    target = tmp_path / "kb.yaml"
    target.write_text(flagship.to_yaml(), encoding="utf-8")
    assert main(["export", str(target), "--format", "nt", "-o", str(null)]) == 0
    assert stat.S_ISCHR(null.stat().st_mode)
    atomic_write(null, "x")
    with atomic_open(null) as handle:
        handle.write("y")
    assert stat.S_ISCHR(null.stat().st_mode)
    assert leftovers(tmp_path) == []


def test_a_full_device_is_a_write_error_exit_1(tmp_path, capsys):
    full = _device(tmp_path, "full", 7)
    kb = tmp_path / "kb.yaml"
    kb.write_text("format_version: 1\nactors: [{id: A, name: x, kind: state}]\n", encoding="utf-8")
    assert main(["export", str(kb), "--format", "nt", "-o", str(full)]) == 1
    assert f"cannot write {full}: No space left on device" in capsys.readouterr().err
    assert stat.S_ISCHR(full.stat().st_mode)
    done = run_graphkit("export", kb, "--format", "turtle", "-o", "/dev/full")  # the real one
    assert done.returncode == 1 and "No space left on device" in done.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_is_written_for_its_reader(tmp_path):
    fifo = tmp_path / "out.nt"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    atomic_write(fifo, "through the pipe\n")
    reader.join(10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


# ---- 8. stale temporary files; kills during a write ------------------------------------------


def _slow_writer(target: Path) -> Callable[[], None]:
    def job() -> None:
        with atomic_open(target) as handle:
            handle.write("x" * 100_000)
            handle.flush()
            time.sleep(30)

    return job


def _temps(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.glob(f".{target.name}.*.tmp"))


def _writing(target: Path) -> multiprocessing.process.BaseProcess:
    """Start a slow writer of ``target`` and return once it is writing (its file locked)."""
    before = set(_temps(target))
    writer = FORK.Process(target=_child, args=(_slow_writer(target),))
    writer.start()
    deadline = time.monotonic() + 30
    while not any((target.parent / n).stat().st_size for n in set(_temps(target)) - before):
        assert time.monotonic() < deadline, "the writer never started writing"
        time.sleep(0.01)
    return writer


def test_a_killed_writers_temporary_file_is_removed_by_the_next_write(tmp_path):
    target = tmp_path / "kb.nt"
    target.write_text("old", encoding="utf-8")
    for _ in range(3):
        writer = _writing(target)
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()
        # Each writer removed the one killed before it: one is left, not three.
        assert len(_temps(target)) == 1 and target.read_text() == "old"
    atomic_write(target, "new")
    assert _temps(target) == [] and target.read_text() == "new"


def test_a_live_writers_temporary_file_is_left_alone(tmp_path):
    target = tmp_path / "kb.nt"
    # Once written to, a temporary file is locked (the lock comes first; one taken for stale in
    # the instant before its lock is made again under another name, which is also correct).
    writer = _writing(target)
    try:
        live = _temps(target)
        atomic_write(target, "meanwhile")
        assert _temps(target) == live and target.read_text() == "meanwhile"
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()


def test_kills_during_writes_leave_old_or_new_and_no_litter(tmp_path):
    target = tmp_path / "kb.nt"
    old, new = "old\n" * 200_000, "new\n" * 300_000
    target.write_text(old, encoding="utf-8")
    target.chmod(0o640)

    def write() -> None:
        atomic_write(target, new)

    span = timed(write)
    target.write_text(old, encoding="utf-8")
    rng = random.Random(14)
    for _ in range(KILLS):
        run_forked(write, kill_after=rng.uniform(0, span))
        assert target.read_text(encoding="utf-8") in (old, new)
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert run_forked(write) == 0
    assert target.read_text(encoding="utf-8") == new
    assert leftovers(tmp_path) == []


# ---- 4, 5. promote: recoverable across two files, serialised ---------------------------------

CURATED = """# Curated: keep this header
format_version: 1
actors:
  - {id: RUS, name: Russia, kind: state}
"""


def _imported(n: int, prefix: str = "g") -> str:
    lines = [
        "format_version: 1",
        "sources:",
        f"  - {{id: {prefix}-src, title: T, reliability: F, provenance: {{dataset: gdelt, record: s}}}}",
        "events:",
    ]
    lines += [
        f"  - {{id: {prefix}-{i}, type: attack, date: 2024-10-23, actor: RUS, sources: [{prefix}-src],"
        f" provenance: {{dataset: gdelt, record: '{i}'}}}}"
        for i in range(n)
    ]
    return "\n".join(lines) + "\n"


def _promote_files(tmp_path: Path, n: int = 120) -> tuple[Path, Path]:
    imported, curated = tmp_path / "imported.yaml", tmp_path / "curated.yaml"
    imported.write_text(_imported(n), encoding="utf-8")
    curated.write_text(CURATED, encoding="utf-8")
    return imported, curated


def _ids(path: Path) -> set[str]:
    data = parse_yaml(path.read_text(encoding="utf-8")).data
    return {i["id"] for s in ("sources", "actors", "events") for i in data.get(s) or []}


def _converged(imported: Path, curated: Path, chosen: list[str]) -> None:
    """The promote is complete: chosen records curated and reviewed, gone from the import."""
    kb = gk.load(curated, imported)  # both load together: no id in both files
    for item_id in chosen:
        assert kb.origins[item_id].file == str(curated)
        assert kb.events[item_id].provenance.reviewed is True
    assert not set(chosen) & _ids(imported)
    assert leftovers(imported.parent) == []
    assert curated.read_text(encoding="utf-8").startswith("# Curated: keep this header")


CHOSEN = ["g-7", "g-60", "g-119"]


def _promote() -> int:
    return main(["promote", "imported.yaml", *CHOSEN, "--into", "curated.yaml"])


def test_promote_interrupted_between_its_two_writes_is_finished_by_a_rerun(tmp_path, monkeypatch):
    imported, curated = _promote_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    everything = _ids(imported) | _ids(curated)
    real_replace = os.replace

    def crash_after_first_file(src: object, dst: object) -> None:
        real_replace(src, dst)  # type: ignore[arg-type]
        if Path(str(dst)).name == "curated.yaml":
            os._exit(9)  # the machine stops right after the curated file is in place

    monkeypatch.setattr(os, "replace", crash_after_first_file)
    assert run_forked(_promote) == 9
    monkeypatch.setattr(os, "replace", real_replace)
    assert everything <= _ids(imported) | _ids(curated)  # nothing lost
    assert set(CHOSEN) <= _ids(curated)
    assert _promote() == 0
    _converged(imported, curated, CHOSEN)
    assert _promote() == 0  # and again: nothing left to do, nothing changes
    _converged(imported, curated, CHOSEN)


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("call", [1, 2, 3, 4])
def test_promote_stopped_at_any_rename_converges_on_rerun(tmp_path, monkeypatch, call, when):
    """Stop at each rename of a promote (journals, then the two files), before or after it."""
    imported, curated = _promote_files(tmp_path, 20)
    monkeypatch.chdir(tmp_path)
    everything = _ids(imported) | _ids(curated)
    real_replace = os.replace
    calls = [0]

    def stop(src: object, dst: object) -> None:
        calls[0] += 1
        if calls[0] == call and when == "before":
            os._exit(9)
        real_replace(src, dst)  # type: ignore[arg-type]
        if calls[0] == call:
            os._exit(9)

    monkeypatch.setattr(os, "replace", stop)
    assert (
        run_forked(lambda: main(["promote", "imported.yaml", "g-3", "--into", "curated.yaml"])) == 9
    )
    monkeypatch.setattr(os, "replace", real_replace)
    assert everything <= _ids(imported) | _ids(curated)
    assert main(["promote", "imported.yaml", "g-3", "--into", "curated.yaml"]) == 0
    _converged(imported, curated, ["g-3"])


def test_kills_during_promote_never_lose_a_record_and_a_rerun_converges(tmp_path, monkeypatch):
    imported, curated = _promote_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    everything = _ids(imported) | _ids(curated)
    originals = imported.read_bytes(), curated.read_bytes()
    span = timed(_promote)
    rng = random.Random(4)
    for _ in range(KILLS):
        imported.write_bytes(originals[0])
        curated.write_bytes(originals[1])
        run_forked(_promote, kill_after=rng.uniform(0, span * 1.2))
        assert everything <= _ids(imported) | _ids(curated)  # never lost
        assert _promote() == 0, "a rerun after the kill must finish the promote"
        _converged(imported, curated, CHOSEN)


def _fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` until about ``leave`` bytes are free."""
    filler = disk / "filler"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave))


def test_promote_on_a_full_disk_changes_neither_file(tiny_disk, monkeypatch, capsys):
    disk = tiny_disk(1 << 20)
    imported, curated = _promote_files(disk, 400)
    monkeypatch.chdir(disk)
    before = imported.read_bytes(), curated.read_bytes()
    # Room for the new curated file, not for both new files.
    _fill(disk, len(before[1]) + 12_000)
    assert _promote() == 1
    assert "No space left on device" in capsys.readouterr().err
    assert (imported.read_bytes(), curated.read_bytes()) == before
    assert leftovers(disk) == []
    (disk / "filler").unlink()
    assert _promote() == 0
    _converged(imported, curated, CHOSEN)


def test_concurrent_promotes_into_one_file_lose_nothing(tmp_path):
    curated = tmp_path / "curated.yaml"
    sources = [tmp_path / f"imported-{n}.yaml" for n in range(2)]
    rounds = 20
    for round_ in range(rounds):
        curated.write_text(CURATED, encoding="utf-8")
        for n, path in enumerate(sources):
            path.write_text(_imported(8, prefix=f"r{round_}x{n}"), encoding="utf-8")
        barrier = FORK.Barrier(len(sources))

        def promote_one(n: int, round_: int = round_, barrier: object = barrier) -> int:
            barrier.wait()  # type: ignore[attr-defined]
            args = [str(sources[n]), f"r{round_}x{n}-3", "--into", str(curated)]
            return main(["promote", *args])

        workers = [FORK.Process(target=_child, args=(lambda n=n: promote_one(n),)) for n in (0, 1)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [w.exitcode for w in workers] == [0, 0]
        assert {f"r{round_}x0-3", f"r{round_}x1-3"} <= _ids(curated), f"round {round_}"
        gk.load(curated, *sources)


def test_concurrent_promote_commands_wait_for_each_other(tmp_path):
    curated = tmp_path / "curated.yaml"
    curated.write_text(CURATED, encoding="utf-8")
    sources = []
    for n in range(3):
        path = tmp_path / f"imported-{n}.yaml"
        path.write_text(_imported(30, prefix=f"p{n}"), encoding="utf-8")
        sources.append(path)
    processes = [
        subprocess.Popen(
            graphkit_command("promote", str(path), f"p{n}-1", f"p{n}-2", "--into", str(curated)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for n, path in enumerate(sources)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    assert {f"p{n}-{i}" for n in range(3) for i in (1, 2)} <= _ids(curated)
    gk.load(curated, *sources)


# ---- 6. standard output on a full disk, a closed pipe ----------------------------------------


def test_export_to_a_full_stdout_exits_1(tmp_path, flagship):
    kb = tmp_path / "kb.yaml"
    kb.write_text(flagship.to_yaml(), encoding="utf-8")
    for args in (
        ["export", kb, "--format", "nt"],
        ["export", kb, "--format", "yaml"],
        ["info", kb],
    ):
        with open("/dev/full", "w") as full:
            done = subprocess.run(
                graphkit_command(*map(str, args)), stdout=full, stderr=subprocess.PIPE, text=True
            )
        assert done.returncode == 1, (args, done.stderr)
        assert "cannot write to standard output: No space left on device" in done.stderr
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_export_to_a_stdout_file_on_a_full_disk_exits_1_not_0(tiny_disk, tmp_path, flagship):
    disk = tiny_disk(64 << 10)
    kb = tmp_path / "kb.yaml"
    kb.write_text(flagship.to_yaml(), encoding="utf-8")
    with (disk / "out.nt").open("w") as target:
        done = subprocess.run(
            graphkit_command("export", str(kb), "--format", "nt"),
            stdout=target,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert done.returncode == 1
    assert "No space left on device" in done.stderr


def test_a_reader_that_stops_early_ends_the_export_quietly_with_exit_1(tmp_path, flagship):
    kb = tmp_path / "kb.yaml"
    kb.write_text(flagship.to_yaml(), encoding="utf-8")
    base = ["--base", "https://example.org/kb/"]  # no note about the example base on stderr
    with subprocess.Popen(
        graphkit_command("export", str(kb), "--format", "nt", *base),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert len(process.stdout.read(100)) == 100
        process.stdout.close()  # like `| head -c 100`
        stderr = process.stderr.read().decode()
        process.wait(60)
    assert process.returncode == 1  # not all was delivered; the reader chose it: no message
    assert stderr == ""


# ---- 9. build: the folder is old or new -------------------------------------------------------

OLD_KB = """format_version: 1
sources: [{id: S, title: t, reliability: B}]
actors: [{id: A, name: Aa, kind: state}, {id: B, name: Bb, kind: state}]
events:
  - {id: old-event, type: attack, date: 2024, actor: A, target: B, sources: [S]}
"""
NEW_KB = OLD_KB.replace("old-event", "new-event") + (
    "  - {id: new-event-2, type: statement, date: 2025, actor: B, target: A, sources: [S],\n"
    "     summary: '" + "a long summary " * 2000 + "'}\n"
)
BUILT = ["escalations.txt", "kb.nt", "kb.ttl", "lint.txt", "report.html", "summary.json"]


def _version(folder: Path) -> str:
    """Which build the folder holds, 'old' or 'new'; fails if it mixes them."""
    found = set()
    for name in BUILT + ["timeline.html"]:
        text = (folder / name).read_text(encoding="utf-8")
        if name == "summary.json":
            found.add({1: "old", 2: "new"}[json.loads(text)["events"]])
        elif name in ("kb.nt", "kb.ttl", "report.html", "timeline.html"):
            found.add("new" if "new-event" in text else "old")
    assert len(found) == 1, f"the folder mixes two builds: {found}"
    return found.pop()


def _build(source: Path, folder: Path) -> Callable[[], int]:
    return lambda: main(["build", str(source), "-o", str(folder), "--cdn", "--paths", "0"])


def _warm_build(tmp_path: Path) -> None:
    """Build once in this process, so forked builds start with plotly and the views imported."""
    source = tmp_path / "warm.yaml"
    source.write_text(OLD_KB, encoding="utf-8")
    assert _build(source, tmp_path / "warm")() == 0


def test_a_build_on_a_full_disk_leaves_the_previous_outputs_whole(tiny_disk, tmp_path):
    _warm_build(tmp_path)
    disk = tiny_disk(2 << 20)
    folder = disk / "out"
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD_KB, encoding="utf-8")
    new.write_text(NEW_KB, encoding="utf-8")
    assert run_forked(_build(old, folder)) == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    _fill(disk, 40_000)
    assert run_forked(_build(new, folder)) == 1
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert leftovers(disk) == []
    (disk / "filler").unlink()
    assert run_forked(_build(new, folder)) == 0
    assert _version(folder) == "new"


def test_kills_during_build_leave_one_build_or_the_marker_and_a_rerun_converges(tmp_path):
    from graphkit.cli.build import INCOMPLETE

    folder = tmp_path / "out"
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD_KB, encoding="utf-8")
    new.write_text(NEW_KB, encoding="utf-8")
    (folder / "mine").mkdir(parents=True)  # the user's own files in the folder stay
    (folder / "notes.md").write_text("mine", encoding="utf-8")
    _warm_build(tmp_path)
    assert run_forked(_build(old, folder)) == 0
    snapshot = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    span = timed(_build(new, folder))
    rng = random.Random(9)
    marked = 0
    for _ in range(12):  # a build is the slowest writer: fewer kills than KILLS
        for name, content in snapshot.items():  # back to the old build
            (folder / name).write_bytes(content)
        (folder / INCOMPLETE).unlink(missing_ok=True)
        run_forked(_build(new, folder), kill_after=rng.uniform(0, span))
        if (folder / INCOMPLETE).exists():
            marked += 1  # stopped during the moves: the folder says it mixes two builds
        else:
            _version(folder)
        assert (folder / "notes.md").read_text(encoding="utf-8") == "mine"
    assert marked < 12, "every kill landed during the moves: the loop checked nothing"
    _workers_gone(folder)
    assert run_forked(_build(new, folder)) == 0
    assert _version(folder) == "new"
    assert not (folder / INCOMPLETE).exists()
    assert leftovers(folder) == []
    assert (folder / "mine").is_dir()


def _workers_gone(folder: Path) -> None:
    """Wait until no process holds a staging folder in ``folder``.

    A killed build's RDF worker gets SIGTERM when its parent dies and unwinds; until it has, its
    staging folder is (rightly) left alone by the next build.
    """
    deadline = time.monotonic() + 20
    for stage in folder.glob(".graphkit-staging-*"):
        fd = os.open(stage, os.O_RDONLY | os.O_DIRECTORY)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    assert time.monotonic() < deadline, f"{stage} is still held"
                    time.sleep(0.02)
        finally:
            os.close(fd)


def test_a_build_stopped_while_moving_files_in_leaves_the_marker(tmp_path, monkeypatch):
    from graphkit.cli.build import INCOMPLETE

    folder = tmp_path / "out"
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD_KB, encoding="utf-8")
    new.write_text(NEW_KB, encoding="utf-8")
    _warm_build(tmp_path)
    assert run_forked(_build(old, folder)) == 0
    real_replace = os.replace
    moved = []

    def stop_after_two(src: object, dst: object) -> None:
        real_replace(src, dst)  # type: ignore[arg-type]
        if Path(str(dst)).parent == folder and Path(str(dst)).name in BUILT:
            moved.append(dst)
            if len(moved) == 2:
                os._exit(9)

    monkeypatch.setattr(os, "replace", stop_after_two)
    assert run_forked(_build(new, folder)) == 9
    monkeypatch.setattr(os, "replace", real_replace)
    assert "Run graphkit build again" in (folder / INCOMPLETE).read_text(encoding="utf-8")
    assert run_forked(_build(new, folder)) == 0
    assert not (folder / INCOMPLETE).exists()
    assert _version(folder) == "new"
    assert leftovers(folder) == []


def _running(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie waiting for its reaper does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def test_a_killed_builds_rdf_worker_stops_too(tmp_path, monkeypatch):
    from graphkit.cli import build as build_module

    if not Path("/proc/self/stat").exists():
        pytest.skip("no /proc to watch the worker with")
    pidfile = tmp_path / "worker.pid"

    def slow_rdf(kb: object, folder: Path, base: str) -> None:
        pidfile.write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(60)

    monkeypatch.setattr(build_module, "_rdf_files", slow_rdf)  # inherited by the worker
    source = tmp_path / "kb.yaml"
    source.write_text(OLD_KB, encoding="utf-8")
    args = ["build", str(source), "-o", str(tmp_path / "out"), "--cdn", "--jobs", "2"]
    build = FORK.Process(target=_child, args=(lambda: main(args),))
    build.start()
    deadline = time.monotonic() + 30
    while not pidfile.exists() or not pidfile.read_text():
        assert time.monotonic() < deadline, "the worker never started"
        time.sleep(0.02)
    worker = int(pidfile.read_text())
    os.kill(build.pid, signal.SIGKILL)
    build.join()
    deadline = time.monotonic() + 10
    while _running(worker):
        assert time.monotonic() < deadline, "the worker of a killed build kept running"
        time.sleep(0.02)
