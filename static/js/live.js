// Mobilise: live session pages (alignment/live.py). Polls the server for who else is here and
// for answers someone else saved; never overwrites a field you are typing in: that field says
// "Changed by X: see theirs" instead. Without this file the page works as before.
(function () {
  "use strict";
  var bar = document.getElementById("live-here");
  if (!bar || !window.fetch) { return; }
  var url = bar.dataset.liveUrl;
  var write = bar.dataset.liveWrite === "1";
  var every = parseInt(bar.dataset.livePollMs, 10) || 1500;
  var seen = bar.dataset.liveVersion || "0";

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function sayHere(names) {
    var text = names.length ? "Here now: " + names.join(", ") + "." : "Nobody else has this session open.";
    if (bar.textContent !== text) { bar.textContent = text; }
  }

  function noteFor(name) {
    var field = document.getElementById("field-" + name);
    if (!field) { return null; }
    var note = field.querySelector(".live-theirs");
    if (!note) {
      note = document.createElement("div");
      note.className = "live-theirs alert alert-warning py-1 px-2 small mt-1";
      note.setAttribute("role", "status");
      var line = document.createElement("span");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm p-0 align-baseline ms-1";
      button.textContent = "see theirs";
      var text = document.createElement("div");
      text.className = "live-theirs-text wrap mt-1";
      text.hidden = true;
      button.addEventListener("click", function () {
        text.hidden = !text.hidden;
        button.setAttribute("aria-expanded", text.hidden ? "false" : "true");
      });
      button.setAttribute("aria-expanded", "false");
      note.appendChild(line);
      note.appendChild(button);
      note.appendChild(text);
      var anchor = field.querySelector(".save-live") || field;
      anchor.parentNode.insertBefore(note, anchor.nextSibling);
    }
    return note;
  }

  function choiceValue(name) {
    var checked = document.querySelector("input[type=radio][name='" + name + "']:checked");
    return checked ? checked.value : "";
  }

  function update(name, value, by, byMe) {
    var orig = document.getElementById("orig-" + name);
    if (!orig || orig.value === value) { return; }
    var box = document.getElementById("id_" + name);
    var radios = document.querySelectorAll("input[type=radio][name='" + name + "']");
    var mine = box ? box.value : choiceValue(name);
    if (mine.replace(/\r\n/g, "\n").trim() === value) {  // what I have is what is stored
      orig.value = value;
      return;
    }
    var busy = box ? (document.activeElement === box || box.value.replace(/\r\n/g, "\n").trim() !== orig.value)
                   : Array.prototype.some.call(radios, function (r) { return r === document.activeElement; });
    if (busy) {
      if (byMe) { return; }  // my own save, answered before my page heard back from it
      var note = noteFor(name);
      if (!note) { return; }
      note.firstChild.textContent = "Changed by " + by + ":";
      note.lastChild.textContent = value || "(blank)";
      return;
    }
    if (box) {
      box.value = value;
      var copy = document.querySelector("[data-print-copy-of='id_" + name + "']");
      if (copy) { copy.textContent = value; }
    } else {
      Array.prototype.forEach.call(radios, function (r) { r.checked = r.value === value; });
    }
    orig.value = value;
    var old = document.getElementById("field-" + name).querySelector(".live-theirs");
    if (old) { old.remove(); }
  }

  function apply(data) {
    sayHere(data.here || []);
    if (data.fields) {
      Object.keys(data.fields).forEach(function (name) {
        update(name, data.fields[name], data.by, data.by_me);
      });
    }
    seen = String(data.v);
  }

  function poll() {
    var request = write
      ? fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrf(), "Content-Type": "application/x-www-form-urlencoded" },
          body: "v=" + encodeURIComponent(seen),
        })
      : fetch(url + "?v=" + encodeURIComponent(seen), { credentials: "same-origin" });
    request
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { apply(data); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(function () { window.setTimeout(poll, document.hidden ? every * 4 : every); });
  }
  window.setTimeout(poll, 200);
})();
