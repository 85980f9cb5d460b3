/* graphkit serve: the live client inside each served page (loaded right after plotly.js).
 *
 * Keeps the reader's state across updates, through plotly's public API only:
 *  - zoom and pan: the axis ranges (and map centre, scale, rotation) the reader set, recorded
 *    from plotly_relayout events;
 *  - dropdown filters: the label of the button last clicked in each updatemenu
 *    (plotly_buttonclicked), replayed on the new figure by label, so a filter means the same
 *    thing when the data changed;
 *  - legend clicks and other visibility changes: trace visibility that differs from the
 *    figure's own, by trace name;
 *  - the page: scroll position, the values of form controls that have an id, the state of each
 *    view of graphkit's page script when there is one (`window.graphkit.state(divId)` /
 *    `.restore(divId, state)`), and whatever a page keeps through the hook
 *    `window.graphkitPageState = {save: () => json, restore: json => void}`.
 *
 * State saved before an update (sessionStorage, key 'graphkit-serve:' + page name) is applied
 * to each figure before its first draw, by wrapping Plotly.newPlot: one draw, no flash of the
 * old zoom. When the figures are drawn, the page posts {graphkit: 'ready'} to the shell.
 * `graphkitLive.save()` and `graphkitLive.restore(state)` are what the shell calls, and
 * `graphkitLive.update(html, revision)`, which shows a newer revision in this document (see
 * "updating in place" below).
 * Opened alone (not in the shell), the page follows the event stream itself and updates in
 * place (or reloads).
 */
(function () {
  'use strict';

  var startedAt = performance.now();
  var script = document.currentScript;
  var revision = script ? Number(script.getAttribute('data-revision')) : 0;
  var page = location.pathname.split('/').pop();
  var KEY = 'graphkit-serve:' + page;
  var AXIS = /^([xy]axis\d*)\.(range(\[[01]\])?|autorange)$/;
  var KEPT = /^(([xy]axis\d*)\.(range|autorange)|geo\d*\.(center\.(lon|lat)|projection\.(scale|rotation\.(lon|lat|roll)))|dragmode)$/;
  var METHODS = { relayout: true, restyle: true, update: true };

  var saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (e) { saved = null; }

  var plots = [];      // per figure: {id, gd, initial, layout, menus}
  var drawing = [];    // promises of the figures being drawn

  function visibleOf(trace) {
    return trace.visible === undefined ? true : trace.visible;
  }

  function traceKeys(data) {
    var seen = {};
    return data.map(function (trace) {
      var key = [trace.type || 'scatter', trace.name || '', trace.legendgroup || ''].join('|');
      seen[key] = (seen[key] || 0) + 1;
      return key + '|' + seen[key];
    });
  }

  function setPath(target, path, value) {
    var parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
    var node = target;
    for (var i = 0; i < parts.length - 1; i += 1) {
      var part = parts[i];
      if (part === '__proto__' || part === 'constructor' || part === 'prototype') { return; }
      if (node[part] === null || typeof node[part] !== 'object') {
        node[part] = /^\d+$/.test(parts[i + 1]) ? [] : {};
      }
      node = node[part];
    }
    node[parts[parts.length - 1]] = value;
  }

  function own(object, key) {
    return object !== null && typeof object === 'object' &&
      Object.prototype.hasOwnProperty.call(object, key);
  }

  // ---------------------------------------------------------------- applying state to a figure

  function applyButton(button, data, layout) {
    var args = button.args || [];
    var traceUpdate = button.method === 'relayout' ? null : args[0];
    var layoutUpdate = button.method === 'relayout' ? args[0]
      : button.method === 'update' ? args[1] : null;
    var indices = button.method === 'restyle' ? args[1] : button.method === 'update' ? args[2]
      : null;
    if (traceUpdate) {
      var targets = Array.isArray(indices) ? indices : data.map(function (_, i) { return i; });
      Object.keys(traceUpdate).forEach(function (attr) {
        var value = traceUpdate[attr];
        targets.forEach(function (traceIndex, k) {
          if (!data[traceIndex]) { return; }
          setPath(data[traceIndex], attr, Array.isArray(value) ? value[k % value.length] : value);
        });
      });
    }
    if (layoutUpdate) {
      Object.keys(layoutUpdate).forEach(function (key) {
        setPath(layout, key, layoutUpdate[key]);
        var axis = /^([xy]axis\d*)\.range$/.exec(key);
        if (axis) { layout[axis[1]].autorange = false; }
      });
    }
  }

  // Change `data` and `layout` (a figure about to be drawn) to show `kept`; record in `plot`
  // what was applied, so that it is kept again at the next update.
  function applyBefore(plot, data, layout, kept) {
    Object.keys(kept.layout || {}).forEach(function (key) {
      if (!KEPT.test(key)) { return; }
      var value = kept.layout[key];
      var axis = /^([xy]axis\d*)\.(range|autorange)$/.exec(key);
      if (axis) {
        var options = layout[axis[1]] = layout[axis[1]] || {};
        if (axis[2] === 'range' && Array.isArray(value)) {
          options.range = value.slice();
          options.autorange = false;
        } else if (axis[2] === 'autorange') {
          options.autorange = true;
          delete options.range;
        }
      } else {
        setPath(layout, key, value);
      }
      plot.layout[key] = value;
    });
    var menus = layout.updatemenus || [];
    Object.keys(kept.menus || {}).forEach(function (m) {
      var menu = menus[Number(m)];
      if (!menu || !Array.isArray(menu.buttons)) { return; }
      var index = menu.buttons.findIndex(function (b) { return b.label === kept.menus[m]; });
      if (index < 0 || !METHODS[menu.buttons[index].method]) { return; }
      applyButton(menu.buttons[index], data, layout);
      menu.active = index;
      plot.menus[m] = kept.menus[m];
    });
    var keys = traceKeys(data);
    data.forEach(function (trace, i) {
      if (own(kept.visible, keys[i])) { trace.visible = kept.visible[keys[i]]; }
    });
  }

  function track(plot) {
    var gd = plot.gd;
    gd.on('plotly_relayout', function (event) {
      Object.keys(event || {}).forEach(function (key) {
        var axis = AXIS.exec(key);
        if (axis) {
          var name = axis[1];
          var options = gd.layout[name] || {};
          delete plot.layout[name + '.range'];
          delete plot.layout[name + '.autorange'];
          if (options.autorange === true) {
            plot.layout[name + '.autorange'] = true;
          } else if (Array.isArray(options.range)) {
            plot.layout[name + '.range'] = options.range.slice();
          }
        } else if (KEPT.test(key)) {
          plot.layout[key] = event[key];
        }
      });
    });
    gd.on('plotly_buttonclicked', function (event) {
      var menu = event && event.menu;
      if (menu && menu._index !== undefined && event.button) {
        plot.menus[menu._index] = event.button.label;
      }
    });
  }

  // ---------------------------------------------------------------- the newPlot hook

  if (window.Plotly && typeof window.Plotly.newPlot === 'function') {
    var newPlot = window.Plotly.newPlot;
    window.Plotly.newPlot = function (target, data, layout, config) {
      var gd = typeof target === 'string' ? document.getElementById(target) : target;
      var figure = data && !Array.isArray(data) && Array.isArray(data.data) ? data : null;
      var traces = figure ? figure.data : (data || []);
      var options = figure ? (figure.layout = figure.layout || {}) : (layout = layout || {});
      var id = (gd && gd.id) || 'plot-' + plots.length;
      var plot = { id: id, gd: gd, initial: traces.map(visibleOf), layout: {}, menus: {} };
      var kept = saved && saved.plots && saved.plots[id];
      if (kept) {
        try { applyBefore(plot, traces, options, kept); } catch (e) { /* draw as generated */ }
      }
      plots.push(plot);
      var drawn = newPlot.call(this, target, data, layout, config);
      var tracked = Promise.resolve(drawn).then(function (div) {
        plot.gd = div || gd;
        track(plot);
        return div;
      });
      drawing.push(tracked);
      return tracked;
    };
  }

  // ---------------------------------------------------------------- saving and restoring

  function save() {
    var state = { scroll: [window.scrollX, window.scrollY], plots: {}, controls: {}, page: null };
    plots.forEach(function (plot) {
      var data = (plot.gd && plot.gd.data) || [];
      var keys = traceKeys(data);
      var visible = {};
      data.forEach(function (trace, i) {
        if (i < plot.initial.length && visibleOf(trace) !== plot.initial[i]) {
          visible[keys[i]] = visibleOf(trace);
        }
      });
      state.plots[plot.id] = { layout: plot.layout, menus: plot.menus, visible: visible };
    });
    document.querySelectorAll('input[id], select[id], textarea[id]').forEach(function (control) {
      state.controls[control.id] = control.type === 'checkbox' || control.type === 'radio'
        ? { checked: control.checked } : { value: control.value };
    });
    var views = pageViews();
    if (views) {
      state.views = {};
      Object.keys(views).forEach(function (id) {
        try { state.views[id] = window.graphkit.state(id); } catch (e) { /* not kept */ }
      });
    }
    var hook = window.graphkitPageState;
    if (hook && typeof hook.save === 'function') {
      try { state.page = hook.save(); } catch (e) { state.page = null; }
    }
    return state;
  }

  // The views of graphkit's page script (render/assets), when the page has it.
  function pageViews() {
    var gk = window.graphkit;
    return gk && gk.views && typeof gk.state === 'function' && typeof gk.restore === 'function'
      ? gk.views : null;
  }

  function restoreControls(state, keepScroll, only) {
    Object.keys(state.controls || {}).forEach(function (id) {
      var control = document.getElementById(id);
      var kept = state.controls[id];
      if (!control || !kept) { return; }
      if (own(kept, 'checked') && control.checked !== kept.checked) {
        control.checked = kept.checked;
      } else if (own(kept, 'value') && control.value !== kept.value) {
        control.value = kept.value;
      } else {
        return;
      }
      control.dispatchEvent(new Event('input', { bubbles: true }));
      control.dispatchEvent(new Event('change', { bubbles: true }));
    });
    var views = pageViews();
    if (views && state.views) {
      Object.keys(state.views).forEach(function (id) {
        if (!own(views, id) || (only && !own(only, id))) { return; }
        var view = state.views[id];
        if (view && state.plots && own(state.plots, id)) {
          // the figure was drawn with the reader's range already (a zoom is a relayout, kept
          // by this script), or with its own when the reader did not zoom: the page script's
          // range is in whole days (it would widen the view by a day at every update, and an
          // unzoomed view would stop following the data, with one more draw)
          view = Object.assign({}, view);
          delete view.x;
        }
        try { window.graphkit.restore(id, view); } catch (e) { /* drawn as is */ }
      });
    }
    var hook = window.graphkitPageState;
    if (state.page !== null && state.page !== undefined && hook &&
        typeof hook.restore === 'function') {
      try { hook.restore(state.page); } catch (e) { /* the page's own state is its business */ }
    }
    if (!keepScroll && Array.isArray(state.scroll)) {
      window.scrollTo(state.scroll[0], state.scroll[1]);
    }
  }

  // Apply a state to figures already drawn (the reader changed the view during an update),
  // through plotly's own relayout and restyle.
  function restorePlot(plot, kept) {
    var Plotly = window.Plotly;
    var gd = plot.gd;
    var layoutUpdate = {};
    Object.keys(kept.layout || {}).forEach(function (key) {
      if (KEPT.test(key)) {
        layoutUpdate[key] = kept.layout[key];
        plot.layout[key] = kept.layout[key];
      }
    });
    var chain = Plotly.relayout(gd, layoutUpdate);
    var menus = (gd.layout && gd.layout.updatemenus) || [];
    Object.keys(kept.menus || {}).forEach(function (m) {
      var menu = menus[Number(m)];
      var buttons = (menu && menu.buttons) || [];
      var index = buttons.findIndex(function (b) { return b.label === kept.menus[m]; });
      if (index < 0 || !METHODS[buttons[index].method]) { return; }
      var button = buttons[index];
      plot.menus[m] = kept.menus[m];
      chain = chain.then(function () {
        return Plotly[button.method].apply(null, [gd].concat(button.args || []));
      }).then(function () {
        var active = {};
        active['updatemenus[' + m + '].active'] = index;
        return Plotly.relayout(gd, active);
      });
    });
    return chain.then(function () {
      var keys = traceKeys(gd.data);
      var indices = [];
      var values = [];
      keys.forEach(function (key, i) {
        if (own(kept.visible, key)) {
          indices.push(i);
          values.push(kept.visible[key]);
        }
      });
      return indices.length ? Plotly.restyle(gd, { visible: values }, indices) : null;
    });
  }

  function restore(state) {
    if (!state) { return Promise.resolve(); }
    return Promise.all(plots.map(function (plot) {
      var kept = state.plots && state.plots[plot.id];
      return kept && plot.gd && plot.gd.data ? restorePlot(plot, kept) : null;
    })).then(function () { restoreControls(state); });
  }

  function nextFrames() {
    return new Promise(function (resolve) {
      requestAnimationFrame(function () { requestAnimationFrame(resolve); });
    });
  }

  function whenLoaded() {
    return new Promise(function (resolve) {
      if (document.readyState === 'complete') { resolve(); } else {
        window.addEventListener('load', resolve, { once: true });
      }
    });
  }

  // ---------------------------------------------------------------- updating in place
  //
  // update(html, revision) shows a newer revision of this page (its HTML as served) in this
  // document: plotly.js and the page script stay compiled, the figures are redrawn with
  // Plotly.react on their own divs, the other HTML is patched. It resolves true when done, or
  // false when it did not change anything because the page cannot be updated in place (another
  // set of figures, other scripts): then the caller loads the page anew. Once it started
  // changing the document it does not fall back: a failure there rejects, and the caller
  // loads the page anew too.

  var SCRIPT_DATA = 'script[type="application/json"]';

  function elements(parent) {
    return Array.prototype.filter.call(parent.childNodes, function (n) {
      return n.nodeType === 1;
    });
  }

  function figureOf(node) {
    return node.querySelector ? node.querySelector('.plotly-graph-div[id]') : null;
  }

  // The served elements of a body: not those plotly.js adds (its text measuring svg).
  function served(body) {
    return elements(body).filter(function (n) {
      return n.namespaceURI === 'http://www.w3.org/1999/xhtml' && !/^js-plotly/.test(n.id);
    });
  }

  // The head's scripts, styles and links, but the live client (its revision changes).
  function headParts(doc) {
    return Array.prototype.filter.call(doc.head.querySelectorAll('script, style, link'),
      function (n) { return !/\/_gk\/live\.js$/.test(n.getAttribute('src') || ''); })
      .map(function (n) { return n.outerHTML; });
  }

  // The top-level elements of a body, in order: tag, figure id, or a page script's text (a
  // page script ran once, with the old page; a figure's own script is the exception: it is
  // what draws the new data).
  function bodyShape(doc) {
    return JSON.stringify(served(doc.body).map(function (n) {
      var figure = figureOf(n);
      if (figure) { return 'figure:' + figure.id; }
      return n.tagName === 'SCRIPT' ? 'script:' + n.textContent : n.tagName;
    }));
  }

  // Whether the page `doc` can be shown by updating this one: the same head (every script,
  // style and link of the new head is in this one, which also holds what plotly.js added)
  // and the same top-level elements in the body.
  function sameShape(doc) {
    var have = {};
    headParts(document).forEach(function (part) { have[part] = true; });
    if (!headParts(doc).every(function (part) { return have[part] === true; })) {
      return decline('other scripts or styles in the head');
    }
    return bodyShape(doc) === bodyShape(document) || decline('other figures or sections');
  }

  // Say why the page is not updated in place (graphkitLive.declined), and return false.
  function decline(reason) {
    window.graphkitLive.declined = reason;
    return false;
  }

  // How many elements patching `a` into `b` would create (rather than keep and change).
  function created(a, b) {
    var count = 0;
    var kept = a.childNodes;
    Array.prototype.forEach.call(b.childNodes, function (y, i) {
      var x = kept[i];
      if (!x || x.nodeType !== y.nodeType || (y.nodeType === 1 && x.tagName !== y.tagName)) {
        count += y.nodeType === 1 ? 1 : 0;
      } else if (y.nodeType === 1) {
        count += created(x, y);
      }
    });
    return count;
  }

  // Make `a` (in this document) look like `b` (parsed), keeping the elements both have at the
  // same place: listeners a page script bound on them stay, and read the new attributes.
  function patch(a, b) {
    Array.prototype.slice.call(a.attributes).forEach(function (attr) {
      if (!b.hasAttribute(attr.name)) { a.removeAttribute(attr.name); }
    });
    Array.prototype.forEach.call(b.attributes, function (attr) {
      if (a.getAttribute(attr.name) !== attr.value) { a.setAttribute(attr.name, attr.value); }
    });
    var source = b.childNodes;
    for (var i = 0; i < source.length; i += 1) {
      var x = a.childNodes[i];
      var y = source[i];
      if (!x) {
        a.appendChild(document.importNode(y, true));
      } else if (x.nodeType !== y.nodeType || (y.nodeType === 1 && x.tagName !== y.tagName)) {
        a.replaceChild(document.importNode(y, true), x);
      } else if (y.nodeType === 1) {
        patch(x, y);
      } else if (x.nodeValue !== y.nodeValue) {
        x.nodeValue = y.nodeValue;
      }
    }
    while (a.childNodes.length > source.length) { a.removeChild(a.lastChild); }
  }

  // The scripts of a figure's plot box: what draws it, and the JSON it reads lazily.
  function figureScripts(box) {
    var draw = box.querySelector('script:not([type="application/json"])');
    var data = Array.prototype.map.call(box.querySelectorAll(SCRIPT_DATA), function (n) {
      return n.id + '\n' + n.textContent;
    }).join('\n');
    return { element: draw, draw: draw ? draw.textContent : '', data: data };
  }

  // A figure's section: its heading and plot box follow the new page; the controls, messages
  // and legend around the plot are the page script's, rebuilt by refreshView. Returns the
  // script that draws the figure, or '' when the figure is the same as before (same script,
  // same data): then it is left as it is, with the reader's view.
  function patchFigure(section, next, figure) {
    var heading = section.querySelector('.gk-head');
    var newHeading = next.querySelector('.gk-head');
    if (heading && newHeading) { patch(heading, newHeading); }
    var box = document.getElementById(figure.id).parentNode;
    var newBox = figureOf(next).parentNode;
    var old = figureScripts(box);
    var fresh = figureScripts(newBox);
    if (old.draw === fresh.draw && old.data === fresh.data) { return ''; }
    box.setAttribute('style', newBox.getAttribute('style') || '');
    box.querySelectorAll(SCRIPT_DATA).forEach(function (n) { n.remove(); });
    newBox.querySelectorAll(SCRIPT_DATA).forEach(function (n) {
      box.appendChild(document.importNode(n, true));
    });
    // kept to compare with the next version (a script element runs once: this does not run)
    if (old.element) { old.element.textContent = fresh.draw; }
    return fresh.draw;
  }

  // Plotly.newPlot while a figure's script runs again: Plotly.react on the drawn div, with the
  // reader's state applied first, as on a first draw. What the script chains on the first draw
  // (click handlers, graphkit.mount) ran once already and must not run twice: the promise
  // returned to the script never settles; the redraw is in `redraws`.
  function reactInstead(kept, redraws) {
    return function (target, data, layout, config) {
      var gd = typeof target === 'string' ? document.getElementById(target) : target;
      var plot = plots.find(function (p) { return p.gd === gd || p.id === (gd && gd.id); });
      if (!gd || !plot) { throw new Error('no drawn figure ' + target); }
      var figure = data && !Array.isArray(data) && Array.isArray(data.data) ? data : null;
      var traces = figure ? figure.data : (data || []);
      var options = figure ? (figure.layout = figure.layout || {}) : (layout = layout || {});
      plot.initial = traces.map(visibleOf);
      plot.layout = {};
      plot.menus = {};
      var state = kept.plots && kept.plots[plot.id];
      if (state) { applyBefore(plot, traces, options, state); }
      var gk = window.graphkit;
      if (gk && typeof gk.prepare === 'function') {
        try { gk.prepare(plot.id, traces); } catch (e) { /* the view restyles after the draw */ }
      }
      redraws.push(window.Plotly.react(gd, data, layout, config));
      return new Promise(function () { /* never settles: see above */ });
    };
  }

  // After Plotly.react drew new data on a figure of graphkit's page script (graphkit.js):
  // its view reads the figure's meta again and rebuilds its controls (the listeners it bound
  // on the div stay, once); the reader's state is restored afterwards (restoreControls). The
  // page script's own graphkit.refresh(divId) is used when it has one.
  function refreshView(gk, id) {
    if (typeof gk.refresh === 'function') { return gk.refresh(id); }
    var view = gk.views && gk.views[id];
    if (!view || typeof view.buildControls !== 'function') { return null; }
    var gd = view.gd;
    view.meta = (gd.layout && gd.layout.meta) || {};
    view.kind = view.meta.graphkit || 'figure';
    view.mode = view.meta.overview ? 'overview' : 'detail';
    view.home = null;
    var box = view.part('controls');
    if (box) {
      box.textContent = '';
      box.hidden = true;
    }
    if (view.legendPanel) { view.legendPanel.remove(); }
    view.legendPanel = view.legendButton = view.laneSelect = view.typeSelect = null;
    view.fullTicks = undefined;
    view.small = undefined;
    if (view.kind === 'timeline') { view.buildControls(); }
    // no declutter here: the redraw's plotly_afterplot ran the page script's own (once per
    // draw, on the figure as drawn); a second pass measured every label again (10-20% of an
    // update of 1,000 events)
    return Promise.resolve(view.fit()).then(function () { view.changed(); });
  }

  function update(html, next) {
    var clock = window.graphkitLive.timings = { start: Date.now() };
    var doc;
    try {
      doc = new DOMParser().parseFromString(html, 'text/html');
    } catch (e) {
      return Promise.resolve(decline('not HTML'));
    }
    if (!doc.body || !sameShape(doc)) { return Promise.resolve(false); }
    var incoming = served(doc.body);
    var pairs = served(document.body).map(function (node, i) { return [node, incoming[i]]; });
    var hasPageScripts = pairs.some(function (pair) { return pair[0].tagName === 'SCRIPT'; });
    var creates = pairs.reduce(function (sum, pair) {
      return sum + (figureOf(pair[0]) || pair[0].tagName === 'SCRIPT' ? 0 :
        created(pair[0], pair[1]));
    }, 0);
    // A figure drawn by something else than a script beside it cannot be redrawn from here
    var drawnHere = pairs.every(function (pair) {
      var figure = figureOf(pair[1]);
      return !figure || figureScripts(figure.parentNode).draw !== '';
    });
    if (!drawnHere) { return Promise.resolve(decline('a figure without its drawing script')); }
    // New elements would miss what a page script bound on the old ones (a click on a row)
    if (creates && hasPageScripts) {
      return Promise.resolve(decline('new elements where a page script binds its own'));
    }

    clock.parsed = Date.now();
    var kept = save();
    var scripts = [];
    var redrawn = {};
    pairs.forEach(function (pair) {
      var figure = figureOf(pair[0]);
      if (figure) {
        var script = patchFigure(pair[0], pair[1], figure);
        if (script) {
          scripts.push(script);
          redrawn[figure.id] = true;
        }
      } else if (pair[0].tagName !== 'SCRIPT') {
        patch(pair[0], pair[1]);
      }
    });
    document.title = doc.title;
    clock.patched = Date.now();
    var redraws = [];
    var Plotly = window.Plotly;
    var hooked = Plotly.newPlot;
    Plotly.newPlot = reactInstead(kept, redraws);
    try {
      scripts.forEach(function (text) { if (text) { new Function(text)(); } });
    } finally {
      Plotly.newPlot = hooked;
    }
    clock.scripts = Date.now();
    return Promise.all(redraws).then(function () {
      clock.drawn = Date.now();
      var gk = window.graphkit;
      return Promise.all(plots.map(function (plot) {
        return own(redrawn, plot.id) && gk ? refreshView(gk, plot.id) : null;
      }));
    }).then(function () {
      clock.refreshed = Date.now();
      clock.redrawn = Object.keys(redrawn).join(' ');
      restoreControls(kept, true, redrawn);
      clock.restored = Date.now();
      revision = next;
      window.graphkitLive.revision = next;
      window.graphkitLive.updates += 1;
      return nextFrames();
    }).then(function () { return true; });
  }

  var ready = whenLoaded()
    .then(function () { return Promise.all(drawing); })
    .then(function () { if (saved) { restoreControls(saved); } })
    .catch(function () { /* a figure that failed to draw still lets the page be shown */ })
    .then(nextFrames)
    .then(function () {
      window.graphkitLive.ready = true;
      if (window.parent !== window) {
        window.parent.postMessage({ graphkit: 'ready', revision: revision }, location.origin);
      } else {
        follow();
      }
    });

  window.graphkitLive = { save: save, restore: restore, update: update, declined: null,
                          ready: false,
                          revision: revision, updates: 0, drawn: ready, t0: startedAt };

  // A page opened alone follows the event stream and reloads (keeping its state).
  function follow() {
    if (!window.EventSource) { return; }
    var events = new EventSource('/_gk/events');
    events.addEventListener('state', function (event) {
      var state = JSON.parse(event.data);
      if (state.revision && state.revision !== revision && !busy) {
        busy = true;
        fetchAndUpdate().then(function (done) {
          busy = false;
          if (!done) {
            try { sessionStorage.setItem(KEY, JSON.stringify(save())); } catch (e) { /* full */ }
            events.close();
            location.reload();
          }
        });
      }
    });
    var busy = false;
  }
  // This page's newest revision, fetched and shown in place; false if it has to be reloaded.
  function fetchAndUpdate() {
    return fetch(location.pathname, { cache: 'no-store' }).then(function (response) {
      var next = Number(response.headers.get('X-Graphkit-Revision'));
      if (!response.ok || !next) { return false; }
      return response.text().then(function (html) { return update(html, next); });
    }).catch(function () { return false; });
  }

  window.addEventListener('pagehide', function () {
    if (window.parent === window && window.graphkitLive.ready) {
      try { sessionStorage.setItem(KEY, JSON.stringify(save())); } catch (e) { /* full */ }
    }
  });
})();
