/*
 * The declaration form as a guided document. Plain JavaScript, no framework; everything here is a
 * convenience, never a safeguard: the form works without it and the server checks everything.
 *
 * - live checks while typing: the headcount split and the regional totals, in the server's own
 *   words (data-msg-* attributes carry measures.validation's messages); a message the server
 *   wrote about a field is struck out of the list at the top and hidden once the member edits
 *   that field, so that a problem is never said twice in two states;
 * - the section menu: completion marks and progress updated as the member types, the section in
 *   view marked with aria-current, a compact bar on phones;
 * - autosave: a few seconds after the last change the draft goes to the page's JSON endpoint,
 *   with the version the page holds; a stale version is refused there and the page says so;
 * - "Ajouter une région" adds a row from the formset's empty form;
 * - the buttons send the form once, after any autosave in flight.
 */
(function () {
  "use strict";

  var form = document.getElementById("declaration-form");
  if (!form) {
    return;
  }
  var PARTS = ["on_site", "telework", "technical_unemployment", "other_absence"];
  var LINE_FIELDS = ["headcount", "on_site", "telework"];

  // Messages

  function message(name, values) {
    var text = form.getAttribute("data-msg-" + name) || "";
    return text.replace(/%\((\w+)\)s/g, function (whole, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  // Figures as the server reads them: digits grouped by spaces or not, Arabic-Indic digits too.
  function valueOf(input) {
    if (!input) {
      return null;
    }
    var raw = input.value
      .trim()
      .replace(/[\u0660-\u0669]/g, function (d) {
        return String(d.charCodeAt(0) - 0x0660);
      })
      .replace(/[\u06f0-\u06f9]/g, function (d) {
        return String(d.charCodeAt(0) - 0x06f0);
      })
      .replace(/(\d)[ \u00a0\u202f](?=\d)/g, "$1");
    if (!/^\d+$/.test(raw)) {
      return null;
    }
    return parseInt(raw, 10);
  }

  function filled(input) {
    return input.value.trim() !== "";
  }

  // Server messages become stale once the member edits what they are about.

  function baseId(input) {
    return input.type === "radio" ? input.id.replace(/_\d+$/, "") : input.id;
  }

  function markStale(input) {
    var id = baseId(input);
    var box = document.getElementById(id + "-issues");
    if (box) {
      box.classList.add("is-stale");
    }
    var targets = [id, id + "_0"];
    targets.forEach(function (target) {
      document.querySelectorAll('[data-issue-target="' + target + '"]').forEach(function (item) {
        item.classList.add("is-stale");
      });
    });
    if (input.getAttribute("aria-invalid") === "true") {
      input.removeAttribute("aria-invalid");
      input.classList.remove("is-invalid");
    }
  }

  function markSectionStale(section) {
    var box = document.getElementById("section-" + section + "-issues");
    if (box) {
      box.classList.add("is-stale");
      document.querySelectorAll('[data-issue-target="' + box.id + '"]').forEach(function (item) {
        item.classList.add("is-stale");
      });
    }
  }

  function hasLiveIssues(inputs) {
    return inputs.some(function (input) {
      var box = input && document.getElementById(baseId(input) + "-issues");
      return box && !box.classList.contains("is-stale");
    });
  }

  // Live checks

  function show(name, text, ok) {
    var box = form.querySelector('[data-check="' + name + '"]');
    if (!box) {
      return;
    }
    box.textContent = text;
    box.classList.toggle("is-ok", text !== "" && ok);
    box.classList.toggle("is-mismatch", text !== "" && !ok);
  }

  function headcountInput() {
    return form.querySelector('[data-total="headcount"]');
  }

  function splitInputs() {
    return [headcountInput()].concat(
      PARTS.map(function (part) {
        return form.querySelector('[data-part="' + part + '"]');
      })
    );
  }

  function totals() {
    var result = { headcount: valueOf(headcountInput()) };
    PARTS.forEach(function (part) {
      result[part] = valueOf(form.querySelector('[data-part="' + part + '"]'));
    });
    return result;
  }

  var splitTouched = !hasLiveIssues(splitInputs());
  var regionsTouched = !document.querySelector("#section-regions .field-issues");

  function checkSplit(values) {
    if (!splitTouched) {
      return;
    }
    var parts = PARTS.map(function (part) {
      return values[part];
    });
    if (values.headcount === null || parts.indexOf(null) !== -1) {
      show("split", "", true);
      return;
    }
    var above = PARTS.filter(function (part) {
      return values[part] > values.headcount;
    }).map(function (part) {
      return message("part-above", {
        value: values[part],
        label: form.getAttribute("data-msg-label-part-" + part) || part,
        headcount: values.headcount,
      });
    });
    if (above.length) {
      show("split", above.join(" "), false);
      return;
    }
    var sum = parts.reduce(function (a, b) {
      return a + b;
    }, 0);
    if (sum === values.headcount) {
      show("split", message("parts-ok"), true);
    } else {
      show("split", message("parts-mismatch", { total: sum, headcount: values.headcount }), false);
    }
  }

  function lineRows() {
    return Array.prototype.slice.call(form.querySelectorAll("[data-line-row]"));
  }

  function checkRegions(values) {
    var sums = { headcount: 0, on_site: 0, telework: 0 };
    var anyLine = false;
    lineRows().forEach(function (row) {
      LINE_FIELDS.forEach(function (field) {
        var v = valueOf(row.querySelector('[data-line="' + field + '"]'));
        if (v !== null) {
          sums[field] += v;
          anyLine = true;
        }
      });
    });
    LINE_FIELDS.forEach(function (field) {
      var cell = form.querySelector('[data-line-sum="' + field + '"]');
      if (cell) {
        cell.textContent = anyLine ? String(sums[field]) : "";
      }
    });
    if (!regionsTouched) {
      return;
    }
    if (!anyLine) {
      show("regions", "", true);
      return;
    }
    var problems = [];
    LINE_FIELDS.forEach(function (field) {
      if (values[field] !== null && values[field] !== sums[field]) {
        problems.push(
          message("regions-mismatch", {
            label: form.getAttribute("data-msg-label-total-" + field) || field,
            regional: sums[field],
            total: values[field],
          })
        );
      }
    });
    if (problems.length) {
      show("regions", problems.join(" "), false);
    } else {
      show("regions", message("regions-ok"), true);
    }
  }

  // The section menu

  var nav = document.querySelector("[data-section-nav]");
  var sections = Array.prototype.slice.call(form.querySelectorAll("[data-section]"));

  function sectionState(section) {
    var kind = section.getAttribute("data-section-kind");
    var visibleIssue = Array.prototype.some.call(section.querySelectorAll(".field-issues"), function (box) {
      return !box.classList.contains("is-stale");
    });
    if (visibleIssue || section.querySelector(".live-check.is-mismatch")) {
      return "check";
    }
    if (kind === "regions") {
      var hasLine = lineRows().some(function (row) {
        var input = row.querySelector('[data-line="headcount"]');
        return input && filled(input);
      });
      return hasLine || valueOf(headcountInput()) === 0 ? "done" : "todo";
    }
    if (kind === "measures") {
      return "optional";
    }
    var required = Array.prototype.slice.call(section.querySelectorAll("[data-required]"));
    if (!required.length) {
      return "optional";
    }
    return required.every(filled) ? "done" : "todo";
  }

  function measuresAnswered(section) {
    var rows = section.querySelectorAll("[data-measure-row]");
    var answered = Array.prototype.filter.call(rows, function (row) {
      var checked = row.querySelector('input[type="radio"]:checked');
      return checked && checked.value !== "";
    }).length;
    return { answered: answered, total: rows.length };
  }

  function updateMenu() {
    if (!nav) {
      return;
    }
    var done = 0;
    var required = 0;
    sections.forEach(function (section) {
      var slug = section.getAttribute("data-section");
      var state = sectionState(section);
      var link = nav.querySelector('[data-section-link="' + slug + '"]');
      if (!link) {
        return;
      }
      link.setAttribute("data-state", state);
      var label = link.querySelector("[data-state-label]");
      if (label) {
        label.textContent = message("state-" + state);
      }
      var count = link.querySelector("[data-measures-count]");
      if (count) {
        var counts = measuresAnswered(section);
        count.textContent = count
          .getAttribute("data-count-template")
          .replace("%(answered)s", counts.answered)
          .replace("%(total)s", counts.total);
      }
      if (section.hasAttribute("data-section-required")) {
        required += 1;
        done += state === "done" ? 1 : 0;
      }
    });
    var text = nav.querySelector("[data-progress-text]");
    if (text) {
      text.textContent = text
        .getAttribute("data-progress-template")
        .replace("%(done)s", done)
        .replace("%(total)s", required);
    }
    var bar = nav.querySelector("[data-progress-bar]");
    if (bar) {
      bar.value = done;
      bar.max = required;
    }
  }

  function setCurrent(slug) {
    if (!nav) {
      return;
    }
    nav.querySelectorAll("[data-section-link]").forEach(function (link) {
      if (link.getAttribute("data-section-link") === slug) {
        link.setAttribute("aria-current", "location");
        var current = nav.querySelector("[data-section-nav-current]");
        if (current) {
          current.textContent = link.querySelector(".section-nav-name").textContent;
        }
      } else {
        link.removeAttribute("aria-current");
      }
    });
  }

  // The section in view: the last one whose top has passed the upper third of the screen.
  function setUpCurrentSection() {
    if (!nav || !sections.length) {
      return;
    }
    var queued = false;
    // The section chosen from the menu stays the current one until the member scrolls by hand,
    // or scrolls it out of view once it has been reached: the smooth scroll to it passes other
    // sections, and a Tab into it may stop that scroll short of its top.
    var chosen = null;
    var chosenReached = false;
    function update() {
      queued = false;
      if (chosen) {
        var box = chosen.getBoundingClientRect();
        var inView = box.bottom > 0 && box.top < window.innerHeight;
        chosenReached = chosenReached || inView;
        if (inView || !chosenReached) {
          setCurrent(chosen.getAttribute("data-section"));
          return;
        }
        chosen = null;
      }
      var line = window.innerHeight / 3;
      var current = sections[0];
      sections.forEach(function (section) {
        if (section.getBoundingClientRect().top <= line) {
          current = section;
        }
      });
      setCurrent(current.getAttribute("data-section"));
    }
    // The section the member just chose is the current one, before the page has scrolled to it.
    nav.addEventListener("click", function (event) {
      var link = event.target.closest("[data-section-link]");
      if (link) {
        var slug = link.getAttribute("data-section-link");
        chosen = null;
        sections.forEach(function (section) {
          if (section.getAttribute("data-section") === slug) {
            chosen = section;
          }
        });
        chosenReached = false;
        setCurrent(slug);
      }
    });
    function scrolledByHand() {
      chosen = null;
    }
    window.addEventListener("wheel", scrolledByHand, { passive: true });
    window.addEventListener("touchstart", scrolledByHand, { passive: true });
    window.addEventListener("keydown", function (event) {
      if (["PageUp", "PageDown", "Home", "End", "ArrowUp", "ArrowDown"].indexOf(event.key) !== -1) {
        scrolledByHand();
      }
    });
    window.addEventListener(
      "scroll",
      function () {
        if (!queued) {
          queued = true;
          window.requestAnimationFrame(update);
        }
      },
      { passive: true }
    );
    update();
  }

  function setUpCompactMenu() {
    if (!nav || !window.matchMedia) {
      return;
    }
    var toggle = nav.querySelector("[data-section-nav-toggle]");
    var list = document.getElementById("section-nav-list");
    if (!toggle || !list) {
      return;
    }
    var narrow = window.matchMedia("(max-width: 991.98px)");

    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      list.hidden = !open;
    }

    function apply() {
      nav.classList.toggle("is-compact", narrow.matches);
      toggle.hidden = !narrow.matches;
      setOpen(!narrow.matches);
    }

    toggle.addEventListener("click", function () {
      setOpen(list.hidden);
    });
    list.addEventListener("click", function (event) {
      if (narrow.matches && event.target.closest("a")) {
        setOpen(false);
      }
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && narrow.matches && !list.hidden) {
        setOpen(false);
        toggle.focus();
      }
    });
    if (narrow.addEventListener) {
      narrow.addEventListener("change", apply);
    }
    apply();
  }

  // Regional lines

  function setUpAddLine() {
    var button = form.querySelector("[data-add-line]");
    var template = document.getElementById("regional-line-template");
    var total = form.querySelector('input[name="lines-TOTAL_FORMS"]');
    var max = form.querySelector('input[name="lines-MAX_NUM_FORMS"]');
    var body = form.querySelector("[data-line-rows]");
    if (!button || !template || !total || !body) {
      return;
    }
    function refresh() {
      button.hidden = max !== null && parseInt(total.value, 10) >= parseInt(max.value, 10);
    }
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      refresh();
      var select = body.lastElementChild && body.lastElementChild.querySelector("select");
      if (select) {
        select.focus();
      }
      changed();
    });
    refresh();
  }

  // Autosave

  var autosaveUrl = form.getAttribute("data-autosave-url");
  var autosaveDelay = parseInt(form.getAttribute("data-autosave-delay"), 10) || 4000;
  var statusBox = form.querySelector("[data-autosave-status]");
  var timer = null;
  var saving = false;
  var stopped = false;
  var sent = false;
  var pendingSubmitter = null;

  // What the member filled in, without the page's own fields: to know whether anything changed.
  function snapshot() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "version") {
        pairs.push(name + "=" + value);
      }
    });
    return pairs.join("&");
  }

  // A page shown again after a refused save or submission holds input that is not stored yet.
  var lastSaved = form.hasAttribute("data-unsaved") ? null : snapshot();

  function setStatus(text, isError) {
    if (!statusBox) {
      return;
    }
    statusBox.textContent = text;
    statusBox.classList.toggle("is-error", Boolean(isError));
  }

  function stop(text) {
    stopped = true;
    window.clearTimeout(timer);
    setStatus(text, true);
    if (statusBox) {
      var reload = document.createElement("a");
      reload.href = window.location.pathname;
      reload.textContent = message("reload");
      statusBox.appendChild(document.createTextNode(" "));
      statusBox.appendChild(reload);
    }
  }

  function setVersion(version) {
    document.querySelectorAll('input[name="version"]').forEach(function (input) {
      input.value = String(version);
    });
  }

  function schedule() {
    if (!autosaveUrl || stopped || sent) {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(autosave, autosaveDelay);
  }

  function afterSave() {
    saving = false;
    if (pendingSubmitter) {
      var submitter = pendingSubmitter;
      pendingSubmitter = null;
      if (form.requestSubmit) {
        form.requestSubmit(submitter);
      } else {
        submitter.click();
      }
      return;
    }
    if (!stopped && snapshot() !== lastSaved) {
      schedule();
    }
  }

  function autosave(options) {
    if (!autosaveUrl || stopped || sent || saving) {
      return;
    }
    var state = snapshot();
    if (state === lastSaved) {
      return;
    }
    saving = true;
    setStatus(message("autosave-saving"), false);
    fetch(autosaveUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      keepalive: Boolean(options && options.keepalive),
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          // The login page or an error page: the session has expired or the server failed.
          stop(message("autosave-session"));
          return null;
        }
        return response.json().then(function (data) {
          if (data.saved) {
            lastSaved = state;
            setVersion(data.version);
            setStatus(data.message, false);
          } else if (data.conflict) {
            stop(data.message);
          } else {
            setStatus(data.message, true);
          }
        });
      })
      .catch(function () {
        setStatus(message("autosave-offline"), true);
      })
      .then(afterSave);
  }

  function setUpSubmit() {
    form.addEventListener("submit", function (event) {
      window.clearTimeout(timer);
      if (saving) {
        // Send the form once the autosave in flight has answered, with the version it returned.
        event.preventDefault();
        pendingSubmitter = event.submitter || null;
        return;
      }
      if (sent) {
        event.preventDefault();
        return;
      }
      sent = true;
      // The clicked button's name and value must still be sent: disable the buttons only after
      // the browser has built the request.
      window.setTimeout(function () {
        form.querySelectorAll('button[type="submit"]').forEach(function (button) {
          button.disabled = true;
        });
      }, 0);
    });
    document.querySelectorAll("form").forEach(function (other) {
      if (other !== form) {
        other.addEventListener("submit", function () {
          sent = true;
        });
      }
    });
    // Coming back with the browser's Back button must give working buttons again.
    window.addEventListener("pageshow", function () {
      sent = false;
      form.querySelectorAll('button[type="submit"]').forEach(function (button) {
        button.disabled = false;
      });
    });
    window.addEventListener("beforeunload", function (event) {
      if (!sent && autosaveUrl && snapshot() !== lastSaved) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        window.clearTimeout(timer);
        autosave({ keepalive: true });
      }
    });
  }

  // Wiring

  function checkAll() {
    var values = totals();
    checkSplit(values);
    checkRegions(values);
    updateMenu();
  }

  function changed() {
    checkAll();
    schedule();
  }

  function onEdit(event) {
    var input = event.target;
    if (!input || !input.name || input.type === "hidden") {
      return;
    }
    markStale(input);
    if (input.hasAttribute("data-total") || input.hasAttribute("data-part")) {
      splitInputs().forEach(function (other) {
        if (other) {
          markStale(other);
        }
      });
      splitTouched = true;
    }
    // The regional totals compare the lines with the headcount, on-site and telework figures.
    var part = input.getAttribute("data-part");
    if (input.closest("#section-regions") || input.hasAttribute("data-total") || LINE_FIELDS.indexOf(part) !== -1) {
      markSectionStale("regions");
      var row = input.closest("[data-line-row]");
      if (row) {
        row.querySelectorAll("input, select").forEach(markStale);
      }
      regionsTouched = true;
    }
    changed();
  }

  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  setUpAddLine();
  setUpCompactMenu();
  setUpCurrentSection();
  setUpSubmit();
  checkAll();
  if (lastSaved === null) {
    schedule();
  }

  var first = document.querySelector("[data-autofocus]");
  if (first) {
    first.focus();
  }
})();
