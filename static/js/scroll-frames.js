/* Wide tables and code blocks scroll inside their own frame (amrc.css), never the page. A frame
   that does scroll is made a tab stop, named after what it holds, so that keyboard users reach
   it and scroll it with the arrow keys; a frame that fits stays out of the tab order. The check
   runs again when the window changes size (a phone turned sideways). */
(function () {
  "use strict";

  var FRAMES = ".table-responsive, .documentation pre";

  function name(frame) {
    var caption = frame.querySelector("caption");
    return caption ? caption.textContent.trim() : "";
  }

  function update(frame) {
    if (frame.scrollWidth > frame.clientWidth + 1) {
      frame.setAttribute("tabindex", "0");
      frame.setAttribute("role", "region");
      var label = name(frame);
      if (label) {
        frame.setAttribute("aria-label", label);
      }
      frame.classList.add("is-scrolling");
    } else if (frame.classList.contains("is-scrolling")) {
      frame.removeAttribute("tabindex");
      frame.removeAttribute("role");
      frame.removeAttribute("aria-label");
      frame.classList.remove("is-scrolling");
    }
  }

  function updateAll() {
    document.querySelectorAll(FRAMES).forEach(update);
  }

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(updateAll, 150);
  });
  updateAll();
})();
