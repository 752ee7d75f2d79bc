// The progress of a sending of reminders: asks the server for its counts every two seconds and
// shows them, until nothing is left waiting. Without JavaScript the page still shows the counts
// of the moment it was loaded, and an "Actualiser" link.
(function () {
  "use strict";

  const INTERVAL_MS = 2000;

  function start(section) {
    const url = section.dataset.progressUrl;
    const bar = section.querySelector("progress");
    const running = section.querySelector('[data-state="running"]');
    const done = section.querySelector('[data-state="done"]');

    function show(progress) {
      for (const [name, value] of Object.entries(progress)) {
        const cell = section.querySelector(`[data-count="${name}"]`);
        if (cell) {
          cell.textContent = value;
        }
      }
      bar.max = progress.total;
      bar.value = progress.processed;
      running.hidden = progress.done;
      done.hidden = !progress.done;
      section.dataset.done = progress.done ? "true" : "false";
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((progress) => {
          show(progress);
          if (!progress.done) {
            window.setTimeout(poll, INTERVAL_MS);
          }
        })
        // A network hiccup must not stop the page: try again a little later.
        .catch(() => window.setTimeout(poll, INTERVAL_MS * 3));
    }

    if (section.dataset.done !== "true") {
      window.setTimeout(poll, INTERVAL_MS);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".reminder-progress[data-progress-url]").forEach(start);
  });
})();
