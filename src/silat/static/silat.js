/* SILAT page behaviour without inline scripts (Content-Security-Policy):
   run deform's widget set-up once, make [data-silat-print] buttons print,
   and bind deform's sequence add/remove buttons (their onclick is removed
   from SILAT's copies of deform's sequence templates). */
(function () {
  "use strict";
  if (window.deform && typeof window.deform.load === "function") {
    window.deform.load();
  }
  document.addEventListener("click", function (event) {
    var add = event.target.closest(".deform-seq-add");
    var remove = event.target.closest(".deform-close-button");
    if (add && window.deform) {
      event.preventDefault();
      window.deform.appendSequenceItem(add);
    } else if (remove && window.deform) {
      event.preventDefault();
      window.deform.removeSequenceItem(remove);
    }
  });
  document.querySelectorAll("[data-silat-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
}());
