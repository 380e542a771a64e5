/* The map page's zoom (issue 26): the site's own few lines, no library. The buttons change the
   SVG's viewBox; dragging (mouse, pen or touch) and the arrow keys move the zoomed map. Without
   scripting the whole map shows and the buttons stay hidden. Nothing is fetched. */
(function () {
  "use strict";
  var frame = document.getElementById("map-frame");
  var controls = document.getElementById("map-controls");
  if (!frame || !controls) return;
  var svg = frame.querySelector("svg");
  if (!svg || !svg.viewBox || !svg.viewBox.baseVal) return;
  var full = svg.viewBox.baseVal, W = full.width, H = full.height;
  var view = { x: 0, y: 0, w: W, h: H };
  var MAX = 8;

  function apply() {
    view.w = Math.min(W, Math.max(W / MAX, view.w));
    view.h = view.w * H / W;
    view.x = Math.min(W - view.w, Math.max(0, view.x));
    view.y = Math.min(H - view.h, Math.max(0, view.y));
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) {
      return Math.round(v * 100) / 100;
    }).join(" "));
    frame.classList.toggle("zoomed", view.w < W - 0.5);
  }
  function zoom(factor) {
    var cx = view.x + view.w / 2, cy = view.y + view.h / 2;
    view.w = view.w / factor;
    view.h = view.w * H / W;
    view.x = cx - view.w / 2;
    view.y = cy - view.h / 2;
    apply();
  }
  function pan(dx, dy) {
    view.x += dx * view.w;
    view.y += dy * view.h;
    apply();
  }
  controls.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-zoom]");
    if (!button) return;
    var kind = button.getAttribute("data-zoom");
    if (kind === "in") zoom(1.6);
    else if (kind === "out") zoom(1 / 1.6);
    else { view = { x: 0, y: 0, w: W, h: H }; apply(); }
  });
  controls.addEventListener("keydown", function (event) {
    var step = { ArrowLeft: [-0.2, 0], ArrowRight: [0.2, 0], ArrowUp: [0, -0.2], ArrowDown: [0, 0.2] }[event.key];
    if (!step) return;
    event.preventDefault();
    pan(step[0], step[1]);
  });
  var drag = null;
  svg.addEventListener("pointerdown", function (event) {
    if (view.w >= W - 0.5) return;
    drag = { x: event.clientX, y: event.clientY, moved: false };
    frame.classList.add("dragging");
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var box = svg.getBoundingClientRect();
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) {
      if (!drag.moved && svg.setPointerCapture) svg.setPointerCapture(event.pointerId);
      drag.moved = true;
    }
    drag.x = event.clientX;
    drag.y = event.clientY;
    view.x -= dx * view.w / box.width;
    view.y -= dy * view.h / box.height;
    apply();
  });
  function stop() { drag = null; frame.classList.remove("dragging"); }
  svg.addEventListener("pointerup", stop);
  svg.addEventListener("pointercancel", stop);
  window.boardMap = { zoom: zoom, pan: pan, view: function () { return [view.x, view.y, view.w, view.h]; } };
  controls.hidden = false;
})();
