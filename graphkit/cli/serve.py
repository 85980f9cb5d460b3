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

    Serves the report, timeline, network and map; a save that breaks the files shows the
    located errors over the last good version (and here). Ctrl-C stops the server (exit 0).
    """
    from graphkit.serve import LiveServer

    server = LiveServer(files, host=host, port=port, report=err)
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
