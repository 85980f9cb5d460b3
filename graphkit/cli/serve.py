"""``graphkit serve``: live preview of a knowledge base (see :mod:`graphkit.serve`)."""

from __future__ import annotations

import webbrowser
from typing import Annotated

import typer

from graphkit.cli._app import Files, app, err


@app.command()
def serve(
    files: Files,
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port to listen on (0: any free port).")
    ] = 8000,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on (default 127.0.0.1: this machine only; another address "
            "lets other machines read the knowledge base).",
        ),
    ] = "127.0.0.1",
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the preview in the default browser.")
    ] = False,
) -> None:
    """Preview a knowledge base in the browser; pages update when the files are saved.

    Serves the report, timeline, network and map at http://127.0.0.1:PORT/ and redraws the open
    pages when a file is saved, keeping the reader's zoom, filters and scroll position. A save
    that breaks the files shows the located errors (file:line:col, message, hint and the lines
    around) over the last good version, and prints them here. Folders are watched with their
    subfolders; a reload parses again only the files that changed. The server answers only
    requests addressed to the host it listens on (DNS rebinding is refused) and serves only
    its own pages; --host exposes it to other machines, with a warning. Needs the serve extra
    (watchfiles; without it the command prints the pip command that installs it). Ctrl-C or
    SIGTERM stops it: exit 0.
    """
    from graphkit.serve import LiveServer

    try:
        server = LiveServer(files, host=host, port=port, report=err)
    except KeyboardInterrupt:  # Ctrl-C while the files are first read
        err("stopped")
        return
    if server.exposed:
        err(
            f"warning: listening on {server.host}, not only on this machine: anyone who can "
            "reach this address can read the knowledge base"
        )
    err(f"serving {', '.join(str(f) for f in files)} at {server.url} (Ctrl-C to stop)")
    if open_browser:
        webbrowser.open(server.url)
    server.serve_until_signalled()
    err("stopped")
