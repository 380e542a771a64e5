/* The lobby screen's script: rotation, clock, night hours, data age, new builds.
   Test hooks: ?now=2020-10-05T10:00 sets the clock, ?seconds=1 the time per page,
   ?poll=1 the polling interval, ?reload=5 the reload timer of a file; window.boardScreen. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("screen-config").textContent);
  var query = new URLSearchParams(location.search);
  var offset = 0;
  if (query.get("now")) {
    var at = Date.parse(query.get("now"));
    if (!isNaN(at)) offset = at - Date.now();
  }
  function number(name, fallback) {
    var value = parseFloat(query.get(name));
    return value > 0 ? value : fallback;
  }
  var seconds = number("seconds", cfg.seconds);
  var body = document.body;
  var stage = document.getElementById("stage");
  var frame = document.getElementById("frame");
  var current = 0, turns = 0, failedSince = null, timer = null;

  function now() { return new Date(Date.now() + offset); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }
  function set(id, text) {
    var el = document.getElementById(id);
    if (el && el.textContent !== String(text)) el.textContent = text;
  }
  function dateLabel(d) {
    return fill(cfg.dateFormat, {
      year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(),
      name: cfg.monthNames[d.getMonth()]
    });
  }
  function hhmm(d) { return pad(d.getHours()) + ":" + pad(d.getMinutes()); }
  function minutes(text) { var p = text.split(":"); return +p[0] * 60 + +p[1]; }
  function isNight(d) {
    if (!cfg.night) return false;
    var range = cfg.night.split("-"), from = minutes(range[0]), to = minutes(range[1]);
    var m = d.getHours() * 60 + d.getMinutes();
    return from <= to ? m >= from && m < to : m >= from || m < to;
  }
  function ageDays(d) {
    var parts = cfg.asOf.split("-");
    var end = new Date(+parts[0], +parts[1] - 1, +parts[2], 23, 59, 59);
    return Math.max(0, Math.floor((d - end) / 86400000) + 1);
  }

  function status(d) {
    var days = ageDays(d), stale = days > cfg.staleDays, text = "";
    var since = failedSince
      ? (failedSince.toDateString() === d.toDateString() ? "" : dateLabel(failedSince) + " ") + hhmm(failedSince)
      : "";
    var values = { days: days, as_of: cfg.asOfLabel, limit: cfg.staleDays, since: since };
    if (failedSince) text = fill(cfg.offline, values);
    else if (stale) text = fill(cfg.stale, values);
    set("banner", text);
    body.classList.toggle("warn", !!text);
    body.classList.toggle("offline", !!failedSince);
    body.classList.toggle("stale", stale);
  }

  function tick() {
    var d = now(), time = hhmm(d) + ":" + pad(d.getSeconds());
    set("clock-time", time);
    set("night-time", hhmm(d));
    set("clock-date", dateLabel(d));
    set("clock-weekday", cfg.weekdays[d.getDay()]);
    body.classList.toggle("night", isNight(d));
    status(d);
  }

  /* the pages were cut at build time; should a font wrap more than planned, move the items
     that do not fit to an extra page rather than cut them off */
  function overflowing(el) {
    return el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
  }
  function refit() {
    var list = Array.prototype.slice.call(document.querySelectorAll(".page"));
    for (var i = 0; i < list.length && list.length < 500; i++) {
      var page = list[i], hidden = page.hidden, moved = [];
      page.hidden = false;
      var fits = page.querySelectorAll(".fit");
      for (var f = 0; f < fits.length; f++) {
        var spill = [];
        while (overflowing(fits[f]) && fits[f].children.length > 1) {
          spill.unshift(fits[f].removeChild(fits[f].lastElementChild));
        }
        moved = moved.concat(spill);
      }
      page.hidden = hidden;
      if (moved.length) {
        var extra = page.cloneNode(true), targets = extra.querySelectorAll(".fit");
        for (var k = 0; k < targets.length; k++) targets[k].innerHTML = "";
        for (var m = 0; m < moved.length; m++) targets[0].appendChild(moved[m]);
        for (var c = targets.length - 1; c > 0; c--) extra.removeChild(targets[c].parentNode);
        extra.hidden = true;
        page.parentNode.insertBefore(extra, page.nextSibling);
        list.splice(i + 1, 0, extra);
      }
    }
  }

  function pages() { return document.querySelectorAll(".page"); }
  function show(index) {
    var all = pages(), n = all.length;
    current = ((index % n) + n) % n;
    for (var i = 0; i < n; i++) all[i].hidden = i !== current;
    set("page-number", current + 1 + "/" + n);
    set("page-title", all[current].getAttribute("data-title"));
  }
  function next() {
    turns += 1;
    var j = cfg.jitter, x = j[turns % j.length], y = j[(turns * 2 + 1) % j.length];
    frame.style.transform = "translate(" + x + "px," + y + "px)";
    show(current + 1);
  }
  function rotate(secs) {
    if (secs) seconds = secs;
    clearInterval(timer);
    timer = setInterval(next, seconds * 1000);
  }

  /* a screen shown on another size than it was built for still shows the whole board */
  function fit() {
    var scale = Math.min(innerWidth / cfg.width, innerHeight / cfg.height);
    stage.style.transform = Math.abs(scale - 1) > 0.01 ? "scale(" + scale + ")" : "";
  }

  /* served over http(s): ask for version.json; reload when a new build is published, but only
     once the new page can be fetched; keep showing this one while the server is down */
  function poll() {
    return fetch("version.json", { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data.version || data.version === cfg.version) {
          failedSince = null;
          return;
        }
        return fetch(location.href, { cache: "no-store" })
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.text();
          })
          .then(function (html) {
            failedSince = null;
            if (html.indexOf(data.version) >= 0) location.reload();
          });
      })
      .catch(function () {
        if (!failedSince) failedSince = now();
      })
      .then(function () { status(now()); });
  }

  window.boardScreen = {
    version: cfg.version,
    show: show,
    next: next,
    rotate: rotate,
    poll: poll,
    refit: refit,
    current: function () { return current; },
    count: function () { return pages().length; },
    now: now
  };

  fit();
  addEventListener("resize", fit);
  refit();
  show(0);
  tick();
  setInterval(tick, 1000);
  rotate();
  if (/^https?:$/.test(location.protocol)) {
    setInterval(poll, number("poll", cfg.poll) * 1000);
  } else if (location.protocol === "file:") {
    setTimeout(function () { location.reload(); }, number("reload", cfg.fileReload) * 1000);
  }
})();
