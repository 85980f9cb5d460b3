/* graphkit page script: controls, label decluttering, messages, linked views, page state.
 *
 * Included once in every page graphkit writes (graphkit/render/html.py). It reads what it needs
 * from each figure's layout.meta (plain strings) and never writes data into HTML: every string
 * goes through textContent, option.text or plotly (whose text graphkit escaped in Python).
 *
 * The API (window.graphkit), for a page or a wrapper such as a live-preview server:
 *   graphkit.state(divId)            -> {x, lane, type, hidden, actor, highlight}
 *   graphkit.restore(divId, state)   applies such a state (unknown values are ignored)
 *   graphkit.filterActor(divId, id)  fades every item not involving actor `id` (null: clear)
 *   graphkit.highlight(divId, ids)   emphasises these events and zooms to them (null: clear)
 *   graphkit.onchange(divId, fn)     calls fn(state) after every change of view or filter
 * A page with a single timeline keeps its state in the URL hash (#x=...&lane=...&type=...).
 */
(function () {
  'use strict';
  var gk = window.graphkit = window.graphkit || {};
  if (gk.mount) { return; }
  var views = gk.views = {};
  var waiting = {};  /* divId -> resolve functions of gk.ready() */
  var NARROW = 700;
  var DAY = 86400000;
  var RANGES = [['1m', 30.44 * DAY], ['6m', 182.6 * DAY], ['1y', 365.25 * DAY], ['5y', 1826.2 * DAY]];
  var FAMILY_ORDER = [];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

  function narrow(gd) { return (gd.parentNode.clientWidth || window.innerWidth) < NARROW; }

  /* ---- labels: hide those that would overlap another label or a marker ------------------- */

  function rectOf(node) {
    var r = node.getBoundingClientRect();
    return {l: r.left, r: r.right, t: r.top, b: r.bottom};
  }
  function overlaps(a, b) { return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b; }

  /* a bar's label too long for the plot: shortened to fit (its hover says it all), first by
     dropping "since …" (the ◀ and the hatch still say the bar starts earlier), then at a word */
  function fitLabel(text, box) {
    var r = rectOf(text);
    var room = text.getAttribute('text-anchor') === 'end'
      ? Math.min(r.r, box.right) - box.left - 2 : box.right - Math.max(r.l, box.left) - 2;
    if (r.r - r.l <= room) { return; }
    var full = text.textContent;
    var since = full.match(/^◀ [^·]+ · (.+)$/);
    var base = since ? '◀ ' + since[1] : full;
    text.__gkFull = full;
    var n = base.length + 1;
    while (n > 2) {
      var head = base.slice(0, n - 1);
      if (head.length < base.length) {
        var space = head.lastIndexOf(' ');
        if (space > head.length / 2) { head = head.slice(0, space); }
        head = head.replace(/[\s·,;:–—-]+$/, '') + '…';
      }
      text.textContent = text.__gkCut = head;
      var width = text.getBoundingClientRect().width;
      if (width <= room) { return; }
      n = Math.min(head.length - 1, Math.floor(base.length * room / width) + 1);
    }
  }

  /* an event's label that would sit on its own hatch or duration bar moves off it */
  function offBar(text, r, bars) {
    var anchor = text.getAttribute('text-anchor');
    var mid = (r.t + r.b) / 2, dx = 0;
    bars.forEach(function (b) {
      if (b.t > mid || b.b < mid || b.r <= r.l || b.l >= r.r) { return; }
      if (anchor === 'start' && b.l <= r.l + 2) { dx = Math.max(dx, b.r + 3 - r.l); }
      if (anchor === 'end' && b.r >= r.r - 2) { dx = Math.min(dx, b.l - 3 - r.r); }
    });
    if (dx === 0 || Math.abs(dx) > 80) { return r; }
    text.setAttribute('transform', 'translate(' + dx.toFixed(1) + ',0)');
    return {l: r.l + dx, r: r.r + dx, t: r.t, b: r.b};
  }

  function declutter(gd) {
    var layer = gd.querySelector('.cartesianlayer');
    if (!layer) { return; }
    var labels = [];
    var obstacles = [];
    var bars = [];
    var nodes = [];
    var size = gd._fullLayout && gd._fullLayout._size;
    var outer = gd.getBoundingClientRect();
    var box = size ? {left: outer.left + size.l, right: outer.left + size.l + size.w} : null;
    layer.querySelectorAll('.barlayer .trace').forEach(function (group) {
      var data = group.__data__;
      var trace = data && data[0] && data[0].trace;
      if (!trace || trace.visible !== true || (trace.meta || {}).kind !== 'event') { return; }
      group.querySelectorAll('.point path').forEach(function (p) {
        var r = rectOf(p);
        if (r.r - r.l > 0) { bars.push(r); }
      });
    });
    // Writes first, then reads, then writes: a read after a write forces the browser to lay
    // the page out again, once per label if they alternate (seconds for a thousand labels).
    var groups = [];
    layer.querySelectorAll('.scatterlayer .trace').forEach(function (group) {
      var data = group.__data__;
      var trace = data && data[0] && data[0].trace;
      if (!trace || trace.visible !== true) { return; }
      var meta = trace.meta || {};
      var texts = [];
      group.querySelectorAll('.textpoint').forEach(function (tp) {
        var d = tp.__data__;
        var text = tp.querySelector('text');
        if (!d || !text) { return; }
        text.style.display = '';
        text.removeAttribute('transform');
        if (text.__gkCut !== undefined && text.textContent === text.__gkCut) { text.textContent = text.__gkFull; }
        text.__gkCut = undefined;
        texts.push({d: d, text: text});
      });
      groups.push({group: group, meta: meta, texts: texts});
    });
    if (box) {  /* bars' labels are shortened to fit (each measures as it cuts: they are few) */
      groups.forEach(function (g) {
        if (g.meta.labels !== true) { return; }
        g.texts.forEach(function (t) { fitLabel(t.text, box); });
      });
    }
    groups.forEach(function (g) {  /* reads only */
      var meta = g.meta;
      g.texts.forEach(function (t) { t.rect = rectOf(t.text); });
      if (meta.kind === 'node') {  /* an actor's name may not cover another actor (the 8 most central may) */
        g.group.querySelectorAll('path.point').forEach(function (p, i) {
          var r = rectOf(p), inset = (r.r - r.l) * 0.2;
          nodes.push({l: r.l + inset, r: r.r - inset, t: r.t + inset, b: r.b - inset, i: i});
        });
      }
      if (meta.kind === 'event' || meta.kind === 'planned') {
        g.group.querySelectorAll('path.point').forEach(function (p) {
          var r = rectOf(p);
          if (r.r - r.l > 0) { obstacles.push({rect: r, node: p, owner: p.__data__}); }
        });
      }
    });
    groups.forEach(function (g) {
      var meta = g.meta;
      var ranks = meta.rank || null;
      var always = meta.labels === true || meta.kind === 'node';
      g.texts.forEach(function (t) {
        var r = t.rect;
        // a text box holds line spacing above and below the ink; actors' names keep a gap
        var lead = meta.kind === 'node' ? -1 : (r.b - r.t) * 0.18;
        r = {l: r.l + Math.min(lead, 0), r: r.r - Math.min(lead, 0), t: r.t + lead, b: r.b - lead};
        if (r.r - r.l < 1) { return; }
        if (meta.kind === 'event' || meta.kind === 'planned') { r = offBar(t.text, r, bars); }
        var rank = ranks ? ranks[t.d.i] : (always ? -1 : 5);
        labels.push({node: t.text, rect: r, rank: rank, x: r.l, edge: true, event: !always,
                     actor: meta.kind === 'node' ? t.d.i : null});
      });
    });
    labels.sort(function (a, b) { return a.rank - b.rank || a.x - b.x; });
    var kept = [];
    var dropped = 0;
    labels.forEach(function (label) {
      var r = label.rect;
      // a label is whole and inside the plot, or not drawn (bars' labels were shortened to fit)
      var hidden = box && (r.l < box.left - 2 || (label.edge && r.r > box.right + 2));
      for (var i = 0; !hidden && i < kept.length; i++) { hidden = overlaps(r, kept[i]); }
      for (var j = 0; !hidden && j < obstacles.length; j++) {
        var o = obstacles[j].rect;
        // its own marker sits just left of the label: ignore what only touches its left edge
        if (o.r <= r.l + 3) { continue; }
        hidden = overlaps(r, o);
      }
      // nor on an event's hatch or duration bar (its own moved off it: see offBar)
      for (var m = 0; !hidden && label.event && m < bars.length; m++) {
        var q = bars[m];
        hidden = r.l + 1 < q.r && q.l < r.r - 1 && r.t + 1 < q.b && q.t < r.b - 1;
      }
      for (var k = 0; !hidden && label.actor !== null && label.rank >= 8 && k < nodes.length; k++) {
        hidden = nodes[k].i !== label.actor && overlaps(r, nodes[k]);
      }
      if (hidden) {
        label.node.style.display = 'none';
        if (label.event) { dropped++; }
      } else { kept.push(r); }
    });
    gd.__gkHiddenLabels = dropped;
    var view = views[gd.id];
    if (view && view.mounted && view.kind === 'timeline') { view.report(); }
  }

  /* ---- the view object ------------------------------------------------------------------- */

  function View(gd) {
    this.gd = gd;
    this.id = gd.id;
    this.meta = (gd.layout && gd.layout.meta) || {};
    this.kind = this.meta.graphkit || 'figure';
    this.hidden = {};
    this.type = null;
    this.lane = null;
    this.actor = null;
    this.highlighted = null;
    this.mode = this.meta.overview ? 'overview' : 'detail';
    this.listeners = [];
  }

  /* the page elements around the plot (looked up when used: the page may still be loading) */
  View.prototype.part = function (name) { return document.getElementById(this.id + '-' + name); };

  View.prototype.traces = function () { return this.gd._fullData || []; };
  /* the traces as given: plotly leaves meta and ids out of the full data of hidden traces */
  View.prototype.inputs = function () { return this.gd.data || []; };

  View.prototype.xrange = function () {
    var ax = this.gd._fullLayout.xaxis;
    return [ax.r2l(ax.range[0]), ax.r2l(ax.range[1])];
  };

  View.prototype.setX = function (lo, hi) {
    return Plotly.relayout(this.gd, {'xaxis.range': [isoStamp(lo), isoStamp(hi)]});
  };

  function isoStamp(ms) { return new Date(ms).toISOString().replace('T', ' ').slice(0, 19); }

  /* which traces show: types (menu and legend), overview or detail */
  View.prototype.visibility = function () {
    var self = this;
    return this.inputs().map(function (t) {
      var m = t.meta || {};
      if (m.kind === 'escalation' || m.kind === 'miniature') { return true; }
      if (m.kind === 'overview') {
        return self.mode === 'overview' && !self.hidden['family:' + m.family] && !self.type;
      }
      if (!m.type) { return true; }
      if (self.hidden[m.type]) { return 'legendonly'; }
      if (self.type === 'relations' && m.kind !== 'relation') { return false; }
      if (self.type && self.type !== 'relations' && self.type !== m.type) { return false; }
      if (self.mode === 'overview' && (m.kind === 'event' || m.kind === 'planned' || m.kind === 'relation')) {
        return !!self.type;  /* a type chosen: its items (the overview steps aside) */
      }
      return true;
    });
  };

  /* faded points: those not involving the chosen actor, or not highlighted */
  View.prototype.selection = function () {
    var self = this;
    var involves = this.meta.involves || {};
    var wanted = null;
    if (this.highlighted) {
      wanted = {};
      this.highlighted.forEach(function (id) { wanted[id] = true; });
    }
    return this.inputs().map(function (t) {
      if (!self.actor && !wanted) { return null; }
      var ids = t.ids;
      if (!ids) { return null; }
      var keep = [];
      for (var i = 0; i < ids.length; i++) {
        var id = String(ids[i]).replace(/\/planned$/, '');
        var ok = true;
        if (self.actor) { ok = (involves[id] || []).indexOf(self.actor) !== -1; }
        if (ok && wanted) { ok = wanted[id] === true; }
        if (ok) { keep.push(i); }
      }
      return keep;
    });
  };

  View.prototype.apply = function () {
    var gd = this.gd;
    var visible = this.visibility();
    var selected = this.selection();
    var indices = visible.map(function (_, i) { return i; });
    var faded = this.actor || this.highlighted;
    var update = {visible: visible, selectedpoints: selected};
    if (faded) {
      update['unselected.marker.opacity'] = indices.map(function () { return 0.12; });
      update['unselected.textfont.color'] = indices.map(function () { return 'rgba(51,51,51,0.15)'; });
    }
    var self = this;
    if (!faded && this.inputs().every(function (t, i) {
      return (t.visible === undefined ? true : t.visible) === visible[i] &&
        (t.selectedpoints === undefined || t.selectedpoints === null);
    })) {  /* the figure shows this already (a live update redrew it so): no second draw */
      return Promise.resolve().then(function () { self.changed(); });
    }
    return Plotly.restyle(gd, update, indices).then(function () { self.changed(); });
  };

  View.prototype.countInView = function () {
    var range = this.xrange();
    var lo = range[0], hi = range[1];
    var events = 0, relations = 0;
    var ov = this.meta.overview;
    if (this.mode === 'overview' && ov) {
      for (var b = 0; b < ov.counts.length; b++) {
        var s = ov.start + b * ov.width;
        var overlap = Math.max(0, Math.min(hi, s + ov.width) - Math.max(lo, s));
        events += ov.counts[b] * overlap / ov.width;
      }
      return {events: Math.round(events), relations: null, estimated: true};
    }
    var ax = this.gd._fullLayout.xaxis;
    var seen = {};
    this.traces().forEach(function (t) {
      var m = t.meta || {};
      if (t.visible !== true || (m.kind !== 'event' && m.kind !== 'relation')) { return; }
      if (t.hoverinfo === 'skip') { return; }
      var n = (t.x || []).length;
      for (var i = 0; i < n; i++) {
        var a, z;
        if (t.type === 'bar') {
          a = ax.d2c(t.base[i]);
          z = a + Number(t.x[i]);
        } else {
          a = z = ax.d2c(t.x[i]);
        }
        if (z < lo || a > hi) { continue; }
        var key = t.ids ? t.ids[i] : (t.index + ':' + i);
        if (seen[key]) { continue; }
        seen[key] = true;
        if (m.kind === 'event') { events++; } else { relations++; }
      }
    });
    return {events: events, relations: relations, estimated: false};
  };

  View.prototype.changed = function () {
    if (this.kind !== 'timeline') { return; }
    var ov = this.meta.overview;
    if (ov && !this.switching) {
      var want = this.countInView();
      var inView = this.mode === 'overview' ? want.events : this.estimate();
      var next = inView <= ov.detail_max ? 'detail' : 'overview';
      if (next !== this.mode) {
        this.mode = next;
        this.switching = true;
        var self = this;
        this.apply().then(function () { self.switching = false; self.changed(); });
        return;
      }
    }
    this.report();
    var state = this.state();
    this.listeners.forEach(function (fn) { fn(state); });
    if (this.hash) { writeHash(state); }
  };

  View.prototype.estimate = function () {
    var mode = this.mode;
    this.mode = 'overview';
    var n = this.countInView().events;
    this.mode = mode;
    return n;
  };

  View.prototype.report = function () {
    if (this.meta.empty) {  /* the figure says why it is empty: no counts over an axis of no dates */
      var quiet = this.part('status');
      if (quiet) { quiet.textContent = ''; }
      this.showMessage(null);
      return;
    }
    var counts = this.countInView();
    var range = this.xrange();
    var span = isoDay(range[0]) + ' – ' + isoDay(range[1]);
    var parts = [];
    if (counts.estimated) {
      parts.push('Overview: about ' + counts.events.toLocaleString('en') + ' events in view (' +
                 span + '); zoom in to under ' + this.meta.overview.detail_max.toLocaleString('en') +
                 ' to see each one.');
    } else {
      parts.push(counts.events + ' event' + (counts.events === 1 ? '' : 's') + ' and ' +
                 counts.relations + ' relation' + (counts.relations === 1 ? '' : 's') +
                 ' in view (' + span + ').');
    }
    var hiddenLabels = this.gd.__gkHiddenLabels || 0;
    if (!counts.estimated && hiddenLabels) {
      parts.push(hiddenLabels + ' label' + (hiddenLabels === 1 ? '' : 's') + ' left out where ' +
                 (hiddenLabels === 1 ? 'it' : 'they') + ' would overlap: hover a marker for its ' +
                 'details, or zoom in (1m, 6m) to see them.');
    }
    var status = this.part('status');
    if (status) { status.textContent = parts.join(' '); }
    var empty = !counts.estimated && counts.events === 0 && counts.relations === 0;
    var note = null;
    if (empty) {
      note = 'Nothing to show here: no ' + (this.type ? 'item of the chosen type' : 'event or relation') +
             (this.lane !== null ? ' in this lane' : '') + ' between ' + span + '.';
    } else if (this.actor) {
      var names = this.meta.actors || {};
      note = 'Showing what involves ' + (names[this.actor] || this.actor) + '.';
    } else if (this.highlighted) {
      note = 'Highlighted: ' + this.highlighted.length + ' event' +
             (this.highlighted.length === 1 ? '' : 's') + ' of the escalation step.';
    }
    this.showMessage(note, empty);
  };

  View.prototype.showMessage = function (text, empty) {
    var box = this.part('message');
    if (!box) { return; }
    box.textContent = '';
    if (!text) { box.hidden = true; return; }
    box.hidden = false;
    box.className = 'gk-message' + (empty ? ' gk-empty' : '');
    box.appendChild(el('span', {}, text + ' '));
    var self = this;
    var reset = el('button', {type: 'button', 'class': 'gk-link'}, 'Show all');
    reset.addEventListener('click', function () { self.reset(); });
    box.appendChild(reset);
  };

  /* maps: a click on a cluster spreads its events round the place and zooms in */
  View.prototype.wireClusters = function () {
    var self = this;
    var gd = this.gd;
    gd.on('plotly_click', function (ev) {
      var point = ev && ev.points && ev.points[0];
      var meta = point && point.data && point.data.meta;
      if (!meta || meta.kind !== 'cluster') { return; }
      var ring = self.inputs().findIndex(function (t) {
        return t.meta && t.meta.kind === 'ring' && t.meta.cluster === point.pointNumber;
      });
      if (ring < 0) { return; }
      var geo = gd._fullLayout.geo;
      if (!self.home) { self.home = {lon: geo.center.lon, lat: geo.center.lat, scale: geo.projection.scale}; }
      Plotly.restyle(gd, {visible: true}, [ring]).then(function () {
        return Plotly.relayout(gd, {'geo.center.lon': point.lon, 'geo.center.lat': point.lat,
                                    'geo.projection.scale': meta.zoom || 6});
      }).then(function () {
        self.showMessage('Spread: ' + point.text + ' events around one place (hover each).', false);
      });
    });
  };

  View.prototype.reset = function () {
    if (this.kind === 'map') {
      var gd = this.gd, home = this.home;
      var rings = this.inputs().map(function (t, i) { return t.meta && t.meta.kind === 'ring' ? i : -1; })
        .filter(function (i) { return i >= 0; });
      this.showMessage(null);
      var hide = rings.length ? Plotly.restyle(gd, {visible: false}, rings) : Promise.resolve();
      return hide.then(function () {
        return home ? Plotly.relayout(gd, {'geo.center.lon': home.lon, 'geo.center.lat': home.lat,
                                           'geo.projection.scale': home.scale}) : null;
      });
    }
    this.hidden = {};
    this.type = null;
    this.actor = null;
    this.highlighted = null;
    this.lane = null;
    if (this.laneSelect) { this.laneSelect.value = ''; }
    if (this.typeSelect) { this.typeSelect.value = ''; }
    var total = this.meta.total;
    var self = this;
    return Plotly.relayout(this.gd, {
      'xaxis.range': this.meta.view.map(isoStamp),
      'yaxis.range': [total, 0]
    }).then(function () { return self.apply(); });
  };

  View.prototype.state = function () {
    var range = this.kind === 'timeline' ? this.xrange().map(isoDay) : null;
    return {
      x: range,
      lane: this.lane,
      type: this.type,
      hidden: Object.keys(this.hidden).filter(function (k) { return this.hidden[k]; }, this),
      actor: this.actor,
      highlight: this.highlighted ? this.highlighted.slice() : null
    };
  };

  View.prototype.restore = function (state) {
    state = state || {};
    var meta = this.meta;
    var types = {};
    (meta.types || []).forEach(function (t) { types[t.id] = true; });
    this.hidden = {};
    var self = this;
    (state.hidden || []).forEach(function (t) { if (types[t] || /^family:/.test(t)) { self.hidden[t] = true; } });
    this.type = state.type === 'relations' || types[state.type] ? state.type : null;
    this.actor = state.actor && meta.actors && meta.actors[state.actor] ? state.actor : null;
    this.highlighted = Array.isArray(state.highlight) ? state.highlight.map(String) : null;
    var lanes = meta.lanes || [];
    this.lane = typeof state.lane === 'number' && lanes[state.lane] ? state.lane : null;
    if (this.laneSelect) { this.laneSelect.value = this.lane === null ? '' : String(this.lane); }
    if (this.typeSelect) { this.typeSelect.value = this.type || ''; }
    var update = {};
    if (this.lane !== null) {
      update['yaxis.range'] = [lanes[this.lane].y[1], lanes[this.lane].y[0]];
    }
    if (Array.isArray(state.x) && state.x.length === 2) {
      var lo = Date.parse(state.x[0]), hi = Date.parse(state.x[1]);
      if (isFinite(lo) && isFinite(hi) && lo < hi) { update['xaxis.range'] = [isoStamp(lo), isoStamp(hi + DAY)]; }
    }
    var done = Object.keys(update).length ? Plotly.relayout(this.gd, update) : Promise.resolve();
    return done.then(function () { return self.apply(); });
  };

  /* ---- timeline controls ------------------------------------------------------------------ */

  View.prototype.zoomTo = function (span) {
    var range = this.xrange();
    var bounds = this.meta.bounds || this.meta.view;
    var mid = (range[0] + range[1]) / 2;
    if (span >= bounds[1] - bounds[0]) { return this.setX(bounds[0], bounds[1]); }
    var lo = Math.max(bounds[0], mid - span / 2);
    var hi = lo + span;
    if (hi > bounds[1]) { hi = bounds[1]; lo = hi - span; }
    return this.setX(lo, hi);
  };

  View.prototype.buildControls = function () {
    var box = document.getElementById(this.id + '-controls');
    if (!box || this.kind !== 'timeline' || this.meta.empty) { return; }
    box.hidden = false;
    var self = this;
    var meta = this.meta;
    var ranges = el('div', {'class': 'gk-group', role: 'group', 'aria-label': 'time range'});
    ranges.appendChild(el('span', {'class': 'gk-caption'}, 'Zoom'));
    RANGES.forEach(function (r) {
      var b = el('button', {type: 'button', 'data-range': r[0]}, r[0]);
      b.addEventListener('click', function () { self.zoomTo(r[1]); });
      ranges.appendChild(b);
    });
    var all = el('button', {type: 'button', 'data-range': 'all', title: 'everything drawn'}, 'all');
    all.addEventListener('click', function () { self.setX(meta.bounds[0], meta.bounds[1]); });
    ranges.appendChild(all);
    box.appendChild(ranges);

    var lane = el('select', {'aria-label': 'lane', 'class': 'gk-lane'});
    lane.appendChild(el('option', {value: ''}, 'All lanes'));
    (meta.lanes || []).forEach(function (l, i) { lane.appendChild(el('option', {value: String(i)}, l.label)); });
    lane.addEventListener('change', function () {
      var i = lane.value === '' ? null : Number(lane.value);
      self.lane = i;
      var range = i === null ? [meta.total, 0] : [meta.lanes[i].y[1], meta.lanes[i].y[0]];
      Plotly.relayout(self.gd, {'yaxis.range': range});
    });
    this.laneSelect = lane;
    box.appendChild(labelled('Lane', lane));

    var type = el('select', {'aria-label': 'type', 'class': 'gk-type'});
    type.appendChild(el('option', {value: ''}, 'All types'));
    var groups = {};
    (meta.types || []).forEach(function (t) {
      var key = t.relation ? 'Relations' : familyLabel(meta, t.family);
      if (!groups[key]) { groups[key] = el('optgroup', {label: key}); type.appendChild(groups[key]); }
      groups[key].appendChild(el('option', {value: t.id}, t.name));
    });
    if ((meta.types || []).some(function (t) { return t.relation; })) {
      type.appendChild(el('option', {value: 'relations'}, 'Relations only'));
    }
    type.addEventListener('change', function () { self.type = type.value || null; self.apply(); });
    this.typeSelect = type;
    box.appendChild(labelled('Type', type));

    var legend = el('button', {type: 'button', 'class': 'gk-legend-toggle', 'aria-expanded': 'false'}, 'Legend');
    legend.addEventListener('click', function () { self.toggleLegend(); });
    box.appendChild(legend);
    this.legendButton = legend;
    var reset = el('button', {type: 'button', 'class': 'gk-reset', title: 'first view, no filters'}, 'Reset');
    reset.addEventListener('click', function () { self.reset(); });
    box.appendChild(reset);

    var panel = el('div', {'class': 'gk-legend', hidden: ''});
    buildLegend(panel, meta, function (id) { self.toggleType(id); });
    box.parentNode.insertBefore(panel, box.nextSibling);
    this.legendPanel = panel;
  };

  function labelled(caption, control) {
    var wrap = el('label', {'class': 'gk-group'});
    wrap.appendChild(el('span', {'class': 'gk-caption'}, caption));
    wrap.appendChild(control);
    return wrap;
  }

  function familyLabel(meta, key) {
    var names = meta.families || {};
    return names[key] || key.replace(/_/g, ' ');
  }

  function buildLegend(panel, meta, onToggle) {
    var current = null, list = null;
    (meta.types || []).forEach(function (t) {
      var key = t.relation ? 'Relations' : familyLabel(meta, t.family);
      if (key !== current) {
        current = key;
        panel.appendChild(el('div', {'class': 'gk-legend-family'}, key));
        list = el('ul', {});
        panel.appendChild(list);
      }
      var item = el('li', {});
      var button = el('button', {type: 'button', 'data-type': t.id, 'aria-pressed': 'true'});
      var swatch = el('span', {'class': t.relation ? 'gk-swatch gk-bar' : 'gk-swatch'});
      swatch.style.background = t.colour;
      button.appendChild(swatch);
      button.appendChild(document.createTextNode(t.name));
      button.addEventListener('click', function () {
        onToggle(t.id);
        button.setAttribute('aria-pressed', button.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
      });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  View.prototype.toggleType = function (id) {
    this.hidden[id] = !this.hidden[id];
    return this.apply();
  };

  View.prototype.toggleLegend = function (show) {
    var small = narrow(this.gd);
    var open = show === undefined ? this.legendButton.getAttribute('aria-expanded') !== 'true' : show;
    this.legendButton.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (small) {
      this.legendPanel.hidden = !open;
      return Plotly.relayout(this.gd, {showlegend: false});
    }
    this.legendPanel.hidden = true;
    return Plotly.relayout(this.gd, {showlegend: open});
  };

  /* narrow screens: no plotly legend (a panel above the plot instead), short lane names */
  View.prototype.fit = function () {
    var small = narrow(this.gd);
    if (small === this.small) { return; }
    var first = this.small === undefined;
    this.small = small;
    if (first && !small) {  /* drawn for a wide screen already: nothing to redraw */
      if (this.legendButton) { this.legendButton.setAttribute('aria-expanded', 'true'); }
      return;
    }
    var update = {};
    var layout = this.gd.layout;
    if (!this.fullTicks && layout.yaxis && layout.yaxis.ticktext) { this.fullTicks = layout.yaxis.ticktext.slice(); }
    if (small) {
      update.showlegend = false;
      if (this.fullTicks && this.meta.short_ticks) {
        update['yaxis.ticktext'] = this.meta.short_ticks;  /* escaped in Python */
      }
      if (layout.margin && layout.margin.autoexpand === false) { update['margin.r'] = 12; update['margin.l'] = 100; }
    } else {
      update.showlegend = true;
      if (this.fullTicks) { update['yaxis.ticktext'] = this.fullTicks; }
    }
    if (this.legendButton) {
      this.legendButton.setAttribute('aria-expanded', small ? 'false' : 'true');
      if (this.legendPanel) { this.legendPanel.hidden = true; }
    }
    if (this.kind === 'network' || this.kind === 'map') { return this.fitDrawing(small); }
    return Plotly.relayout(this.gd, update);
  };

  /* narrow screens: a network or a map as tall as its drawing (no blank band around a small
     picture), its legend under it, actors' names a little smaller */
  View.prototype.fitDrawing = function (small) {
    var gd = this.gd, self = this;
    if (!this.wide) {
      this.wide = {height: gd.layout.height, legend: JSON.parse(JSON.stringify(gd.layout.legend || {})),
                   box: gd.parentNode.style.height};
    }
    var nodes = this.inputs().map(function (t, i) { return (t.meta || {}).kind === 'node' ? i : -1; })
      .filter(function (i) { return i >= 0; });
    if (!small) {
      var wide = {height: this.wide.height, legend: this.wide.legend, showlegend: true};
      if (this.wide.box) { gd.parentNode.style.height = this.wide.box; }
      var undo = nodes.length ? Plotly.restyle(gd, {'textfont.size': 12}, nodes) : Promise.resolve();
      return undo.then(function () { return Plotly.relayout(gd, wide); });
    }
    var legend = {orientation: 'h', x: 0, xanchor: 'left', y: -0.01, yanchor: 'top',
                  itemsizing: 'constant', font: {size: 11}, tracegroupgap: 2};
    var names = nodes.length ? Plotly.restyle(gd, {'textfont.size': 10}, nodes) : Promise.resolve();
    return names.then(function () {
      return Plotly.relayout(gd, {showlegend: true, legend: legend});
    }).then(function () {
      var size = gd._fullLayout._size;
      var ratio = self.drawingRatio();
      if (!ratio) { return null; }
      var height = Math.round(size.t + size.b + size.w * ratio + 8);
      if (height >= gd._fullLayout.height) { return null; }
      gd.parentNode.style.height = height + 'px';  /* the box kept for the figure before it drew */
      return Plotly.relayout(gd, {height: height});
    });
  };

  /* height / width of what a network or a map draws */
  View.prototype.drawingRatio = function () {
    var gd = this.gd;
    if (this.kind === 'map') {
      var frame = gd.querySelector('.geo .bg');
      var r = frame && frame.getBoundingClientRect();
      return r && r.width > 0 ? r.height / r.width : null;
    }
    var lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
    this.inputs().forEach(function (t) {
      ['x', 'y'].forEach(function (axis, k) {
        (t[axis] || []).forEach(function (v) {
          if (typeof v === 'number') { lo[k] = Math.min(lo[k], v); hi[k] = Math.max(hi[k], v); }
        });
      });
    });
    var dx = hi[0] - lo[0], dy = hi[1] - lo[1];
    /* plotly pads the ranges a little, and the names above and below the outer nodes need room */
    return dx > 0 && dy >= 0 ? (dy * 1.08 + dx * 0.12) / (dx * 1.08) : null;
  };

  /* legend clicks act on a whole type (all its traces), and go through the view's state */
  View.prototype.wireLegend = function () {
    var self = this;
    this.gd.on('plotly_legendclick', function (ev) {
      var m = (ev.data[ev.curveNumber] || {}).meta || {};
      var key = m.type || (m.family ? 'family:' + m.family : null);
      if (!key) { return true; }
      self.toggleType(key);
      return false;
    });
    this.gd.on('plotly_legenddoubleclick', function (ev) {
      var m = (ev.data[ev.curveNumber] || {}).meta || {};
      if (!m.type) { return true; }
      self.type = self.type === m.type ? null : m.type;
      if (self.typeSelect) { self.typeSelect.value = self.type || ''; }
      self.apply();
      return false;
    });
  };

  /* ---- URL hash (a page with one timeline) ------------------------------------------------ */

  function writeHash(state) {
    var params = [];
    if (state.x) { params.push('x=' + state.x.join(',')); }
    if (state.lane !== null) { params.push('lane=' + state.lane); }
    if (state.type) { params.push('type=' + encodeURIComponent(state.type)); }
    if (state.hidden.length) { params.push('hide=' + state.hidden.map(encodeURIComponent).join(',')); }
    if (state.actor) { params.push('actor=' + encodeURIComponent(state.actor)); }
    var hash = '#' + params.join('&');
    if (window.location.hash !== hash && window.history && window.history.replaceState) {
      window.history.replaceState(null, '', hash);
    }
  }

  function readHash() {
    var text = window.location.hash.replace(/^#/, '');
    if (!text) { return null; }
    var state = {};
    text.split('&').forEach(function (pair) {
      var i = pair.indexOf('=');
      if (i < 0) { return; }
      var key = pair.slice(0, i), value = pair.slice(i + 1);
      try { value = decodeURIComponent(value); } catch (e) { return; }
      if (key === 'x') { state.x = value.split(','); }
      if (key === 'lane') { state.lane = Number(value); }
      if (key === 'type') { state.type = value; }
      if (key === 'hide') { state.hidden = value.split(','); }
      if (key === 'actor') { state.actor = value; }
    });
    return state;
  }

  /* ---- print: draw each figure at the paper's width ---------------------------------------- */

  var printing = false;
  function forPrint(on) {
    if (on === printing) { return; }
    printing = on;
    Object.keys(views).forEach(function (id) {
      var gd = views[id].gd;
      if (on) {
        views[id].screenWidth = gd.layout.width;
        Plotly.relayout(gd, {width: 700});
      } else {
        Plotly.relayout(gd, {width: views[id].screenWidth || null, autosize: true});
      }
    });
  }
  window.addEventListener('beforeprint', function () { forPrint(true); });
  window.addEventListener('afterprint', function () { forPrint(false); });
  if (window.matchMedia) {
    var media = window.matchMedia('print');
    var onMedia = function (e) { forPrint(e.matches); };
    if (media.addEventListener) { media.addEventListener('change', onMedia); } else if (media.addListener) { media.addListener(onMedia); }
  }

  /* ---- mounting ---------------------------------------------------------------------------- */

  gk.mount = function (divId, options) {
    var gd = document.getElementById(divId);
    if (!gd || !gd.on) { return null; }
    var view = new View(gd);
    views[divId] = view;
    options = options || {};
    view.hash = !!options.hash;
    if (view.kind === 'timeline') {
      view.buildControls();
      view.wireLegend();
    }
    if (view.kind === 'map') { view.wireClusters(); }
    var busy = false;
    gd.on('plotly_afterplot', function () {
      if (busy) { return; }
      busy = true;
      try { declutter(gd); } finally { busy = false; }
    });
    gd.on('plotly_relayout', function () { view.changed(); });
    var resized = null;
    window.addEventListener('resize', function () {
      clearTimeout(resized);
      resized = setTimeout(function () { if (!printing) { view.fit(); } }, 150);
    });
    var ready = Promise.resolve(view.fit());
    var initial = view.hash ? readHash() : null;
    /* the figure is drawn in its first state (overview or not): only a saved state redraws */
    ready = ready.then(function () { return initial ? view.restore(initial) : null; });
    return ready.then(function () {
      declutter(gd);
      view.changed();
      view.mounted = true;
      (waiting[divId] || []).forEach(function (resolve) { resolve(view); });
      delete waiting[divId];
      return view;
    });
  };

  /* a promise of the view of divId once it is drawn (null if the page has no such figure) */
  gk.ready = function (divId) {
    if (views[divId] && views[divId].mounted) { return Promise.resolve(views[divId]); }
    if (!document.getElementById(divId)) { return Promise.resolve(null); }
    return new Promise(function (resolve) { (waiting[divId] = waiting[divId] || []).push(resolve); });
  };

  /* the reader's view (types shown, overview or detail, chosen actor) written into `traces`,
     new data about to replace the figure's (a live update): drawn so at once, apply() then
     finds nothing to restyle */
  gk.prepare = function (divId, traces) {
    var view = views[divId];
    if (!view || !Array.isArray(traces)) { return; }
    var visible, selected;
    view.inputs = function () { return traces; };
    try {
      visible = view.visibility();
      selected = view.selection();
    } finally {
      delete view.inputs;
    }
    var faded = view.actor || view.highlighted;
    traces.forEach(function (t, i) {
      if ((t.visible === undefined ? true : t.visible) !== visible[i]) { t.visible = visible[i]; }
      if (selected[i] !== null) { t.selectedpoints = selected[i]; }
      if (faded) {
        t.unselected = t.unselected || {};
        t.unselected.marker = Object.assign({}, t.unselected.marker, {opacity: 0.12});
        t.unselected.textfont = Object.assign({}, t.unselected.textfont, {color: 'rgba(51,51,51,0.15)'});
      }
    });
  };
  gk.state = function (divId) { return views[divId] ? views[divId].state() : null; };
  gk.restore = function (divId, state) { return views[divId] ? views[divId].restore(state) : null; };
  gk.onchange = function (divId, fn) { if (views[divId]) { views[divId].listeners.push(fn); } };
  gk.filterActor = function (divId, actor) {
    var view = views[divId];
    if (!view) { return null; }
    if (actor && !view.meta.involves) {
      view.showMessage('Filtering by actor needs a timeline drawn without WebGL (at most 2,000 events).', false);
      return Promise.resolve();
    }
    view.actor = actor && view.meta.actors && view.meta.actors[actor] ? actor : null;
    view.highlighted = null;
    return view.apply();
  };
  gk.highlight = function (divId, ids) {
    var view = views[divId];
    if (!view) { return null; }
    view.actor = null;
    view.highlighted = ids && ids.length ? ids.map(String) : null;
    var done = view.apply();
    if (!view.highlighted) { return done; }
    var ax = view.gd._fullLayout.xaxis;
    var lo = Infinity, hi = -Infinity;
    view.traces().forEach(function (t) {
      if (!t.ids || (t.meta || {}).kind !== 'event') { return; }
      for (var i = 0; i < t.ids.length; i++) {
        if (view.highlighted.indexOf(String(t.ids[i])) === -1) { continue; }
        var a = t.type === 'bar' ? ax.d2c(t.base[i]) : ax.d2c(t.x[i]);
        var z = t.type === 'bar' ? a + Number(t.x[i]) : a;
        lo = Math.min(lo, a); hi = Math.max(hi, z);
      }
    });
    if (!isFinite(lo)) { return done; }
    var pad = Math.max((hi - lo) * 0.5, 45 * DAY);
    return done.then(function () { return view.setX(lo - pad, hi + pad); });
  };
  gk.declutter = declutter;
})();
