// Mobilise: facilitation mode (alignment/facilitation.py). Keeps the topic timers ticking and in
// step with the server (another screen may start one), and moves between topics with the
// keyboard in the presenter view. Without this file the pages show the time at loading.
(function () {
  "use strict";
  var root = document.querySelector("[data-timers-url]");
  var loaded = Date.now();
  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function draw() {
    var now = Date.now();
    document.querySelectorAll("[data-timer-topic]").forEach(function (el) {
      var elapsed = parseInt(el.dataset.elapsed, 10) || 0;
      var base = parseInt(el.dataset.base || loaded, 10);
      if (el.dataset.running === "1") { elapsed += (now - base) / 1000; }
      var minutes = parseInt(el.dataset.minutes, 10) || 0;
      el.querySelector(".timer-clock").textContent = clock(elapsed);
      el.querySelector(".timer-running").textContent = el.dataset.running === "1" ? " · running" : "";
      var over = elapsed > minutes * 60;
      el.classList.toggle("is-over", over);
      var warning = el.querySelector(".over-time");
      warning.hidden = !over;
      var by = Math.floor((elapsed - minutes * 60) / 60);
      warning.querySelector(".over-by").textContent = by > 0 ? " by " + by + " min" : "";
    });
  }
  function sync() {
    if (!root || !window.fetch) { return; }
    fetch(root.dataset.timersUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var at = Date.now();
        Object.keys(data.timers).forEach(function (topic) {
          document.querySelectorAll("[data-timer-topic='" + topic + "']").forEach(function (el) {
            el.dataset.elapsed = data.timers[topic].elapsed;
            el.dataset.running = data.timers[topic].running ? "1" : "0";
            el.dataset.base = at;
          });
        });
        draw();
      })
      .catch(function () { /* the next sync tries again */ })
      .then(function () { window.setTimeout(sync, 2000); });
  }
  if (document.querySelector("[data-timer-topic]")) {
    window.setInterval(draw, 1000);
    window.setTimeout(sync, 2000);
  }
  // Presenter: ← / → (and Page Up / Page Down, as a clicker sends) move between topics.
  document.addEventListener("keydown", function (event) {
    if (!document.querySelector(".presenter") || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) { return; }
    var link = null;
    if (event.key === "ArrowRight" || event.key === "PageDown") { link = document.getElementById("present-next"); }
    if (event.key === "ArrowLeft" || event.key === "PageUp") { link = document.getElementById("present-prev"); }
    if (link) { event.preventDefault(); window.location.href = link.href; }
  });
})();
