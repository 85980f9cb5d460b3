"""The preview state, the warm reload and the HTTP server of ``graphkit serve`` (no browser)."""

from __future__ import annotations

import gc
import http.client
import json
import os
import re
import socket
import sys
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import KB, event_yaml

from graphkit.cli import main
from graphkit.io.loader import FileCache, read_files
from graphkit.kb import KnowledgeBase
from graphkit.model.event import Event
from graphkit.render._describe import Describer
from graphkit.render.timeline import builder as timeline_builder
from graphkit.serve import LiveServer, Preview
from graphkit.serve.server import host_checker, is_loopback
from graphkit.serve.watch import distribution_name, wait_written

ACTORS = "format_version: 1\nactors:\n  - {id: A, name: Arcadia, kind: state}\n"


def events_file(n: int, start: int) -> str:
    rows = "".join(
        f"  - {{id: e{i}, type: statement, date: 2024-10-{1 + i % 28:02d}, actor: A}}\n"
        for i in range(start, start + n)
    )
    return f"format_version: 1\nevents:\n{rows}"


def test_warm_reload_parses_only_the_changed_file(tmp_path: Path) -> None:
    (tmp_path / "actors.yaml").write_text(ACTORS)
    for part in range(3):
        (tmp_path / f"events-{part}.yaml").write_text(events_file(5, part * 5))
    preview = Preview([tmp_path])
    first = preview.reload()
    assert first.ok and len(first.parsed) == 4 and first.reused == ()

    (tmp_path / "events-1.yaml").write_text(events_file(6, 100))
    second = preview.reload()
    assert [Path(p).name for p in second.parsed] == ["events-1.yaml"]
    assert sorted(Path(p).name for p in second.reused) == [
        "actors.yaml",
        "events-0.yaml",
        "events-2.yaml",
    ]
    assert second.kb is not None and len(second.kb.events) == 16
    assert preview.revision == 2

    # a reference broken in one file is still found when only another file changed
    (tmp_path / "actors.yaml").write_text(ACTORS.replace("id: A,", "id: B,"))
    third = preview.reload()
    assert not third.ok and preview.revision == 2
    assert {d.code for d in third.errors} == {"unknown-reference"}
    assert [Path(p).name for p in third.parsed] == ["actors.yaml"]


def test_file_cache_gives_the_same_knowledge_base_as_a_cold_read(tmp_path: Path) -> None:
    (tmp_path / "actors.yaml").write_text(ACTORS)
    (tmp_path / "events.yaml").write_text(events_file(4, 0))
    cache = FileCache()
    read_files([tmp_path], cache=cache)
    (tmp_path / "events.yaml").write_text(events_file(3, 10))
    (tmp_path / "more.yaml").write_text(events_file(2, 20))
    warm = read_files([tmp_path], cache=cache)
    cold = read_files([tmp_path])
    assert warm.document.same_facts(cold.document)
    assert dict(warm.origins) == dict(cold.origins)
    (tmp_path / "more.yaml").unlink()
    assert [e.id for e in read_files([tmp_path], cache=cache).document.events] == [
        "e10",
        "e11",
        "e12",
    ]


def test_errors_keep_the_last_good_revision_with_located_excerpts(tmp_path: Path) -> None:
    path = tmp_path / "crisis.yaml"
    path.write_text(KB)
    preview = Preview([path])
    assert preview.reload().ok
    good = preview.kb
    broken = KB.replace("actor: RUS\n    summary", "actor: RUSS\n    summary")
    path.write_text(broken)
    outcome = preview.reload()
    assert not outcome.ok and preview.kb is good and preview.revision == 1
    state = preview.state()
    assert state["ok"] is False and state["error_count"] == 1 and state["revision"] == 1
    (error,) = state["errors"]
    line = 1 + broken.splitlines().index("    actor: RUSS")
    assert error["location"] == f"{path}:{line}:12"
    assert error["hint"] == "did you mean 'RUS'?"
    assert {"line": line, "text": "    actor: RUSS"} in error["excerpt"]
    assert [row["line"] for row in error["excerpt"]] == list(range(line - 2, line + 3))


def test_served_pages_load_plotly_once_from_the_server(tmp_path: Path) -> None:
    path = tmp_path / "crisis.yaml"
    path.write_text(KB)
    preview = Preview([path])
    preview.reload()
    assert preview.plotly_script() is None
    for name in ("timeline", "report", "network", "map"):
        built = preview.page(name)
        assert built is not None
        revision, html = built
        text = html.decode("utf-8")
        assert revision == 1 and "* plotly.js v" not in text and "cdn.plot.ly" not in text, name
        assert text.count('<script src="/_gk/plotly-') == 1, name
        assert text.index("/_gk/plotly-") < text.index("/_gk/live.js") < text.index("newPlot")
    script = preview.plotly_script()
    assert script is not None and b"* plotly.js v" in script[1][:200]
    assert preview.page("timeline") == preview.page("timeline")  # built once per revision
    with pytest.raises(KeyError):
        preview.page("../../etc/passwd")


def test_pages_open_in_the_last_revision_are_built_before_they_are_asked_for(
    tmp_path: Path,
) -> None:
    path = tmp_path / "crisis.yaml"
    path.write_text(KB)
    preview = Preview([path], prebuild=True)
    preview.reload()
    assert preview.builder is None  # nobody asked for a page yet: nothing built ahead
    assert preview.page("timeline") is not None
    assert preview.page("network") is not None

    path.write_text(KB + event_yaml("e-ahead", "Built ahead of the request"))
    assert preview.reload().ok and preview.builder is not None
    preview.builder.join(120)
    pages = preview._pages
    assert pages is not None and pages.revision == 2
    assert sorted(pages.built) == ["network", "timeline"]  # the map and report: on request
    assert pages.requested == {}  # built ahead, not yet asked for
    revision, html = preview.page("timeline") or (0, b"")
    assert revision == 2 and b"Built ahead of the request" in html
    timeline_built_at = pages.built_at["timeline"]

    # the next revision builds ahead only what readers asked for in this one
    path.write_text(KB)
    assert preview.reload().ok and preview.builder is not None
    preview.builder.join(120)
    assert preview._pages is not None and sorted(preview._pages.built) == ["timeline"]
    assert preview._pages.built_at["timeline"] >= timeline_built_at
    assert b"Built ahead of the request" not in preview._pages.built["timeline"]

    # a failed reload builds nothing and keeps the last good pages
    path.write_text(KB.replace("kind: state", "kind: stat", 1))
    preview.builder = None
    assert not preview.reload().ok and preview.builder is None
    assert preview.page("timeline") == (3, preview._pages.built["timeline"])


def test_twenty_reloads_keep_no_old_revision_alive(tmp_path: Path) -> None:
    """Memory across reloads is bounded: each revision (knowledge base, pages, figures) is freed
    once a newer one replaces it, whether its pages were built on request or ahead of it."""
    path = tmp_path / "crisis.yaml"
    path.write_text(KB)
    preview = Preview([path], prebuild=True)
    revisions: list[weakref.ref[KnowledgeBase]] = []
    for number in range(20):
        path.write_text(KB + event_yaml(f"e-{number}", f"Reload {number}"))
        outcome = preview.reload()
        assert outcome.ok and outcome.kb is not None
        revisions.append(weakref.ref(outcome.kb))
        del outcome
        if preview.builder is not None:
            preview.builder.join(120)
        if number % 4 == 0:  # asked for: built now, and ahead of the request at the next reload
            assert preview.page("timeline") is not None
    gc.collect()
    alive = [number for number, ref in enumerate(revisions) if ref() is not None]
    assert alive == [19]  # only the revision shown


def test_host_header_check() -> None:
    loopback = host_checker("127.0.0.1", 8000)
    assert [loopback(h) for h in ("127.0.0.1:8000", "LOCALHOST:8000", "[::1]:8000")] == [True] * 3
    for header in (
        "attacker.example:8000",
        "127.0.0.1",
        "127.0.0.1:80",
        "",
        "127.0.0.1.nip.io:8000",
    ):
        assert not loopback(header), header
    named = host_checker("192.0.2.7", 9000)
    assert named("192.0.2.7:9000") and not named("localhost:9000")
    anywhere = host_checker("0.0.0.0", 9000)
    assert anywhere("192.0.2.7:9000") and anywhere(f"{socket.gethostname()}:9000")
    assert not anywhere("attacker.example:9000")
    assert is_loopback("127.0.0.2") and is_loopback("::1") and not is_loopback("0.0.0.0")


# ------------------------------------------------------------------ the server in this process


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    path = tmp_path / "crisis.yaml"
    path.write_text(KB)
    server = LiveServer([path], port=0)
    server.start()
    yield server
    server.stop()


def request(
    server: LiveServer, path: str, *, method: str = "GET", host: str | None = None
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", host if host is not None else f"127.0.0.1:{server.port}")
    connection.endheaders()
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.mark.server
def test_only_its_own_pages_for_its_own_host(live: LiveServer) -> None:
    shell = request(live, "/")
    assert shell.status == 200
    assert "script-src 'self'" in (shell.getheader("Content-Security-Policy") or "")
    assert shell.getheader("X-Content-Type-Options") == "nosniff"
    view = request(live, "/view/timeline")
    assert view.status == 200 and view.getheader("X-Graphkit-Revision") == "1"
    assert "connect-src 'self'" in (view.getheader("Content-Security-Policy") or "")
    assert request(live, "/", host="attacker.example").status == 403
    assert request(live, "/view/timeline", host=f"rebind.example:{live.port}").status == 403
    for path in (
        "/../pyproject.toml",
        "/view/../../etc/passwd",
        "/view/%2e%2e/crisis.yaml",
        "/crisis.yaml",
        "/_gk/../server.py",
        "/_gk/plotly-0000000000000000.js",
        "/_gk/shell.html",
        "//etc/passwd",
        "/view/",
    ):
        assert request(live, path).status == 404, path
    assert request(live, "/", method="POST").status == 405
    assert request(live, "/", method="PUT").status == 405
    plotly = live.preview.plotly_script()
    assert plotly is not None
    cached = request(live, f"/_gk/plotly-{plotly[0]}.js")
    assert cached.status == 200 and "immutable" in (cached.getheader("Cache-Control") or "")


@pytest.mark.server
def test_a_page_not_built_yet_streams_plotly_before_its_figures(
    live: LiveServer, tmp_path: Path
) -> None:
    live.watcher.stop()  # this test reloads by itself: no second revision in between
    assert request(live, "/view/timeline").status == 200  # the first build: whole
    (tmp_path / "crisis.yaml").write_text(KB + event_yaml("e-streamed", "Streamed in"))
    assert live.preview.reload().ok

    def get(path: str) -> tuple[http.client.HTTPResponse, str]:
        connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=60)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8")
        connection.close()
        return response, body

    streamed, body = get("/view/network")  # not asked for before: not built ahead
    revision = streamed.getheader("X-Graphkit-Revision")
    assert streamed.status == 200 and streamed.getheader("Transfer-Encoding") == "chunked"
    assert body.startswith("<!DOCTYPE html>") and body.count("/_gk/plotly-") == 1
    assert body.index("/_gk/plotly-") < body.index("/_gk/live.js") < body.index("newPlot")
    assert f'data-revision="{revision}"' in body and body.count("/_gk/live.js") == 1
    again, whole = get("/view/network")  # built now: whole, with its length
    assert again.getheader("Content-Length") == str(len(whole.encode("utf-8")))
    assert again.getheader("Transfer-Encoding") is None and "/_gk/plotly-" in whole


def read_event(stream: http.client.HTTPResponse) -> dict[str, object]:
    """The next 'state' event of a server-sent event stream."""
    data = None
    while True:
        line = stream.readline().decode("utf-8")
        if line == "":
            raise AssertionError("the event stream ended")
        if line.startswith("data: "):
            data = json.loads(line[len("data: ") :])
        elif line == "\n" and data is not None:
            return data


@pytest.mark.server
def test_event_stream_pushes_each_reload(live: LiveServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=30)
    connection.request("GET", "/_gk/events")
    stream = connection.getresponse()
    assert stream.getheader("Content-Type", "").startswith("text/event-stream")
    first = read_event(stream)
    assert first["revision"] == 1 and first["ok"] is True
    path = live.preview.paths[0]
    # saved as vim and many editors do: a new file renamed over the old one
    (path.parent / ".crisis.yaml.swp").write_text(KB + event_yaml("strike", "Ukraine strikes."))
    os.replace(path.parent / ".crisis.yaml.swp", path)
    second = read_event(stream)  # the watcher saw the save: no sleep
    assert second["revision"] == 2 and second["counts"] == {  # type: ignore[comparison-overlap]
        "events": 3,
        "relations": 1,
        "actors": 3,
        "sources": 1,
    }
    path.write_text("format_version: 1\nactors: [{id: A, name: <x>, kind: nope}]\n")
    third = read_event(stream)
    assert third["revision"] == 2 and third["ok"] is False and third["error_count"] == 1
    connection.close()


@pytest.mark.server
def test_stop_closes_streams_and_releases_the_port(tmp_path: Path) -> None:
    path = tmp_path / "crisis.yaml"
    path.write_text(KB)
    server = LiveServer([path], port=0)
    server.start()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/_gk/events")
    stream = connection.getresponse()
    read_event(stream)
    server.stop()
    assert stream.read() in (b"", b": keep-alive\n\n")  # the stream ends instead of hanging
    connection.close()
    again = LiveServer([path], port=server.port)  # the same port binds again
    again.stop()


def test_cli_says_what_to_install_without_watchfiles(
    kb_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "watchfiles", None)
    assert main(["serve", str(kb_file), "--port", "0"]) == 1
    message = capsys.readouterr().err
    assert f"pip install '{distribution_name()}[serve]'" in message
    assert "Traceback" not in message


def test_cli_errors_before_listening(
    kb_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", str(tmp_path / "missing.yaml"), "--port", "0"]) == 1
    assert "no such file" in capsys.readouterr().err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", str(kb_file), "--port", str(port)]) == 1
    message = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in message and "--port 0" in message


def test_serve_benchmark_measures_the_warm_reload(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks.serve_bench import main as bench

    assert bench(["--sizes", "60", "--repeat", "1", "--no-browser"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["events"], r["layout"]) for r in rows] == [(60, "file"), (60, "folder")]
    assert rows[0]["files_parsed"] == 1 and rows[1]["files_parsed"] == 1
    assert all(r["warm_reload_s"] > 0 and r["cold_load_s"] > 0 for r in rows)


def test_cli_warns_when_exposed(
    kb_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import graphkit.serve

    calls: list[tuple[str, int]] = []

    class Exposed:  # stands for a server bound to another machine's address (no socket here)
        def __init__(self, files: list[Path], *, host: str, port: int, report: object) -> None:
            calls.append((host, port))
            self.host, self.url, self.exposed = (
                host,
                f"http://{host}:{port}/",
                not is_loopback(host),
            )

        def serve_until_signalled(self) -> None:
            return None

    monkeypatch.setattr(graphkit.serve, "LiveServer", Exposed)
    assert main(["serve", str(kb_file), "--host", "192.0.2.1", "--port", "9001"]) == 0
    assert calls == [("192.0.2.1", 9001)]
    message = capsys.readouterr().err
    assert "warning: listening on 192.0.2.1" in message and "read the knowledge base" in message
    assert main(["serve", str(kb_file), "--port", "9001"]) == 0
    assert calls[-1] == ("127.0.0.1", 9001) and "warning" not in capsys.readouterr().err


def test_a_reload_waits_for_a_file_truncated_then_written(tmp_path: Path) -> None:
    # an editor saving in place: the watcher may report the truncation before the write
    path = tmp_path / "kb.yaml"
    path.write_text("")
    writer = threading.Timer(0.1, path.write_text, args=("format_version: 1\n",))
    writer.start()
    try:
        waited = wait_written([str(path)], timeout=5)
    finally:
        writer.join()
    assert 0.05 <= waited < 5
    assert path.read_text() == "format_version: 1\n"
    # a file emptied on purpose is read after the timeout; a written one at once
    path.write_text("")
    assert wait_written([str(path)], timeout=0.05) >= 0.05
    path.write_text("format_version: 1\n")
    assert wait_written([str(path), str(tmp_path / "gone.yaml")], timeout=5) == 0.0


def test_pages_after_reloads_equal_pages_built_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hovers reused from the previous revision (unchanged events) never show stale text: after
    an edited event, a renamed actor and a retitled source, each served page is the page a fresh
    server builds for the same file (the revision number aside). Only the edited event's hover
    is written again when nothing else changed."""
    # the class the timeline uses (doctest collection may import the module a second time)
    describer = timeline_builder.Describer
    written: list[str] = []
    write = describer._event_hover

    def counted(self: Describer, event: Event, *, brief: bool = False) -> str:
        written.append(event.id)
        return write(self, event, brief=brief)

    monkeypatch.setattr(describer, "_event_hover", counted)
    path = tmp_path / "crisis.yaml"
    path.write_text(KB + event_yaml("e-1", "First raid"))
    preview = Preview([path])
    assert preview.reload().ok
    first = preview.page("timeline")
    assert first is not None and "First raid" in first[1].decode("utf-8")
    renamed = KB.replace("name: Russia", "name: Russian Federation")
    edits = [
        (KB + event_yaml("e-1", "Second raid"), ["e-1"]),  # the others' hovers are reused
        (renamed + event_yaml("e-1", "Second raid"), None),  # an actor's name: all written
        (renamed.replace("NIS briefing", "NIS report") + event_yaml("e-1", "Raid"), None),
    ]
    for text, rewritten in edits:
        path.write_text(text)
        written.clear()
        assert preview.reload().ok
        served = preview.page("timeline")
        assert served is not None
        if rewritten is not None:
            assert written == rewritten
        else:
            assert len(written) == len(preview.kb.events)  # type: ignore[union-attr]
        fresh_preview = Preview([path])
        assert fresh_preview.reload().ok
        fresh = fresh_preview.page("timeline")
        assert served is not None and fresh is not None
        strip = re.compile(rb"(revision|data-revision)[=:\"' ]+\d+")
        assert strip.sub(b"", served[1]) == strip.sub(b"", fresh[1])
    page = served[1].decode("utf-8")
    assert "NIS report" in page and "Russian Federation" in page and "Second raid" not in page
