// Mobilise: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Forms that ask before a destructive action (no inline handlers: the CSP forbids them).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches(".confirm-submit") && !window.confirm(form.dataset.confirm || "Are you sure?")) {
      event.preventDefault();
    }
  });

  // A failing htmx request shows a plain message instead of failing silently. The server
  // answers a failing htmx request with a small fragment ([data-htmx-error], see
  // mobilise/middleware.py); only its text is used, so nothing from the response runs or renders.
  function showHtmxError(message) {
    var banner = document.getElementById("htmx-error");
    if (!banner) { return; }
    if (banner.dataset.defaultMessage === undefined) { banner.dataset.defaultMessage = banner.textContent.trim(); }
    banner.textContent = message || banner.dataset.defaultMessage;
    banner.hidden = false;
  }
  function messageFrom(xhr) {
    if (!xhr || !xhr.responseText || !window.DOMParser) { return ""; }
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var fragment = doc.querySelector("[data-htmx-error]");
    return fragment ? fragment.textContent.trim() : "";
  }
  document.addEventListener("htmx:responseError", function (event) {
    showHtmxError(messageFrom(event.detail && event.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function () {
    showHtmxError("");
  });
})();
