/* The web session's CSRF token: every htmx request that changes something sends it as the
 * X-CSRF-Token header (forms carry it as the csrf_token field). The token comes from the
 * <meta name="csrf-token"> of pages rendered for a signed-in user; see api/auth.py. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (!meta) {
    return;
  }
  var token = meta.getAttribute("content");
  document.addEventListener("htmx:configRequest", function (event) {
    var verb = (event.detail.verb || "").toUpperCase();
    if (verb !== "GET" && verb !== "HEAD") {
      event.detail.headers["X-CSRF-Token"] = token;
    }
  });
  window.transcaspianCsrfToken = token;
})();
