// Speerpunt: progressive enhancement only (every page works without JavaScript).
(function () {
  "use strict";
  // Phone menu.
  var toggle = document.querySelector(".menu-toggle"), nav = document.getElementById("nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Filters submit themselves when a select changes (the submit button stays for keyboard users).
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (el) {
    el.addEventListener("change", function () { el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit(); });
  });
  // Sortable tables: header buttons, numbers compared as numbers (data-sort holds the raw value).
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      var label = th.textContent;
      var btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = label;
      th.textContent = "";
      th.appendChild(btn);
      btn.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows).filter(function (r) { return !r.classList.contains("total"); });
        var fixed = Array.prototype.slice.call(body.rows).filter(function (r) { return r.classList.contains("total"); });
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          if (typeof x === "number" && typeof y === "number") return asc ? x - y : y - x;
          return asc ? String(x).localeCompare(String(y)) : String(y).localeCompare(String(x));
        });
        rows.concat(fixed).forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  function key(cell) {
    if (!cell) return "";
    var raw = cell.getAttribute("data-sort");
    if (raw !== null && raw !== "" && !isNaN(Number(raw))) return Number(raw);
    if (raw === "") return -Infinity;
    return cell.textContent.trim();
  }
  // Map layers: checkboxes show or hide the SVG groups they name.
  document.querySelectorAll("input[data-layer]").forEach(function (box) {
    var apply = function () {
      document.querySelectorAll("[data-layer-group='" + box.getAttribute("data-layer") + "']").forEach(function (g) {
        g.classList.toggle("hidden-layer", !box.checked);
      });
    };
    box.addEventListener("change", apply);
    apply();
  });
  // Report downloads take a while: say so until the browser has the file (a cookie-free heuristic:
  // the page keeps focus while the download runs, and the message clears after a minute at most).
  document.querySelectorAll("a[data-busy]").forEach(function (a) {
    a.addEventListener("click", function () {
      var note = document.querySelector("[data-testid='report-wait']");
      if (!note) return;
      note.textContent = a.getAttribute("data-busy");
      a.setAttribute("aria-busy", "true");
      setTimeout(function () { a.removeAttribute("aria-busy"); }, 60000);
    });
  });
  // Confirm destructive buttons.
  document.querySelectorAll("button[data-confirm]").forEach(function (b) {
    b.addEventListener("click", function (e) { if (!window.confirm(b.getAttribute("data-confirm"))) e.preventDefault(); });
  });
})();
