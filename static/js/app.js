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

  // Autosave: typing that has not reached the server yet (the save waits for a pause) keeps
  // the page from closing or navigating away without asking. A save counts once the server
  // says so: not on a conflict or an error ([data-not-saved], or a form sent back with errors).
  var unsaved = new Map(); // element carrying hx-post -> time of its last keystroke
  function autosaving(target) {
    return target && target.closest ? target.closest("[hx-post][hx-trigger*='input']") : null;
  }
  document.addEventListener("input", function (event) {
    var element = autosaving(event.target);
    if (element) { unsaved.set(element, Date.now()); }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    event.detail.elt.dataset.sentAt = String(Date.now());
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var element = event.detail.elt, xhr = event.detail.xhr;
    if (!unsaved.has(element) || !event.detail.successful || !xhr) { return; }
    var refused = xhr.getResponseHeader("HX-Retarget") || (xhr.responseText || "").indexOf("data-not-saved") !== -1;
    if (!refused && unsaved.get(element) <= Number(element.dataset.sentAt || 0)) { unsaved.delete(element); }
  });
  // An ordinary post of the form those fields belong to carries them to the server itself.
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) { return; }
    unsaved.forEach(function (_, element) {
      if (element === event.target || element.form === event.target || event.target.contains(element)) { unsaved.delete(element); }
    });
  });
  // Printing: a textarea cannot grow on paper, so print.css shows a copy of its text instead
  // (templates/alignment/field.html). The copy follows what is typed, saved or not.
  function copyForPrint(textarea) {
    var copy = textarea.id && document.querySelector("[data-print-copy-of='" + textarea.id + "']");
    if (copy) { copy.textContent = textarea.value; }
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea")) { copyForPrint(event.target); }
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("textarea").forEach(copyForPrint);
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved.size) { event.preventDefault(); event.returnValue = ""; }
  });
})();
