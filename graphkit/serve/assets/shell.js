/* graphkit serve: the preview shell.
 *
 * Listens to the server's event stream (/_gk/events). A new revision of the page that is shown
 * is fetched and handed to the shown frame, which updates in place (live.js's update():
 * Plotly.react on the drawn figures, the other HTML patched, the reader's state kept; plotly.js
 * is not loaded again). When the page cannot be updated in place (another set of figures,
 * another page, an error page, anything failing), the page is loaded in a new frame underneath
 * the shown one; when that frame says it is drawn (live.js posts {graphkit: 'ready'}), it
 * replaces the old one, so the reader never sees a blank page. Before loading, the shown
 * frame's state (zoom, filters, scroll: live.js's save()) goes to sessionStorage, where the new
 * frame picks it up as it draws.
 *
 * Errors are shown in an overlay over the last good view, built with DOM text nodes only
 * (textContent): messages and file excerpts come from data files and are never parsed as HTML.
 */
(function () {
  'use strict';

  var PAGES = ['report', 'timeline', 'network', 'map'];
  var stage = document.getElementById('gk-stage');
  var empty = document.getElementById('gk-empty');
  var statusEl = document.getElementById('gk-status');
  var overlay = document.getElementById('gk-overlay');
  var overlayTitle = document.getElementById('gk-overlay-title');
  var overlayNote = document.getElementById('gk-overlay-note');
  var errorList = document.getElementById('gk-errors');
  var pill = document.getElementById('gk-show-errors');
  var hideButton = document.getElementById('gk-hide');

  var current = null;   // the shown frame
  var loading = null;   // the frame being drawn underneath
  var updating = false; // the shown frame is updating in place
  var state = null;     // the server's latest state
  var session = null;
  var connected = false;
  var errorsKey = '';   // which errors the overlay shows (to re-open it when they change)
  var hiddenByReader = false;

  var shell = window.graphkitShell = {
    revision: 0,          // revision of the shown frame
    page: null,           // name of the shown page
    shownAt: null,        // epoch milliseconds when the shown frame replaced the previous one
    swaps: 0,             // frames loaded and swapped in (first page, fallbacks, navigation)
    updates: 0,           // revisions shown by updating the shown frame in place
    timings: {},          // epoch milliseconds of the latest update: state, load, ready
    state: function () { return state; }
  };

  function pageName() {
    var name = location.hash.replace(/^#/, '');
    return PAGES.indexOf(name) >= 0 ? name : 'report';
  }

  function storageKey(page) { return 'graphkit-serve:' + page; }

  function frameState(frame) {
    try {
      var api = frame && frame.contentWindow && frame.contentWindow.graphkitLive;
      return api && typeof api.save === 'function' ? api.save() : null;
    } catch (e) {
      return null;
    }
  }

  function keepState(frame) {
    var saved = frameState(frame);
    if (saved === null) { return null; }
    var text = JSON.stringify(saved);
    try { sessionStorage.setItem(storageKey(frame.dataset.page), text); } catch (e) { /* full */ }
    return text;
  }

  function load(page, revision) {
    if (current) { keepState(current); }
    if (loading) { loading.remove(); }
    var frame = document.createElement('iframe');
    frame.className = current ? 'gk-view gk-loading' : 'gk-view';
    frame.title = page;
    frame.dataset.page = page;
    frame.dataset.revision = String(revision);
    frame.dataset.savedState = current && current.dataset.page === page
      ? (sessionStorage.getItem(storageKey(page)) || '') : '';
    shell.timings = { state: shell.timings.state, load: Date.now() };
    // A page that keeps its state in its URL hash gets it back from the hash.
    var hash = '';
    try {
      hash = current && current.dataset.page === page ? current.contentWindow.location.hash : '';
    } catch (e) { hash = ''; }
    frame.src = '/view/' + page + '?revision=' + encodeURIComponent(revision) + hash;
    frame.addEventListener('load', function () {
      // A page without the live client (an error page) never says it is ready: show it.
      var live = null;
      try { live = frame.contentWindow.graphkitLive; } catch (e) { live = null; }
      if (!live && loading === frame) { swapIn(frame); }
    });
    stage.appendChild(frame);
    loading = frame;
    render();
  }

  function swapIn(frame) {
    var old = current;
    var latest = old && old.dataset.page === frame.dataset.page ? keepState(old) : null;
    if (latest !== null && latest !== frame.dataset.savedState) {
      // The reader changed the view while the new version was drawing: apply that too.
      try { frame.contentWindow.graphkitLive.restore(JSON.parse(latest)); } catch (e) { /* */ }
    }
    frame.classList.remove('gk-loading');
    current = frame;
    loading = null;
    if (old) { old.remove(); }
    shell.revision = Number(frame.dataset.revision);
    shell.page = frame.dataset.page;
    shell.shownAt = Date.now();
    shell.timings.shown = shell.shownAt;
    shell.swaps += 1;
    document.documentElement.dataset.revision = String(shell.revision);
    document.documentElement.dataset.page = shell.page;
    render();
  }

  // The live client of a frame that can update in place, or null.
  function liveOf(frame) {
    try {
      var api = frame.contentWindow.graphkitLive;
      return api && api.ready && typeof api.update === 'function' ? api : null;
    } catch (e) {
      return null;
    }
  }

  // Show `revision` of the shown page by updating its frame in place; load it anew if that
  // cannot be done.
  function update(frame, api, revision) {
    var page = frame.dataset.page;
    updating = true;
    keepState(frame);   // for the fallback's new frame
    shell.timings = { state: shell.timings.state, load: Date.now() };
    render();
    fetch('/view/' + page + '?revision=' + encodeURIComponent(revision), { cache: 'no-store' })
      .then(function (response) {
        var served = Number(response.headers.get('X-Graphkit-Revision'));
        if (!response.ok || !served) { return null; }
        return response.text().then(function (html) {
          shell.timings.fetched = Date.now();
          return api.update(html, served).then(function (done) { return done ? served : null; });
        });
      })
      .catch(function () { return null; })
      .then(function (shown) {
        updating = false;
        if (frame !== current) { refresh(); return; }
        if (shown === null) {
          load(page, revision);
          return;
        }
        frame.dataset.revision = String(shown);
        shell.revision = shown;
        shell.shownAt = Date.now();
        shell.timings.shown = shell.shownAt;
        shell.updates += 1;
        document.documentElement.dataset.revision = String(shown);
        refresh();   // a newer revision may have come meanwhile
      });
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== location.origin) { return; }
    var data = event.data;
    if (!data || data.graphkit !== 'ready' || !loading) { return; }
    if (event.source !== loading.contentWindow) { return; }
    swapIn(loading);
  });

  function wanted() {
    var frame = loading || current;
    return frame ? { page: frame.dataset.page, revision: Number(frame.dataset.revision) } : null;
  }

  function refresh() {
    if (!state || !state.revision) { render(); return; }
    if (updating) { render(); return; }   // looked at again when the update ends
    var have = wanted();
    if (!have || have.page !== pageName() || have.revision !== state.revision) {
      var api = !loading && current && current.dataset.page === pageName() ? liveOf(current)
        : null;
      if (api) { update(current, api, state.revision); } else { load(pageName(), state.revision); }
    } else {
      render();
    }
  }

  // ------------------------------------------------------------------ the error overlay

  function text(tag, className, content) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (content !== undefined && content !== null) { element.textContent = String(content); }
    return element;
  }

  function excerpt(error) {
    var frame = text('div', 'gk-frame');
    frame.setAttribute('aria-label', 'the file around line ' + error.line);
    (error.excerpt || []).forEach(function (row) {
      var line = text('div', row.line === error.line ? 'gk-at' : '');
      line.appendChild(text('span', 'gk-ln', row.line));
      line.appendChild(document.createTextNode(row.text));
      frame.appendChild(line);
      if (row.line === error.line && error.column >= 1) {
        var caret = text('div', 'gk-caret');
        caret.appendChild(text('span', 'gk-ln', ''));
        var before = row.text.slice(0, error.column - 1).replace(/[^\t]/g, ' ');
        caret.appendChild(document.createTextNode(before + '^'));
        frame.appendChild(caret);
      }
    });
    return frame;
  }

  function errorItem(error) {
    var item = document.createElement('li');
    var where = text('div', 'gk-loc', error.location);
    where.appendChild(text('span', 'gk-code', error.code));
    item.appendChild(where);
    item.appendChild(text('p', 'gk-msg', error.message));
    if (error.hint) {
      var hint = text('p', 'gk-hint');
      hint.appendChild(text('b', '', 'Hint: '));
      hint.appendChild(document.createTextNode(error.hint));
      item.appendChild(hint);
    }
    if (error.excerpt && error.excerpt.length) { item.appendChild(excerpt(error)); }
    return item;
  }

  function showErrors() {
    var count = state.error_count;
    var key = JSON.stringify(state.errors);
    if (key !== errorsKey) { hiddenByReader = false; errorsKey = key; }
    overlayTitle.textContent = count + (count === 1 ? ' error' : ' errors') +
      ' in the knowledge base';
    overlayNote.textContent = state.revision
      ? 'The page behind shows the last version that loaded. Fix the file and save: ' +
        'this page updates by itself.'
      : 'Nothing has loaded yet. Fix the file and save: this page updates by itself.';
    var items = state.errors.map(errorItem);
    if (count > state.errors.length) {
      items.push(text('li', 'gk-more', 'and ' + (count - state.errors.length) +
        ' more: the terminal lists them all.'));
    }
    errorList.replaceChildren.apply(errorList, items);
    overlay.hidden = hiddenByReader;
    pill.hidden = false;
    pill.textContent = count + (count === 1 ? ' error' : ' errors') +
      (hiddenByReader ? ' · show' : '');
  }

  function hideErrors() {
    overlay.hidden = true;
    pill.hidden = true;
    errorsKey = '';
    hiddenByReader = false;
  }

  hideButton.addEventListener('click', function () {
    hiddenByReader = true;
    overlay.hidden = true;
    pill.textContent = state.error_count + (state.error_count === 1 ? ' error' : ' errors') +
      ' · show';
  });
  pill.addEventListener('click', function () {
    hiddenByReader = !hiddenByReader;
    if (state && state.error_count) { showErrors(); }
  });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && !overlay.hidden) { hideButton.click(); }
  });

  // ------------------------------------------------------------------ status and navigation

  function render() {
    var page = pageName();
    document.querySelectorAll('.gk-nav a').forEach(function (link) {
      if (link.dataset.page === page) {
        link.setAttribute('aria-current', 'page');
      } else {
        link.removeAttribute('aria-current');
      }
    });
    empty.hidden = !(state && !state.revision);
    if (state && !state.ok && state.error_count) { showErrors(); } else { hideErrors(); }
    var label;
    var kind;
    if (!connected) {
      label = state ? 'server stopped: reconnecting…' : 'connecting…';
      kind = 'gk-down';
    } else if (loading || updating) {
      label = 'updating…';
      kind = 'gk-busy';
    } else if (state && !state.ok) {
      label = 'errors: showing the last good version';
      kind = 'gk-down';
    } else {
      var counts = state && state.counts;
      label = 'live' + (counts ? ' · ' + counts.events.toLocaleString('en') + ' events' : '') +
        (state && state.reload_ms !== null ? ' · reloaded in ' + Math.round(state.reload_ms) +
          ' ms' : '');
      kind = 'gk-ok';
    }
    statusEl.textContent = label;
    statusEl.className = 'gk-status ' + kind;
  }

  window.addEventListener('hashchange', refresh);
  window.addEventListener('pagehide', function () { if (current) { keepState(current); } });

  var events = new EventSource('/_gk/events');
  events.addEventListener('open', function () { connected = true; render(); });
  events.addEventListener('error', function () { connected = false; render(); });
  events.addEventListener('state', function (event) {
    var next = JSON.parse(event.data);
    shell.timings.state = Date.now();
    connected = true;
    if (session !== null && next.session !== session && current) {
      current.dataset.revision = '-1';   // a restarted server counts revisions from 1 again
    }
    session = next.session;
    state = next;
    refresh();
  });
})();
