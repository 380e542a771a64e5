/* Filters and sorting for the board table: progressive enhancement only. Without this script
   the whole table is there in board order. Labels come from data- attributes of the form. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("board");
  if (!form || !table || !table.tBodies.length) {
    return;
  }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var count = document.getElementById("filter-count");
  var sortSelect = document.getElementById("f-sort");
  var collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true });
  var sortState = { index: -1, descending: false };

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (cell.hasAttribute("data-value")) {
      return cell.getAttribute("data-value");
    }
    return cell.textContent.trim();
  }

  function applyFilters() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = selects.every(function (select) {
        return !select.value || row.getAttribute("data-" + select.getAttribute("data-filter")) === select.value;
      });
      row.hidden = !visible;
      if (visible) {
        shown += 1;
      }
    });
    count.textContent = form.getAttribute("data-showing")
      .replace("{shown}", String(shown))
      .replace("{total}", String(rows.length));
  }

  function applySort() {
    var index = sortState.index;
    var sorted = rows.slice();
    if (index >= 0) {
      var number = /^-?\d+(\.\d+)?$/;
      sorted.sort(function (a, b) {
        var x = cellValue(a, index);
        var y = cellValue(b, index);
        var order = number.test(x) && number.test(y) ? Number(x) - Number(y) : collator.compare(x, y);
        if (order === 0) {
          order = Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
          return order;
        }
        return sortState.descending ? -order : order;
      });
    } else {
      sorted.sort(function (a, b) {
        return Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
      });
    }
    var fragment = document.createDocumentFragment();
    sorted.forEach(function (row) { fragment.appendChild(row); });
    body.appendChild(fragment);
    var wanted = index >= 0 ? index + ":" + (sortState.descending ? "desc" : "asc") : "";
    var known = Array.prototype.some.call(sortSelect.options, function (o) { return o.value === wanted; });
    sortSelect.value = known ? wanted : "";
    headers.forEach(function (th, i) {
      var arrow = th.querySelector(".arrow");
      if (!arrow) {
        return;
      }
      if (i === index) {
        th.setAttribute("aria-sort", sortState.descending ? "descending" : "ascending");
        arrow.textContent = sortState.descending ? "▼" : "▲";
      } else {
        th.removeAttribute("aria-sort");
        arrow.textContent = "";
      }
    });
  }

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, i) {
    if (!th.hasAttribute("data-sort")) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent.trim();
    var arrow = document.createElement("span");
    arrow.className = "arrow";
    arrow.setAttribute("aria-hidden", "true");
    button.appendChild(arrow);
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      if (sortState.index === i) {
        sortState.descending = !sortState.descending;
      } else {
        sortState.index = i;
        sortState.descending = false;
      }
      applySort();
    });
  });

  selects.forEach(function (select) {
    select.addEventListener("change", applyFilters);
  });
  sortSelect.addEventListener("change", function () {
    var parts = sortSelect.value.split(":");
    sortState = sortSelect.value
      ? { index: Number(parts[0]), descending: parts[1] === "desc" }
      : { index: -1, descending: false };
    applySort();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  form.addEventListener("reset", function () {
    window.setTimeout(function () {
      sortState = { index: -1, descending: false };
      applySort();
      applyFilters();
    }, 0);
  });
  form.hidden = false;
  applyFilters();
}());
