// « Imprimer ce PASS IAE » on the certificate: a button [data-print] opens the print dialog.
// Without JavaScript the button stays hidden (it has the hidden attribute until this runs) and
// the browser's own print menu does the same.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
