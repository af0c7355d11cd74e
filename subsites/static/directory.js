/* The directory of units (@@don-vi): filter the list as one types. Without this
   script the form filters on the server (?q=), the same way: accents and case
   are ignored. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/\u0111/g, "d").replace(/\u0110/g, "D")
      .toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }

  function count(section, n) {
    var shown = section.querySelector("[data-count]");
    if (shown) { shown.textContent = n; }
    section.hidden = n === 0;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var input = document.querySelector("[data-directory-filter]");
    var status = document.getElementById("directory-status");
    if (!input || !status) { return; }
    var units = Array.prototype.slice.call(document.querySelectorAll(".directory-units li"));
    var total = status.getAttribute("data-total");

    function apply() {
      var query = fold(input.value);
      var shown = 0;
      units.forEach(function (unit) {
        unit.hidden = query !== "" && unit.getAttribute("data-key").indexOf(query) === -1;
        if (!unit.hidden) { shown += 1; }
      });
      document.querySelectorAll(".directory-parent, .directory-kind").forEach(function (section) {
        count(section, section.querySelectorAll(".directory-units li:not([hidden])").length);
      });
      status.textContent = input.getAttribute("data-status")
        .replace("{shown}", shown).replace("{total}", total);
    }

    input.addEventListener("input", apply);
  });
})();
