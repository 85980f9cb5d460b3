"""push in batches: bounded look-ahead, resume after an interruption, idempotence."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import graphkit as gk
from graphkit.cli import main
from graphkit.rdf import iter_triples, serialize, to_rdf
from graphkit.rdf._batches import (
    Batch,
    Checkpoint,
    CheckpointError,
    ntriples_batches,
    prefetched,
)
from graphkit.rdf.endpoint import load_endpoint, push
from graphkit.rdf.export import item_count

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "data" / "events.yaml"
GRAPH = "https://graphkit.example.org/graphs/push"


def test_batches_hold_whole_items_and_join_to_the_export(flagship) -> None:
    batches = list(ntriples_batches(iter_triples(flagship), 300))
    assert len(batches) > 3
    assert [b.index for b in batches] == list(range(len(batches)))
    assert b"".join(b.data for b in batches).decode() == serialize(flagship, "nt")
    largest = max(len(chunk) for chunk in iter_triples(flagship))
    assert all(300 <= b.triples < 300 + largest for b in batches[:-1])
    assert batches[-1].items == len(list(iter_triples(flagship))) == item_count(flagship)
    with pytest.raises(ValueError, match="at least 1"):
        next(ntriples_batches(iter_triples(flagship), 0))


def _counted(n: int, made: list[int]) -> Iterator[Batch]:
    for i in range(n):
        made.append(i)
        yield Batch(i, b"x", 1, i + 1)


def test_prefetch_runs_at_most_two_batches_ahead() -> None:
    made: list[int] = []
    seen = []
    stream = prefetched(_counted(50, made), depth=2)
    for batch in stream:
        time.sleep(0.002)  # the consumer is slower: the producer waits for room
        assert len(made) <= batch.index + 1 + 2 + 1  # queued two ahead, one in hand
        seen.append(batch.index)
    assert seen == list(range(50))


def test_prefetch_raises_the_producers_error_and_stops_its_thread() -> None:
    def failing() -> Iterator[Batch]:
        yield Batch(0, b"x", 1, 1)
        raise RuntimeError("formatter broke")

    stream = prefetched(failing())
    assert next(stream).index == 0
    with pytest.raises(RuntimeError, match="formatter broke"):
        next(stream)
    made: list[int] = []
    stream = prefetched(_counted(1000, made))
    next(stream)
    stream.close()  # the consumer gave up: the thread ends
    assert not any(t.name == "graphkit-push-batches" for t in threading.enumerate())
    assert len(made) < 10


def test_checkpoint_files_are_checked(tmp_path) -> None:
    path = tmp_path / "push.json"
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(CheckpointError, match="not a graphkit push checkpoint"):
        Checkpoint(path, {})
    path.write_text('{"other": 1}', encoding="utf-8")
    with pytest.raises(CheckpointError, match="delete it to start over"):
        Checkpoint(path, {})
    path.unlink()
    state = Checkpoint(path, {"url": "u", "batch_size": 5})
    state.acknowledged(0, "a")
    state.acknowledged(1, "b")
    state.acknowledged(1, "c")  # batch 1 sent again after a change: it replaces the old one
    assert Checkpoint(path, {"url": "u", "batch_size": 5}).digests == ["a", "c"]
    assert Checkpoint(path, {"url": "u", "batch_size": 6}).digests == []  # another push
    state.finish()
    assert not path.exists()


class _Stop(Exception):
    pass


def _interrupt_after(batches: int) -> object:
    calls = [0]

    def progress(items: int, triples: int) -> None:
        calls[0] += 1
        if calls[0] == batches:
            raise _Stop  # as a Ctrl-C or a lost connection would, after the server answered

    return progress


@pytest.mark.server
def test_interrupted_push_resumes_from_the_checkpoint(oxigraph, flagship, tmp_path) -> None:
    graph = GRAPH + "/resume"
    state = tmp_path / "push.json"
    unique = len(to_rdf(flagship))
    with pytest.raises(_Stop):
        push(flagship, oxigraph.store, graph=graph, batch_size=500, checkpoint=state,
             progress=_interrupt_after(3))  # fmt: skip
    acknowledged = json.loads(state.read_text(encoding="utf-8"))["acknowledged"]
    assert len(acknowledged) == 3
    assert 0 < oxigraph.count(graph) < unique
    result = push(flagship, oxigraph.store, graph=graph, batch_size=500, checkpoint=state)
    batches = list(ntriples_batches(iter_triples(flagship), 500))
    assert result.skipped == sum(b.triples for b in batches[:3])
    assert result.batches == len(batches) - 3
    assert result.triples == sum(b.triples for b in batches)
    assert oxigraph.count(graph) == unique
    assert not state.exists()  # complete: the checkpoint is gone
    again = push(flagship, oxigraph.store, graph=graph, batch_size=500)  # twice: nothing added
    assert again.skipped == 0 and again.batches == len(batches)
    assert oxigraph.count(graph) == unique
    assert load_endpoint(oxigraph.query, graph) == flagship


@pytest.mark.server
def test_resume_sends_everything_from_the_first_changed_batch(oxigraph, flagship, tmp_path):
    graph = GRAPH + "/changed"
    state = tmp_path / "push.json"
    with pytest.raises(_Stop):
        push(flagship, oxigraph.store, graph=graph, batch_size=500, checkpoint=state,
             progress=_interrupt_after(2))  # fmt: skip
    other = gk.loads("format_version: 1\nactors: [{id: Z, name: Zed, kind: state}]")
    result = push(other, oxigraph.store, graph=graph, batch_size=500, checkpoint=state)
    assert result.skipped == 0 and result.batches == 1  # its first batch differs: all sent
    assert not state.exists()
    with pytest.raises(_Stop):
        push(flagship, oxigraph.store, graph=graph, batch_size=500, checkpoint=state,
             progress=_interrupt_after(2))  # fmt: skip
    larger = push(flagship, oxigraph.store, graph=graph, batch_size=700, checkpoint=state)
    assert larger.skipped == 0  # another batch size is another push: the file is not used


@pytest.mark.server
def test_interrupted_replace_resumes_without_replacing_again(oxigraph, flagship, tmp_path):
    graph = GRAPH + "/replace"
    stale = gk.loads("format_version: 1\nactors: [{id: OLD, name: Old, kind: state}]")
    push(stale, oxigraph.store, graph=graph)
    state = tmp_path / "push.json"
    with pytest.raises(_Stop):
        push(flagship, oxigraph.store, graph=graph, replace=True, batch_size=400,
             checkpoint=state, progress=_interrupt_after(2))  # fmt: skip
    result = push(
        flagship, oxigraph.store, graph=graph, replace=True, batch_size=400, checkpoint=state
    )
    assert result.skipped > 0
    assert oxigraph.count(graph) == len(to_rdf(flagship))  # the old actor went with the PUT
    assert load_endpoint(oxigraph.query, graph) == flagship


@pytest.mark.server
def test_push_command_batches_reports_and_resumes(oxigraph, tmp_path, capsys) -> None:
    state = tmp_path / "state.json"
    args = ["push", str(FLAGSHIP), "--endpoint", oxigraph.store, "--graph", GRAPH + "/cli"]
    assert main([*args, "--batch-size", "250", "--checkpoint", str(state)]) == 0
    err = capsys.readouterr().err
    assert "batches" in err and "triples/s" in err
    assert "pushed " in err and "100%" in err  # progress lines on a non-terminal stderr
    assert not state.exists()
    state.write_text("{", encoding="utf-8")
    assert main([*args, "--checkpoint", str(state)]) == 1
    assert "not a graphkit push checkpoint" in capsys.readouterr().err
    assert main([*args, "--batch-size", "0"]) == 2


def test_the_cli_default_batch_size_is_the_librarys() -> None:
    from graphkit.cli import rdf as rdf_cli
    from graphkit.rdf import endpoint

    assert rdf_cli.DEFAULT_BATCH_SIZE == endpoint.DEFAULT_BATCH_SIZE


@pytest.mark.server
def test_bulk_push_reads_back_and_adds_nothing_twice(oxigraph, flagship, tmp_path) -> None:
    graph = GRAPH + "/bulk"
    unique = len(to_rdf(flagship))
    first = push(flagship, oxigraph.store, graph=graph, batch_size=1000, bulk=True)
    assert first.url.endswith("&no_transaction") and first.batches > 3
    assert oxigraph.count(graph) == unique
    again = push(flagship, oxigraph.store, graph=graph, batch_size=1000, bulk=True)
    assert again.batches == first.batches and oxigraph.count(graph) == unique
    assert load_endpoint(oxigraph.query, graph) == flagship
    state = tmp_path / "push.json"  # an interrupted bulk push resumes too
    other = GRAPH + "/bulk-resumed"
    with pytest.raises(_Stop):
        push(flagship, oxigraph.store, graph=other, batch_size=1000, bulk=True,
             checkpoint=state, progress=_interrupt_after(2))  # fmt: skip
    resumed = push(flagship, oxigraph.store, graph=other, batch_size=1000, bulk=True,
                   checkpoint=state)  # fmt: skip
    assert resumed.skipped > 0 and oxigraph.count(other) == unique
    assert not state.exists()


@pytest.mark.server
@pytest.mark.parametrize("bulk", [False, True], ids=["transaction", "bulk"])
def test_push_killed_mid_way_resumes_from_its_checkpoint(oxigraph, flagship, tmp_path, bulk):
    """SIGKILL of a real `graphkit push` process: the rerun skips what was acknowledged."""
    import os
    import signal
    import subprocess
    import sys

    graph = f"{GRAPH}/killed-{'bulk' if bulk else 'tx'}"
    state = tmp_path / "push.json"
    command = [
        str(Path(sys.executable).parent / "graphkit"), "push", str(FLAGSHIP),
        "--endpoint", oxigraph.store, "--graph", graph, "--batch-size", "200",
        "--checkpoint", str(state), *(["--bulk"] if bulk else []),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    acknowledged: list[str] = []
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            try:
                acknowledged = json.loads(state.read_text(encoding="utf-8"))["acknowledged"]
            except (FileNotFoundError, ValueError):
                acknowledged = []  # not yet written (each write is atomic: never half a file)
            if len(acknowledged) >= 3:
                os.kill(process.pid, signal.SIGKILL)
                break
            time.sleep(0.005)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the push ended before it could be killed"
    unique = len(to_rdf(flagship))
    assert 0 < oxigraph.count(graph) < unique
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    found = re.search(r"; ([\d,]+) triples acknowledged before", rerun.stderr)
    assert found, rerun.stderr
    skipped = int(found.group(1).replace(",", ""))
    batches = list(ntriples_batches(iter_triples(flagship), 200))
    prefixes = [sum(b.triples for b in batches[:n]) for n in range(len(batches))]
    assert skipped in prefixes  # whole batches, at least those acknowledged before the kill
    assert skipped >= prefixes[len(acknowledged)]
    assert oxigraph.count(graph) == unique
    assert not state.exists()
    assert load_endpoint(oxigraph.query, graph) == flagship
