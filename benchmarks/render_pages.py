"""Render timeline.html and report.html of knowledge bases as ``graphkit build`` does, and time it.

A tool for checking that a change to the page-building code leaves the pages byte for byte the
same and for measuring it (CPU seconds): run it with the code before and after the change (for
example ``PYTHONPATH=/tmp/base python -m benchmarks.render_pages ...``) and compare the folders.

Usage::

    python -m benchmarks.render_pages OUT FILE...    # OUT/<stem>.timeline.html, .report.html
    python -m benchmarks.render_pages --time-only OUT FILE   # CPU seconds only

The report's "generated <date>" line is replaced by a fixed date so that two runs compare equal.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

_GENERATED = re.compile(r"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC")


def render(
    path: Path, out: Path, *, write: bool = True, profile: Path | None = None
) -> dict[str, float]:
    """Write the two pages of ``path`` into ``out``; CPU seconds of each step."""
    import graphkit as gk
    from graphkit.query.escalation import escalation_scan
    from graphkit.render.html import write_html
    from graphkit.render.report import report
    from graphkit.render.timeline import timeline

    kb = gk.load(path)
    kb.graph  # noqa: B018 - built before, as graphkit build does
    scan = escalation_scan(kb)
    steps = scan.steps()
    index = scan.index(freq="week")
    stem = path.name.split(".")[0]
    times: dict[str, float] = {}
    prof = None
    if profile is not None:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t0 = time.process_time()
    figure = timeline(kb, escalation=index)
    times["timeline.figure"] = time.process_time() - t0
    t1 = time.process_time()
    write_html(figure, out / f"{stem}.timeline.html")
    times["timeline.html"] = time.process_time() - t0
    t2 = time.process_time()
    page = report(kb, escalation=index, steps=steps, timeline_figure=figure)
    times["report.html"] = time.process_time() - t2
    times["timeline.write"] = t2 - t1
    if prof is not None:
        prof.disable()
        prof.dump_stats(str(profile))
    if write:
        page = _GENERATED.sub("generated 2000-01-01 00:00 UTC", page)
        (out / f"{stem}.report.html").write_text(page, encoding="utf-8")
    else:
        (out / f"{stem}.timeline.html").unlink()
    return times


def main() -> None:
    """Render every file given; one JSON line of CPU seconds per file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--time-only", action="store_true")
    parser.add_argument("--profile", type=Path, default=None)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    import graphkit

    for path in args.files:
        times = render(path, args.out, write=not args.time_only, profile=args.profile)
        rounded = {k: round(v, 3) for k, v in times.items()}
        print(json.dumps({"file": str(path), "graphkit": graphkit.__file__, **rounded}))


if __name__ == "__main__":
    main()
