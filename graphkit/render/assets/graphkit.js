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

  /* ---- the range slider restyles only itself ------------------------------------------------

     plotly.js draws a range slider's miniature (`rangePlot` of the cartesian module) and then
     restyles the whole figure (`Plots.style(gd)`, which calls each trace module's `style(gd)`):
     every marker and label of the main plot a second time, just after `drawData` styled them (a
     draw, a zoom and a slider drag always run drawData, then the slider). With a thousand labels
     that second pass is a fifth of each of them. While the slider draws, the trace modules'
     `style` see the figure through a stand-in whose queries reach only the slider's group, so
     they style what the slider drew and nothing else (the drawn SVG is the same). plotly.js does
     not export these modules: they are reached through a drawn figure (`_fullLayout`), so the
     first draw of a page is plotly's own. `graphkit.sliderStylesAll(true)` turns this off. */
  var sliderScope = null;
  var sliderStylesAll = false;
  function scopedFigure(gd, group) {
    return new Proxy(gd, {
      get: function (target, key) {
        if (key === 'querySelectorAll' || key === 'querySelector') { return group[key].bind(group); }
        var value = target[key];
        return typeof value === 'function' ? value.bind(target) : value;
      }
    });
  }
  function patchRangeSlider(gd) {
    var full = gd._fullLayout;
    if (!full || typeof Proxy !== 'function') { return; }
    (full._basePlotModules || []).forEach(function (m) {
      if (typeof m.rangePlot !== 'function' || m.rangePlot.__gk) { return; }
      var rangePlot = m.rangePlot;
      m.rangePlot = function (figure, plotinfo) {
        var group = plotinfo && plotinfo.plotgroup && plotinfo.plotgroup.node();
        sliderScope = group && !sliderStylesAll ? {gd: figure, as: scopedFigure(figure, group)} : null;
        try { return rangePlot.apply(this, arguments); } finally { sliderScope = null; }
      };
      m.rangePlot.__gk = true;
    });
    (full._modules || []).concat(full._visibleModules || []).forEach(function (m) {
      if (typeof m.style !== 'function' || m.style.__gk) { return; }
      var style = m.style;
      m.style = function (figure) {
        var args = Array.prototype.slice.call(arguments);
        if (sliderScope && figure === sliderScope.gd) { args[0] = sliderScope.as; }
        return style.apply(this, args);
      };
      m.style.__gk = true;
    });
  }
  gk.sliderStylesAll = function (all) { sliderStylesAll = !!all; };

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
    text.__gkMoved = true;
    return {l: r.l + dx, r: r.r + dx, t: r.t, b: r.b};
  }

  /* the part of its row an event's label may take: from its marker to the first thing in the way
     (a label kept before it, another marker, a bar, the plot's edge); null when too little is left */
  var MIN_LABEL_PX = 64;
  function roomOf(label, r, leftwards, box, kept, obstacles, bars) {
    var room = {l: Math.max(r.l, box ? box.left : -Infinity), r: Math.min(r.r, box ? box.right : Infinity)};
    function block(q, own) {
      if (q.t >= r.b || q.b <= r.t || q.r <= room.l || q.l >= room.r) { return; }
      if (leftwards) {
        if (own && q.l >= r.r - 3) { return; }  /* its own marker, just right of the label */
        room.l = Math.max(room.l, q.r + 2);
        if (q.r > r.r - 3) { room.l = Infinity; }
      } else {
        if (own && q.r <= r.l + 3) { return; }  /* its own marker, just left of the label */
        room.r = Math.min(room.r, q.l - 2);
        if (q.l < r.l + 3) { room.r = -Infinity; }
      }
    }
    kept.forEach(function (q) { block(q, false); });
    obstacles.forEach(function (o) { block(o.rect, true); });
    bars.forEach(function (q) { block({l: q.l + 1, r: q.r - 1, t: q.t + 1, b: q.b - 1}, false); });
    if (box && (r.l < box.left - 2) && !leftwards) { return null; }
    if (box && (r.r > box.right + 2) && leftwards) { return null; }
    return room.r - room.l >= Math.min(MIN_LABEL_PX, r.r - r.l) ? room : null;
  }

  /* text cut at a word with "…" to about `room` px, measured by its share of the whole (`width`
     px): no layout per label. Null when fewer than a few words' worth would be left. */
  function shorten(full, width, room) {
    var per = width / Math.max(full.length, 1);
    var n = Math.floor(room * 0.92 / per) - 1;
    if (n < 8) { return null; }
    var head = full.slice(0, n);
    var figures = full.lastIndexOf(' · ');
    if (figures > 0 && figures < n) {  /* a figure is whole or not written: "at least 30…" misleads */
      head = full.slice(0, figures);
    } else {
      var space = head.lastIndexOf(' ');
      if (space > n * 0.6) { head = head.slice(0, space); }
    }
    head = head.replace(/[\s·,;:–—…-]+$/, '') + '…';
    return {text: head, width: head.length * per};
  }

  function declutter(gd) {
    var layer = gd.querySelector('.cartesianlayer');
    if (!layer) { return; }
    var scatter = gd.querySelectorAll('.cartesianlayer .scatterlayer .trace, .geolayer .scatterlayer .trace');
    var labels = [];
    var obstacles = [];
    var bars = [];
    var nodes = [];
    var size = gd._fullLayout && gd._fullLayout._size;
    var outer = gd.getBoundingClientRect();
    var box = size ? {left: outer.left + size.l, right: outer.left + size.l + size.w} : null;
    var frame = gd.querySelector('.geo .bg');  /* a map: its names stay inside the drawn map */
    var geo = frame ? rectOf(frame) : null;
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
    scatter.forEach(function (group) {
      var data = group.__data__;
      var trace = data && data[0] && data[0].trace;
      if (!trace || trace.visible !== true) { return; }
      var meta = trace.meta || {};
      var texts = [];
      group.querySelectorAll('text').forEach(function (text) {
        if (meta.kind === 'cluster') { return; }  /* a count written on its own marker */
        var d = text.parentNode.__data__;
        if (!d || !text) { return; }
        text.style.display = '';
        if (text.__gkMoved) { text.removeAttribute('transform'); text.__gkMoved = false; }  /* see offBar */
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
      if (meta.kind === 'event' || meta.kind === 'planned' || meta.kind === 'cluster') {
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
                     actor: meta.kind === 'node' ? t.d.i : null,
                     timed: meta.kind === 'event' || meta.kind === 'planned'});
      });
    });
    labels.sort(function (a, b) { return a.rank - b.rank || a.x - b.x; });
    var kept = [];
    var dropped = 0;
    var cuts = [];
    labels.forEach(function (label) {
      var r = label.rect;
      var anchor = label.node.getAttribute('text-anchor');
      if (label.timed && (anchor === 'start' || anchor === 'end')) {
        /* an event's label is shortened to the room its row leaves (its hover says it all) */
        var room = roomOf(label, r, anchor === 'end', box, kept, obstacles, bars);
        if (room && room.r - room.l < r.r - r.l) {
          var cut = shorten(label.node.textContent, (r.r - r.l), room.r - room.l);
          if (cut) {
            var wide = cut.width;
            r = anchor === 'end' ? {l: r.r - wide, r: r.r, t: r.t, b: r.b} : {l: r.l, r: r.l + wide, t: r.t, b: r.b};
            label.node.__gkFull = label.node.textContent;
            label.node.textContent = label.node.__gkCut = cut.text;
            cuts.push({label: label, room: room});
          } else { room = null; }
        }
        if (!room) {
          label.node.style.display = 'none';
          dropped++;
        } else { kept.push(r); }
        return;
      }
      // a label is whole and inside the plot, or not drawn (bars' labels were shortened to fit)
      var hidden = box && (r.l < box.left - 2 || (label.edge && r.r > box.right + 2));
      if (geo && !hidden) { hidden = r.l < geo.l - 1 || r.r > geo.r + 1 || r.t < geo.t - 1 || r.b > geo.b + 1; }
      for (var i = 0; !hidden && i < kept.length; i++) { hidden = overlaps(r, kept[i]); }
      for (var j = 0; !hidden && j < obstacles.length; j++) {
        var o = obstacles[j].rect;
        // its own marker sits just left of the label: ignore what only touches its left edge
        if (o.r <= r.l + 3) { continue; }
        hidden = overlaps(r, o);
      }
      for (var k = 0; !hidden && label.actor !== null && label.rank >= 8 && k < nodes.length; k++) {
        hidden = nodes[k].i !== label.actor && overlaps(r, nodes[k]);
      }
      if (hidden) {
        label.node.style.display = 'none';
        if (label.event) { dropped++; }
      } else { kept.push(r); }
    });
    /* the shortened labels were measured by their share of the whole: one read checks that each
       keeps to its room (a wider one is left out; it only frees room) */
    cuts.map(function (c) { return rectOf(c.label.node); }).forEach(function (q, i) {
      var room = cuts[i].room;
      if (q.l < room.l - 1 || q.r > room.r + 1) {
        cuts[i].label.node.style.display = 'none';
        dropped++;
      }
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
    this.fillList();
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
      if (this.kind === 'network') { return this.fitDrawing(false); }
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
      if (this.kind === 'network') {
        undo = undo.then(function () { return self.reshape(false); })
          .then(function () { return self.placeNames(false); });
      } else if (this.placeSizes) {
        undo = undo.then(function () { return self.holdPlaceNames(false); });
      }
      return undo.then(function () { return Plotly.relayout(gd, wide); }).then(function () {
        /* as tall as the window allows when the drawing is held by the height (no blank band
           under a drawing that could have been larger) */
        var size = gd._fullLayout._size;
        var ratio = self.drawingRatio();
        var section = gd.closest('.gk-view') || gd.parentNode;
        var above = gd.parentNode.getBoundingClientRect().top - section.getBoundingClientRect().top;
        var room = window.innerHeight - above - 8;
        if (!ratio || room <= gd._fullLayout.height) { return null; }
        var height = Math.round(Math.min(room, size.t + size.b + size.w * ratio + 8));
        if (height <= gd._fullLayout.height) { return null; }
        gd.parentNode.style.height = height + 'px';
        return Plotly.relayout(gd, {height: height});
      });
    }
    var legend = {orientation: 'h', x: 0, xanchor: 'left', y: -0.01, yanchor: 'top',
                  itemsizing: 'constant', font: {size: 11}, tracegroupgap: 2};
    var names = nodes.length ? Plotly.restyle(gd, {'textfont.size': 10}, nodes) : Promise.resolve();
    if (this.kind === 'network') { names = names.then(function () { return self.reshape(true); }); }
    return names.then(function () {
      return Plotly.relayout(gd, {showlegend: true, legend: legend});
    }).then(function () {
      var size = gd._fullLayout._size;
      var ratio = self.drawingRatio();
      if (!ratio) { return null; }
      var height = Math.round(size.t + size.b + size.w * ratio + 8);
      if (height >= gd._fullLayout.height && !(self.stretch > 1)) { return null; }
      gd.parentNode.style.height = height + 'px';  /* the box kept for the figure before it drew */
      return Plotly.relayout(gd, {height: height});
    }).then(function () {
      return self.kind === 'network' ? self.placeNames(true) : self.holdPlaceNames(true);
    });
  };

  /* a map's place names are held off their place's drawing by an invisible marker sized for a
     1,000 px wide map (geo.py): a smaller map draws the rings of markers smaller, so the names
     come closer */
  View.prototype.holdPlaceNames = function (small) {
    var gd = this.gd;
    var index = this.inputs().findIndex(function (t) { return (t.meta || {}).kind === 'place'; });
    if (index < 0) { return null; }
    var t = this.inputs()[index];
    if (!this.placeSizes) { this.placeSizes = Array.prototype.slice.call((t.marker || {}).size || []); }
    var frame = gd.querySelector('.geo .bg');
    var width = frame ? frame.getBoundingClientRect().width : 1000;
    var scale = small ? Math.min(1, Math.max(width / 1000, 0.3)) : 1;
    var sizes = this.placeSizes.map(function (v) { return Math.max(v * scale, Math.min(v, 14)); });
    return Plotly.restyle(gd, {'marker.size': [sizes]}, [index]);
  };

  /* a narrow network's names placed again at the size it is drawn: beside their node (above,
     below, right, left, then above or below reaching one way), inside the plot, over no name placed before (the most central first)
     and, but for the 8 most central, over no other node; the page's declutter then hides what
     still meets something. A wide screen gets the places chosen in Python back. */
  View.prototype.placeNames = function (small) {
    var gd = this.gd;
    var index = this.inputs().findIndex(function (t) { return (t.meta || {}).kind === 'node'; });
    if (index < 0) { return null; }
    var t = this.inputs()[index];
    if (!this.plainSides) {
      this.plainSides = Array.isArray(t.textposition) ? t.textposition.slice() : t.textposition;
    }
    var short = (t.meta || {}).short;
    if (!this.plainTexts) { this.plainTexts = Array.prototype.slice.call(t.text || []); }
    if (!small) {
      return Plotly.restyle(gd, {textposition: [this.plainSides], text: [this.plainTexts]}, [index]);
    }
    var texts = this.plainTexts.map(function (name, i) { return name && short && short[i] ? short[i] : name; });
    var xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, size = gd._fullLayout._size;
    var n = (t.x || []).length, rank = (t.meta || {}).rank || [];
    var sizes = (t.marker || {}).size;
    var circles = [], order = [];
    for (var i = 0; i < n; i++) {
      var d = Array.isArray(sizes) ? sizes[i] : (sizes || 8);
      circles.push({x: xa.l2p(t.x[i]), y: ya.l2p(t.y[i]), r: d / 2 + 1});
      order.push(i);
    }
    order.sort(function (a, b) { return (rank[a] || 0) - (rank[b] || 0); });
    var font = ((t.textfont || {}).size) || 10;
    var placed = [], sides = [];
    order.forEach(function (i, k) {
      var c = circles[i], name = String(texts[i] || '');
      sides[i] = Array.isArray(this.plainSides) ? this.plainSides[i] : 'top center';
      if (!name) { return; }
      var w = name.length * font * 0.56 + 4, h = font + 4, r = c.r - 1;
      var options = [
        ['top center', {l: c.x - w / 2, r: c.x + w / 2, t: c.y - r - 2 - h, b: c.y - r - 2}],
        ['bottom center', {l: c.x - w / 2, r: c.x + w / 2, t: c.y + r + 2, b: c.y + r + 2 + h}],
        ['middle right', {l: c.x + r + 3, r: c.x + r + 3 + w, t: c.y - h / 2, b: c.y + h / 2}],
        ['middle left', {l: c.x - r - 3 - w, r: c.x - r - 3, t: c.y - h / 2, b: c.y + h / 2}],
        ['top left', {l: c.x - w, r: c.x, t: c.y - r - 2 - h, b: c.y - r - 2}],
        ['top right', {l: c.x, r: c.x + w, t: c.y - r - 2 - h, b: c.y - r - 2}],
        ['bottom left', {l: c.x - w, r: c.x, t: c.y + r + 2, b: c.y + r + 2 + h}],
        ['bottom right', {l: c.x, r: c.x + w, t: c.y + r + 2, b: c.y + r + 2 + h}]
      ];
      for (var o = 0; o < options.length; o++) {
        var q = options[o][1];
        if (q.l < 0 || q.r > size.w || q.t < -size.t + 4 || q.b > size.h) { continue; }
        if (placed.some(function (p) { return overlaps(p, q); })) { continue; }
        if (k >= 8 && circles.some(function (e, j) {
          return j !== i && e.x + e.r > q.l && e.x - e.r < q.r && e.y + e.r > q.t && e.y - e.r < q.b;
        })) { continue; }
        sides[i] = options[o][0];
        placed.push(q);
        break;
      }
    }, this);
    return Plotly.restyle(gd, {textposition: [sides], text: [texts]}, [index]);
  };

  /* a network on a narrow screen: drawn wider than tall, it stands up (a quarter turn, its long
     axis down the phone); then it is stretched down to a portrait shape, so the names, written
     across, get the room they need (a network's layout has no meaning in its distances: the same
     links, the same neighbours). Arrowheads turn with the links. A wide screen gets it back. */
  var PORTRAIT = 1.5;
  View.prototype.reshape = function (small) {
    var gd = this.gd;
    if (!this.plain) {
      this.plain = this.inputs().map(function (t) {
        var a = t.marker && t.marker.angle;
        return {x: Array.prototype.slice.call(t.x || []), y: Array.prototype.slice.call(t.y || []),
                angle: Array.isArray(a) ? a.slice() : null};
      });
    }
    var lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
    this.plain.forEach(function (t) {
      ['x', 'y'].forEach(function (axis, k) {
        t[axis].forEach(function (v) {
          if (typeof v === 'number') { lo[k] = Math.min(lo[k], v); hi[k] = Math.max(hi[k], v); }
        });
      });
    });
    var dx = hi[0] - lo[0], dy = hi[1] - lo[1];
    var turn = small && dx > dy * 1.15;
    var ratio = turn ? dx / dy : dy / dx;
    var stretch = small && ratio > 0 && isFinite(ratio) ? Math.max(1, Math.min(PORTRAIT / ratio, 2)) : 1;
    if (!!this.turned === turn && (this.stretch || 1) === stretch) { return Promise.resolve(); }
    this.turned = turn;
    this.stretch = stretch;
    var xs = [], ys = [], all = [], angles = [], withAngles = [];
    function num(f) { return function (v) { return typeof v === 'number' ? f(v) : v; }; }
    this.plain.forEach(function (t, i) {
      /* standing up: (x, y) -> (-y, x) */
      xs.push(turn ? t.y.map(num(function (v) { return -v; })) : t.x);
      ys.push(turn ? t.x : t.y);
      all.push(i);
      if (t.angle) {
        withAngles.push(i);
        angles.push(t.angle.map(num(function (d) {
          var r = (d - (turn ? 90 : 0)) * Math.PI / 180;  /* clockwise from north */
          return Math.round(Math.atan2(Math.sin(r), Math.cos(r) * stretch) * 1800 / Math.PI) / 10;
        })));
      }
    });
    var done = Plotly.restyle(gd, {x: xs, y: ys}, all);
    if (withAngles.length) {
      done = done.then(function () { return Plotly.restyle(gd, {'marker.angle': angles}, withAngles); });
    }
    return done.then(function () {
      return Plotly.relayout(gd, {'yaxis.scaleanchor': stretch === 1 ? 'x' : null});
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
    var dx = hi[0] - lo[0], dy = (hi[1] - lo[1]) * (this.stretch || 1);
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

  /* ---- events in view: the timeline's events in words, under it, following zoom and filters --- */

  var LIST_MAX = 100;

  /* the title, date (as written) and other lines of an event's hover text (escaped in Python:
     parsed inertly, read back as text only) */
  function hoverParts(html) {
    if (typeof html !== 'string' || !html) { return null; }
    var doc = new DOMParser().parseFromString(html.replace(/<br\s*\/?>/gi, '\n'), 'text/html');
    var bold = doc.querySelector('b');
    var title = bold ? bold.textContent.replace(/\s*\n\s*/g, ' ').trim() : '';
    if (bold) { bold.parentNode.removeChild(bold); }
    var lines = doc.body.textContent.split('\n').map(function (l) { return l.trim(); })
      .filter(function (l) { return l; });
    var when = '';
    lines.some(function (l) {
      var m = l.match(/^date: (.+)$/);
      if (m) {  /* as written, without the precision's explanation */
        when = m[1].replace(/ \([^)]*\)/g, '').replace(/^one moment between (\S+) and (\S+)$/, '$1 – $2')
          .replace(/^lasted from /, 'from ');
      }
      return !!m;
    });
    if (!when && lines.length) {  /* brief hovers: "Type · id · date" */
      lines[0].split(' · ').some(function (part) {
        if (/^\d{4}(-\d\d)*\b/.test(part)) { when = part.replace(/ \([a-z ]+\)$/, ''); }
        return !!when;
      });
    }
    return {title: title, when: when, lines: lines};
  }

  View.prototype.buildList = function () {
    var plot = this.gd.parentNode, self = this;
    var box = el('details', {'class': 'gk-inview', id: this.id + '-inview'});
    this.listSummary = el('summary', {}, 'Events in view');
    this.list = el('ol', {});
    box.appendChild(this.listSummary);
    box.appendChild(this.list);
    plot.parentNode.insertBefore(box, plot.nextSibling);
    box.open = narrow(this.gd);  /* a phone reads the list; a desktop reads the labels */
    box.addEventListener('toggle', function () { if (box.open) { self.fillList(); } });
    this.listBox = box;
  };

  /* the events in the x range (visible types, chosen actor): all up to LIST_MAX, else the
     LIST_MAX that rank first (titled, with figures), in date order; each opens to its details */
  View.prototype.fillList = function () {
    if (!this.listBox || !this.listBox.open) { return; }
    var list = this.list, self = this;
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (this.mode === 'overview') {
      this.listSummary.textContent = 'Events in view: zoom in to list them';
      return;
    }
    var range = this.xrange(), lo = range[0], hi = range[1];
    var ax = this.gd._fullLayout.xaxis;
    var involves = this.meta.involves || {};
    var found = [], seen = {};
    this.traces().forEach(function (t) {
      var m = t.meta || {};
      if (t.visible !== true || m.kind !== 'event' || t.hoverinfo === 'skip' || !t.ids) { return; }
      var n = (t.x || []).length;
      for (var i = 0; i < n; i++) {
        var a = ax.d2c(t.type === 'bar' ? t.base[i] : t.x[i]);
        var z = t.type === 'bar' ? a + Number(t.x[i]) : a;
        var id = String(t.ids[i]);
        if (z < lo || a > hi || seen[id]) { continue; }
        if (self.actor && (involves[id] || []).indexOf(self.actor) === -1) { continue; }
        seen[id] = true;
        var colour = t.marker && (Array.isArray(t.marker.color) ? t.marker.color[i] : t.marker.color);
        found.push({t: t, i: i, at: a, rank: m.rank ? m.rank[i] : 5, colour: colour});
      }
    });
    var total = found.length;
    if (total > LIST_MAX) {
      found.sort(function (p, q) { return p.rank - q.rank || q.at - p.at; });
      found = found.slice(0, LIST_MAX);
    }
    found.sort(function (p, q) { return p.at - q.at; });
    this.listSummary.textContent = total > LIST_MAX
      ? 'Events in view: ' + total + ' (the ' + LIST_MAX + ' with titles or figures first; zoom in for all)'
      : 'Events in view: ' + total;
    found.forEach(function (f) {
      var hover = f.t.hovertext;
      var parts = hoverParts(Array.isArray(hover) || (hover && typeof hover === 'object') ? hover[f.i] : hover);
      var text = f.t.text;
      var label = Array.isArray(text) || (text && typeof text === 'object') ? text[f.i] : text;
      var title = (parts && parts.title) || (label ? String(label) : String(f.t.ids[f.i]));
      var item = el('li', {'data-id': String(f.t.ids[f.i])});
      var button = el('button', {type: 'button', 'aria-expanded': 'false'});
      var swatch = el('span', {'class': 'gk-swatch'});
      if (typeof f.colour === 'string') { swatch.style.background = f.colour; }
      button.appendChild(swatch);
      button.appendChild(el('span', {'class': 'gk-when'}, (parts && parts.when) || isoDay(f.at)));
      button.appendChild(el('span', {'class': 'gk-what'}, title));
      item.appendChild(button);
      var more = el('div', {'class': 'gk-more', hidden: ''});
      ((parts && parts.lines) || []).forEach(function (l) { more.appendChild(el('div', {}, l)); });
      item.appendChild(more);
      button.addEventListener('click', function () {
        var open = more.hidden;
        more.hidden = !open;
        button.setAttribute('aria-expanded', open ? 'true' : 'false');
      });
      list.appendChild(item);
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
      view.buildList();
      view.wireLegend();
    }
    if (view.kind === 'map') { view.wireClusters(); }
    var busy = false;
    patchRangeSlider(gd);
    gd.on('plotly_afterplot', function () {
      patchRangeSlider(gd);  /* a trace type drawn for the first time */
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
