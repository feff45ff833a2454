// Follows at once the link marked data-autofollow: after the logout form, the browser goes on to
// ProConnect's end-session page. Without JavaScript, the person clicks the link.
(function () {
  "use strict";
  var link = document.querySelector("a[data-autofollow]");
  if (link) {
    window.location.replace(link.href);
  }
})();
