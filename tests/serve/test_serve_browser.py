"""``graphkit serve`` end to end in headless Chromium: pages update when the file is saved.

Each test runs the server as a process on a free port (stopped with SIGINT by its PID), opens
the preview with every request that is not to that server aborted, edits the file on disk and
waits for the page to show the pushed revision (the server's event, no sleep, no reload).
A page is updated in place (its frame keeps its document: a mark set on its window survives)
unless its shape changed (another set of figures): then it is loaded anew.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from serve_support import KB, WAIT, Served, Shell, event_yaml, statement_yaml

pytestmark = [pytest.mark.browser, pytest.mark.server]

OpenShell = Callable[..., Shell]

EVENT_IDS = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    const ids = [];
    for (const trace of gd.data) {
        for (const text of (trace.hovertext || [])) {
            const found = /<i>([^<]+)<\\/i>/.exec(String(text));
            if (found) { ids.push(found[1]); }
        }
    }
    return ids;
}"""

OVERLAY_BOX = """() => {
    const panel = document.querySelector('#gk-overlay .gk-panel').getBoundingClientRect();
    const bar = document.querySelector('.gk-bar').getBoundingClientRect();
    return {panelTop: panel.top, panelLeft: panel.left, panelRight: panel.right,
            barBottom: bar.bottom, width: window.innerWidth,
            scrollWidth: document.documentElement.scrollWidth};
}"""


def save(path: Path, text: str) -> None:
    """Save as an editor does (the watcher sees the change)."""
    path.write_text(text, encoding="utf-8")


def test_saved_event_appears_without_reload_in_every_tab(
    served: Served, open_shell: OpenShell
) -> None:
    shell = open_shell(served, "timeline")
    other = open_shell(served, "network")  # a second tab, on another page
    assert sorted(set(shell.frame().evaluate(EVENT_IDS))) == ["deploy", "talk", "war"]
    for tab in (shell, other):
        tab.page.evaluate("() => { window.__sameDocument = true; }")
        tab.mark_frame()
    before = {id(tab): tab.counters() for tab in (shell, other)}

    save(served.file, KB + event_yaml("strike", "Ukraine strikes a depot."))
    shell.wait_revision(2, "first tab, after adding the event 'strike'")
    other.wait_revision(2, "second tab, after adding the event 'strike'")

    assert "strike" in shell.frame().evaluate(EVENT_IDS)
    assert other.page.evaluate("() => window.graphkitShell.page") == "network"
    for tab in (shell, other):
        assert tab.page.evaluate("() => window.__sameDocument") is True, "the tab was reloaded"
        # updated in place: the same frame and document (plotly.js not loaded again)
        assert tab.same_frame_document(), "the page was loaded anew, not updated in place"
        counters = tab.counters()
        assert counters["swaps"] == before[id(tab)]["swaps"]
        assert counters["updates"] == before[id(tab)]["updates"] + 1
        assert tab.errors == [] and tab.blocked == []
    assert "events" in (shell.page.text_content("#gk-status") or "")
    served.wait_for_line(r"reloaded in \d+ ms: 3 events")


def test_error_overlay_shows_where_and_goes_when_fixed(
    served: Served, open_shell: OpenShell, browser: Any
) -> None:
    shell = open_shell(served, "report")
    phone = open_shell(served, "report", width=390, height=844)
    for view, size in ((shell, "1400x900"), (phone, "390x844")):
        view.screenshot(f"serve-report-{size}.png")

    broken = KB.replace("actor: RUS\n    summary", "actor: RUSS\n    summary")
    save(served.file, broken)
    for view in (shell, phone):
        view.page.wait_for_selector("#gk-overlay:not([hidden])", timeout=WAIT * 1000)
    line = 1 + broken.splitlines().index("    actor: RUSS")
    text = shell.page.text_content("#gk-overlay") or ""
    assert f"crisis.yaml:{line}:12" in text
    assert "unknown actor 'RUSS'" in text and "did you mean 'RUS'?" in text
    assert "actor: RUSS" in (shell.page.text_content("#gk-overlay .gk-at") or "")
    # the terminal prints the same error
    served.wait_for_line(rf"crisis\.yaml:{line}:12: .*unknown actor 'RUSS'")
    # the last good version stays behind the overlay
    assert shell.revision() == 1
    assert sorted(set(shell.frame().evaluate(EVENT_IDS))) == ["deploy", "talk", "war"]
    for view, size in ((shell, "1400x900"), (phone, "390x844")):
        box = view.page.evaluate(OVERLAY_BOX)
        assert box["panelTop"] >= box["barBottom"], "the overlay covers the navigation bar"
        assert box["panelLeft"] >= 0 and box["panelRight"] <= box["width"]
        assert box["scrollWidth"] <= box["width"], "the page scrolls sideways"
        view.screenshot(f"serve-overlay-{size}.png")

    # Hide keeps a way back; a fix removes the overlay and shows the new version
    shell.page.click("#gk-hide")
    assert shell.page.is_hidden("#gk-overlay")
    assert "1 error" in (shell.page.text_content("#gk-show-errors") or "")
    for view in (shell, phone):
        view.mark_frame()
    save(served.file, KB + statement_yaml("denial", "Russia denies again."))
    for view in (shell, phone):
        view.wait_revision(2, "after fixing the error")
        view.page.wait_for_selector("#gk-overlay", state="hidden", timeout=WAIT * 1000)
        assert view.page.is_hidden("#gk-show-errors")
        assert view.same_frame_document(), "the fixed version was loaded anew, not in place"
        assert "denial" in view.frame().evaluate(EVENT_IDS)
        assert view.errors == [] and view.blocked == []
    # and the overlay comes back over the updated page at the next error
    save(served.file, broken)
    shell.page.wait_for_selector("#gk-overlay:not([hidden])", timeout=WAIT * 1000)
    assert shell.revision() == 2 and shell.same_frame_document()


#: Pick "statements only" with the page's own type filter: graphkit's page script when the page
#: has it (window.graphkit), else the plotly dropdown; return how to read the filter back.
PICK_STATEMENTS = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    if (window.graphkit && window.graphkit.views && window.graphkit.views[gd.id]) {
        window.graphkit.restore(gd.id, {type: 'statement'});
        return 'page-script';
    }
    return 'dropdown';
}"""

READ_VIEW = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    let filter;
    if (window.graphkit && window.graphkit.views && window.graphkit.views[gd.id]) {
        filter = window.graphkit.state(gd.id).type;
    } else {
        const menu = gd.layout.updatemenus[1];
        filter = menu.buttons[menu.active].label;
    }
    return {range: gd.layout.xaxis.range.map(String), filter: filter};
}"""


def test_zoom_and_filter_survive_an_update(served: Served, open_shell: OpenShell) -> None:
    shell = open_shell(served, "timeline")
    frame = shell.frame()
    # zoom as the reader does (a box zoom is a relayout), then keep statements only
    frame.evaluate(
        "() => Plotly.relayout(document.querySelector('.js-plotly-plot'),"
        " {'xaxis.range[0]': '2024-09-15', 'xaxis.range[1]': '2024-12-01'})"
    )
    mode = frame.evaluate(PICK_STATEMENTS)
    if mode == "dropdown":
        frame.click(".updatemenu-header-group >> nth=1")
        frame.click(".updatemenu-dropdown-button >> text=type: Statement")
        frame.wait_for_function(
            "() => document.querySelector('.js-plotly-plot').layout.updatemenus[1].active > 0"
        )
    before = frame.evaluate(READ_VIEW)
    assert before["filter"] in ("statement", "type: Statement")

    shell.save_in_place(served.file, KB + event_yaml("strike", "A strike."), 2, "an event")
    after = shell.frame().evaluate(READ_VIEW)
    assert after["filter"] == before["filter"]
    # the zoom is kept exactly (not widened by a day at each update)
    assert after["range"] == before["range"]
    shown = shell.frame().evaluate(
        """() => [...new Set(document.querySelector('.js-plotly-plot')._fullData
                 .filter(t => t.visible === true && t.meta && t.meta.type && t.x && t.x.length)
                 .map(t => t.meta.type))]"""
    )
    if mode == "dropdown":  # the dropdown hides the other types' traces
        assert "attack" not in shown, "the new attack shows although only statements are kept"
    # and again: the view does not drift from update to update
    both = KB + event_yaml("strike", "A strike.") + event_yaml("raid", "A raid.")
    shell.save_in_place(served.file, both, 3, "another event")
    assert shell.frame().evaluate(READ_VIEW) == before
    assert shell.errors == []


SUMMARY_EVENTS = """() => {
    const row = [...document.querySelectorAll('.graphkit-kb tr')]
        .find(r => r.querySelector('th').textContent === 'events');
    return row.querySelector('td').textContent;
}"""


def test_report_updates_in_place_keeping_the_selected_actor(
    served: Served, open_shell: OpenShell
) -> None:
    shell = open_shell(served, "report")
    frame = shell.frame()
    assert frame.evaluate(SUMMARY_EVENTS) == "2"
    # select an actor as a click in the network does: the timeline shows what involves RUS
    frame.evaluate("() => window.graphkit.filterActor('gk-timeline', 'RUS')")
    assert frame.evaluate("() => window.graphkit.state('gk-timeline').actor") == "RUS"
    shell.save_in_place(served.file, KB + statement_yaml("denial", "Denial."), 2, "a statement")
    frame = shell.frame()
    # the summary table and the figures show the new version, in the same document
    assert frame.evaluate(SUMMARY_EVENTS) == "3"
    assert "denial" in frame.evaluate(EVENT_IDS)
    # the reader's selection is kept, and the rebuilt controls and links still work
    assert frame.evaluate("() => window.graphkit.state('gk-timeline').actor") == "RUS"
    assert "Showing what involves Russia" in (frame.text_content("#gk-timeline-message") or "")
    assert frame.locator("#gk-timeline-controls select.gk-type").count() == 1
    frame.click("#gk-timeline-message button")  # "Show all"
    frame.wait_for_function("() => window.graphkit.state('gk-timeline').actor === null")
    assert shell.errors == [] and shell.blocked == []


COUNT_DRAWS = """() => {
    window.__draws = {};
    document.querySelectorAll('.js-plotly-plot').forEach(gd => {
        window.__draws[gd.id] = 0;
        gd.on('plotly_afterplot', () => { window.__draws[gd.id] += 1; });
    });
}"""


def test_figures_a_save_did_not_change_are_not_redrawn(
    served: Served, open_shell: OpenShell
) -> None:
    shell = open_shell(served, "report")
    frame = shell.frame()
    frame.evaluate(COUNT_DRAWS)
    shell.save_in_place(served.file, KB + "# a new revision, the same figures\n", 2, "a comment")
    assert frame.evaluate("() => window.__draws") == {
        "gk-timeline": 0,
        "gk-network": 0,
        "gk-map": 0,
    }
    # a real change redraws (with Plotly.react, in place) what it changes
    shell.save_in_place(served.file, KB + statement_yaml("denial", "Denial."), 3, "a statement")
    assert frame.evaluate("() => window.__draws['gk-timeline']") > 0
    assert shell.errors == [] and shell.blocked == []


#: What a reader sees of each figure: its traces' data, hovers and visibility, and the page's
#: text (tables, headings, controls, the labels left after decluttering).
SNAPSHOT = """() => {
    const shown = v => v === undefined ? true : v;
    const figures = {};
    document.querySelectorAll('.js-plotly-plot').forEach(gd => {
        figures[gd.id] = {
            data: gd.data.map(t => JSON.stringify({
                type: t.type, name: t.name, x: t.x, y: t.y, base: t.base, text: t.text,
                hovertext: t.hovertext, ids: t.ids, customdata: t.customdata, lat: t.lat,
                lon: t.lon, visible: shown(t.visible), selectedpoints: t.selectedpoints,
                marker: t.marker, meta: t.meta})),
            xrange: gd.layout.xaxis ? gd.layout.xaxis.range.map(String) : null,
            meta: JSON.stringify(gd.layout.meta || null),
            shown: gd._fullData.map(t => t.visible),
        };
    });
    return {figures: figures, text: document.body.innerText, title: document.title};
}"""


@pytest.mark.parametrize(("page_name", "filtered"), [("timeline", False), ("report", True)])
def test_an_updated_page_shows_what_a_fresh_one_shows(
    served: Served, open_shell: OpenShell, page_name: str, filtered: bool
) -> None:
    shell = open_shell(served, page_name)
    if filtered:  # the reader keeps statements only: the update draws them so at once
        assert shell.frame().evaluate(PICK_STATEMENTS) == "page-script"
    shell.frame().evaluate(COUNT_DRAWS)
    shell.save_in_place(served.file, KB + statement_yaml("denial", "Denial."), 2, "a statement")
    # one draw for the figure the save changed (Plotly.react), not a second one to restore
    # the reader's view over it
    draws = shell.frame().evaluate("() => window.__draws")
    figure = "graphkit-figure" if page_name == "timeline" else "gk-timeline"
    assert draws[figure] == 1, draws
    updated = shell.frame().evaluate(SNAPSHOT)

    fresh = open_shell(served, page_name)
    if filtered:
        assert fresh.frame().evaluate(PICK_STATEMENTS) == "page-script"
        fresh.frame().wait_for_function(
            "() => window.graphkit.state('gk-timeline').type === 'statement'"
        )
    assert fresh.revision() == 2
    opened = fresh.frame().evaluate(SNAPSHOT)
    assert "denial" in str(opened["figures"])
    assert updated == opened
    assert shell.errors == [] and fresh.errors == []


def test_a_page_whose_figures_change_is_loaded_anew(served: Served, open_shell: OpenShell) -> None:
    shell = open_shell(served, "report")
    assert shell.frame().locator("#gk-map").count() == 1
    shell.mark_frame()
    before = shell.counters()
    # without coordinates the report has no map: another set of figures
    save(served.file, KB.replace("    location: {name: Vladivostok, lat: 43.1, lon: 131.9}\n", ""))
    shell.wait_revision(2, "after removing the only coordinates")
    assert not shell.same_frame_document(), "a page with other figures was patched in place"
    assert shell.frame().locator("#gk-map").count() == 0
    assert shell.counters()["swaps"] == before["swaps"] + 1
    assert shell.errors == [] and shell.blocked == []


def test_a_page_opened_alone_updates_in_place(served: Served, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{served.url}view/timeline")
        page.wait_for_function("() => window.graphkitLive && window.graphkitLive.ready")
        page.evaluate("() => { window.__sameDocument = true; }")
        save(served.file, KB + event_yaml("strike", "Ukraine strikes a depot."))
        page.wait_for_function(
            "() => window.graphkitLive.revision >= 2", timeout=WAIT * 1000, polling=50
        )
        assert page.evaluate("() => window.__sameDocument") is True
        assert "strike" in page.evaluate(EVENT_IDS)
        assert errors == []
    finally:
        page.close()


def test_error_text_from_the_file_renders_literally(served: Served, open_shell: OpenShell) -> None:
    shell = open_shell(served, "timeline")
    hostile = "<img src=x onerror=window.__pwned=1>"
    save(served.file, KB.replace("type: statement", f'type: "{hostile}"'))
    shell.page.wait_for_selector("#gk-overlay:not([hidden])", timeout=WAIT * 1000)
    assert hostile in (shell.page.text_content("#gk-errors") or "")
    assert shell.page.evaluate("() => document.querySelectorAll('#gk-overlay img').length") == 0
    assert shell.page.evaluate("() => window.__pwned") is None
    assert shell.frame().evaluate("() => window.__pwned") is None


def test_ctrl_c_with_a_page_open_stops_cleanly(served: Served, open_shell: OpenShell) -> None:

    shell = open_shell(served, "map")
    assert shell.page.evaluate("() => window.graphkitShell.page") == "map"
    code, stderr = served.stop()
    assert code == 0, stderr
    assert "Traceback" not in stderr and stderr.rstrip().endswith("stopped")
    with socket.socket() as again:  # nothing listens on the port any more: a server can bind it
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", served.port))
        again.listen()
    shell.page.wait_for_selector("#gk-status.gk-down", timeout=WAIT * 1000)
