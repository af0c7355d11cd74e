/* cong: small enhancements; every page works without this file. */
(function () {
  "use strict";

  function closeMenus(except) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (menu !== except) { menu.removeAttribute("open"); }
    });
  }

  // Drop-down menus (<details class="menu">): one open at a time; Escape or a click
  // elsewhere closes them.
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest("details.menu"));
    // A button marked data-print prints the page (no inline handlers: see the
    // Content-Security-Policy in core/csp.py).
    if (event.target.closest("button[data-print]")) { window.print(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector("details.menu[open]");
    if (open) {
      open.removeAttribute("open");
      open.querySelector("summary").focus();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    // A refused form: take the keyboard to the list of errors.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }

    // Contents table: a "select all" box in the header.
    var table = document.querySelector("table.contents");
    var head = table && table.querySelector("thead .select-col");
    if (head) {
      var all = document.createElement("input");
      all.type = "checkbox";
      all.setAttribute("aria-label", head.getAttribute("data-select-all"));
      var boxes = table.querySelectorAll("tbody input[name='ids']");
      all.addEventListener("change", function () {
        boxes.forEach(function (box) { box.checked = all.checked; });
      });
      head.appendChild(all);
    }
  });
})();
