// Light up every piece of the finding the page was sent to (#span-q3: the quote's content,
// speaker and cue), since :target alone marks only the first run; and move keyboard focus
// there. Nothing here reads or writes the article text.
(function () {
  "use strict";
  function show() {
    document.querySelectorAll(".focus").forEach(function (el) { el.classList.remove("focus"); });
    // Our ids are plain ASCII; a hand-typed fragment is looked up as it is, never decoded
    // (a malformed %-escape would throw).
    var id = location.hash.slice(1);
    var el = id && document.getElementById(id);
    if (!el) { return; }
    var key = el.getAttribute("data-key");
    if (key) {
      document.querySelectorAll('[data-f~="' + CSS.escape(key) + '"]').forEach(function (part) {
        part.classList.add("focus");
      });
    } else if (el.classList.contains("sent")) {
      el.classList.add("focus");
    } else {
      return;  // a section or a finding: :target styles it; nothing to light up
    }
    if (!el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "-1"); }
    el.focus({ preventScroll: true });
  }
  window.addEventListener("hashchange", show);
  show();
})();
