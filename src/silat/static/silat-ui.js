/* SILAT layout behaviour, loaded at the end of every page (no inline
   scripts: the Content-Security-Policy forbids them).
   - the menu button opens and closes the collapsed menu on small screens;
   - each table cell gets its column's heading as data-label, so that on
     phones the rows reflow into labelled cards (see silat.css). */
(function () {
  "use strict";

  function setupMenu() {
    var buttons = document.querySelectorAll(".silat-menu-toggle");
    Array.prototype.forEach.call(buttons, function (button) {
      var menu = document.getElementById(button.getAttribute("aria-controls"));
      if (!menu) { return; }
      button.addEventListener("click", function () {
        var open = menu.classList.toggle("show");
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && menu.classList.contains("show")) {
          menu.classList.remove("show");
          button.setAttribute("aria-expanded", "false");
          button.focus();
        }
      });
    });
  }

  function labelTableCells() {
    var tables = document.querySelectorAll("main table");
    Array.prototype.forEach.call(tables, function (table) {
      var headings = table.querySelectorAll("thead th");
      if (!headings.length) { return; }
      var labels = Array.prototype.map.call(headings, function (th) {
        return th.textContent.replace(/\s+/g, " ").trim();
      });
      table.classList.add("silat-reflow");
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (!cell.hasAttribute("data-label") && labels[column]) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }

  /* deform draws no label for the items of a sequence (e.g. the photo
     slots of an inspection): name each after its sequence's title. */
  function labelSequenceItems() {
    var sequences = document.querySelectorAll(".deform-seq");
    Array.prototype.forEach.call(sequences, function (sequence) {
      var item = sequence.closest("[id^=item-]");
      var label = item && item.querySelector("label, legend");
      var title = label ? label.textContent.replace(/\s+/g, " ").trim() : "";
      var fields = sequence.querySelectorAll("input:not([type=hidden]), select, textarea");
      Array.prototype.forEach.call(fields, function (field, index) {
        if ((field.labels && field.labels.length) || field.hasAttribute("aria-label")) { return; }
        field.setAttribute("aria-label", (title || field.name) + " " + (index + 1));
      });
    });
  }

  function ready() {
    setupMenu();
    labelTableCells();
    labelSequenceItems();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
}());
