// Keeps the keyboard focus in the page after an htmx swap (RGAA 7.1, 12.8). htmx itself puts the
// focus back on the element of the same id (a filter checkbox, the radius, « Appliquer les
// filtres ») and on an [autofocus] element it brings (an error summary). When the focused control
// is gone (a pagination link), the focus would fall to the body and the next Tab land in the
// footer: it goes to the swapped content's [data-swap-focus] element instead (the results heading).
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function () {
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    var landing = document.querySelector("[data-swap-focus]");
    if (landing) landing.focus();
  });
})();
