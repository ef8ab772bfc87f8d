// damage_data web page: tooltips on the map, sortable table. Reading needs no script.
(function () {
  "use strict";
  var svg = document.querySelector("svg.map");
  var tip = document.getElementById("dd-tip");
  var hl = document.getElementById("dd-hl");
  if (svg && tip && hl) {
    var wrap = svg.parentNode;
    var fields = ["destroyed", "damaged", "total", "as-of", "source"];
    var units = svg.querySelectorAll(".unit");
    // the custom tooltip replaces the browser's own (kept in <title> for reading without script)
    Array.prototype.forEach.call(units, function (u) {
      var t = u.querySelector("title");
      if (t) { u.removeChild(t); }
    });
    var unitOf = function (el) {
      if (el.classList.contains("dot")) { return document.getElementById(el.getAttribute("data-for")); }
      return el;
    };
    var show = function (u, x, y) {
      while (tip.firstChild) { tip.removeChild(tip.firstChild); }
      var name = document.createElement("div");
      name.className = "name";
      name.textContent = u.getAttribute("data-name");
      tip.appendChild(name);
      var dl = document.createElement("dl");
      if (u.getAttribute("data-status") === "no-reports") {
        var p = document.createElement("div");
        p.textContent = svg.getAttribute("data-l-no-reports");
        tip.appendChild(p);
      } else {
        fields.forEach(function (f) {
          var v = u.getAttribute("data-" + f);
          if (v === null) { return; }
          var dt = document.createElement("dt");
          dt.textContent = svg.getAttribute("data-l-" + f);
          var dd = document.createElement("dd");
          dd.textContent = v === "" ? svg.getAttribute("data-l-not-stated") : v;
          dd.setAttribute("data-field", f);
          dl.appendChild(dt);
          dl.appendChild(dd);
        });
        tip.appendChild(dl);
      }
      hl.setAttribute("d", u.getAttribute("d"));
      tip.hidden = false;
      var box = wrap.getBoundingClientRect();
      var w = tip.offsetWidth, h = tip.offsetHeight;
      var left = x - box.left + 14, top = y - box.top + 14;
      if (left + w > box.width) { left = x - box.left - w - 14; }
      if (top + h > box.height) { top = y - box.top - h - 14; }
      tip.style.left = Math.max(0, left) + wrap.scrollLeft + "px";
      tip.style.top = Math.max(0, top) + "px";
    };
    var hide = function () { tip.hidden = true; hl.setAttribute("d", ""); };
    var centre = function (el) {
      var r = el.getBoundingClientRect();
      return [r.left + r.width / 2, r.top + r.height / 2];
    };
    var point = function (ev) {
      var el = ev.target;
      if (el.classList && (el.classList.contains("unit") || el.classList.contains("dot"))) {
        show(unitOf(el), ev.clientX, ev.clientY);
      }
    };
    svg.addEventListener("pointermove", point);
    svg.addEventListener("pointerdown", point); // a tap on a touch screen
    svg.addEventListener("pointerleave", hide);
    svg.addEventListener("focusin", function (ev) {
      var el = ev.target;
      if (el.classList && el.classList.contains("unit")) {
        var c = centre(el);
        show(el, c[0], c[1]);
      }
    });
    svg.addEventListener("focusout", hide);
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { hide(); } });
    svg.addEventListener("keydown", function (ev) {
      var el = ev.target;
      if ((ev.key === "Enter" || ev.key === " ") && el.getAttribute && el.getAttribute("data-row")) {
        ev.preventDefault();
        location.hash = el.getAttribute("data-row");
      }
    });
  }
  // sortable table: buttons in the column headings
  var table = document.getElementById("dd-summary");
  if (table) {
    var body = table.querySelector("tbody.units");
    var heads = table.querySelectorAll("thead th");
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = th.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var numeric = th.getAttribute("data-type") === "num";
        var current = th.getAttribute("aria-sort");
        var dir;
        if (current === "descending") { dir = "ascending"; }
        else if (current === "ascending") { dir = "descending"; }
        else { dir = numeric ? "descending" : "ascending"; }
        var sign = dir === "ascending" ? 1 : -1;
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) { return row.cells[index].getAttribute("data-sort") || ""; };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (x === "" || y === "") { return (x === "") - (y === ""); } // not stated: always last
          if (numeric) { return sign * (parseFloat(x) - parseFloat(y)); }
          return sign * x.localeCompare(y, document.documentElement.lang);
        });
        rows.forEach(function (row) { body.appendChild(row); });
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir);
      });
    });
  }
})();
