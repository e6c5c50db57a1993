// RACI matrix editor: keyboard use of the cells. The editor works without this file (each
// cell is a submit button that cycles its letters); this adds typing R, A, C or I to switch
// that letter, Delete or Backspace to clear, and arrow keys to move between cells.
(function () {
  "use strict";
  if (window.mobiliseRaci) { return; }  // the editor may be embedded more than once
  window.mobiliseRaci = true;

  var LETTERS = { r: "R", a: "A", c: "C", i: "I" };

  function cellButton(td) {
    return td ? td.querySelector(".raci-btn") : null;
  }

  function move(button, key) {
    var td = button.closest("td");
    var tr = td.parentElement;
    var target = null;
    if (key === "ArrowLeft") { target = td.previousElementSibling; }
    if (key === "ArrowRight") { target = td.nextElementSibling; }
    if (key === "ArrowUp" || key === "ArrowDown") {
      var row = key === "ArrowUp" ? tr.previousElementSibling : tr.nextElementSibling;
      target = row ? row.children[td.cellIndex] : null;
    }
    var next = cellButton(target);
    if (next) { next.focus(); }
    return Boolean(next);
  }

  function send(button, values) {
    var td = button.closest("td");
    if (!window.htmx || td.classList.contains("htmx-request")) { return; }
    window.htmx.ajax("POST", button.getAttribute("hx-post"), {
      source: button, target: td, swap: "outerHTML", values: values
    });
  }

  document.addEventListener("keydown", function (event) {
    var button = event.target;
    if (!button.matches || !button.matches(".raci-btn") || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var letter = LETTERS[event.key.toLowerCase()];
    if (letter) {
      event.preventDefault();
      send(button, { op: "toggle", letter: letter });
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      send(button, { op: "clear" });
    } else if (event.key.indexOf("Arrow") === 0 && move(button, event.key)) {
      event.preventDefault();
    }
  });

  // A matrix wider than its box (a phone): say so, and shade the edge that has more to see.
  function scrollCues() {
    document.querySelectorAll(".raci-scroll").forEach(function (scroller) {
      var frame = scroller.parentElement;
      var hint = frame.previousElementSibling;
      var overflows = scroller.scrollWidth > scroller.clientWidth + 1;
      frame.classList.toggle("overflows", overflows);
      frame.classList.toggle("at-end", scroller.scrollLeft + scroller.clientWidth >= scroller.scrollWidth - 1);
      if (hint && hint.matches(".raci-scroll-hint")) { hint.hidden = !overflows; }
    });
  }
  scrollCues();
  window.addEventListener("resize", scrollCues);
  document.addEventListener("htmx:afterSettle", scrollCues);
  document.addEventListener("scroll", function (event) {
    if (event.target.matches && event.target.matches(".raci-scroll")) { scrollCues(); }
  }, true);

  // A focused cell is never left under the sticky activity column or past the right edge.
  document.addEventListener("focusin", function (event) {
    var cell = event.target.closest && event.target.closest(".raci-scroll td");
    if (!cell) { return; }
    var scroller = cell.closest(".raci-scroll");
    var sticky = cell.parentElement.querySelector("th");
    var box = cell.getBoundingClientRect();
    var view = scroller.getBoundingClientRect();
    var left = sticky ? sticky.getBoundingClientRect().right : view.left;
    if (box.left < left) {
      scroller.scrollLeft -= left - box.left;
    } else if (box.right > view.right) {
      scroller.scrollLeft += box.right - view.right;
    }
  });

  // Printable view: a real button instead of an inline handler (the CSP forbids those).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-raci-print]")) { window.print(); }
  });
})();
