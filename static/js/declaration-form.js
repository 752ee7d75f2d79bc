/*
 * The declaration form's live checks: a convenience while typing, never a safeguard (the server
 * checks everything again). Plain JavaScript, no framework, no network.
 *
 * - the four parts of the headcount (on site, telework, technical unemployment, other absence)
 *   must add up to the headcount;
 * - the regional lines must add up to the headcount, on-site and telework totals;
 * - "Ajouter une région" adds a row from the formset's empty form;
 * - the buttons are disabled once the form is sent, so a double click sends it once.
 */
(function () {
  "use strict";

  var form = document.getElementById("declaration-form");
  if (!form) {
    return;
  }
  var PARTS = ["on_site", "telework", "technical_unemployment", "other_absence"];
  var LINE_FIELDS = ["headcount", "on_site", "telework"];

  function message(name, values) {
    var text = form.getAttribute("data-msg-" + name) || "";
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  // A number the user typed, or null when the field is empty or not a whole number yet.
  function valueOf(input) {
    if (!input) {
      return null;
    }
    var raw = input.value.trim();
    if (raw === "" || !/^\d+$/.test(raw)) {
      return null;
    }
    return parseInt(raw, 10);
  }

  function show(name, text, ok) {
    var box = form.querySelector('[data-check="' + name + '"]');
    if (!box) {
      return;
    }
    box.textContent = text;
    box.className = "live-check small mt-1 " + (text === "" ? "" : ok ? "text-success" : "text-danger");
  }

  function totals() {
    var result = { headcount: valueOf(form.querySelector('[data-total="headcount"]')) };
    PARTS.forEach(function (part) {
      result[part] = valueOf(form.querySelector('[data-part="' + part + '"]'));
    });
    return result;
  }

  function checkSplit(values) {
    var parts = PARTS.map(function (part) {
      return values[part];
    });
    if (values.headcount === null || parts.indexOf(null) !== -1) {
      show("split", "", true);
      return;
    }
    var sum = parts.reduce(function (a, b) {
      return a + b;
    }, 0);
    if (sum === values.headcount) {
      show("split", message("split-ok", {}), true);
    } else {
      show("split", message("split-mismatch", { total: sum, headcount: values.headcount }), false);
    }
  }

  function checkRegions(values) {
    var sums = { headcount: 0, on_site: 0, telework: 0 };
    var anyLine = false;
    form.querySelectorAll("[data-line-row]").forEach(function (row) {
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
    if (!anyLine) {
      show("regions", "", true);
      return;
    }
    var problems = [];
    LINE_FIELDS.forEach(function (field) {
      if (values[field] !== null && values[field] !== sums[field]) {
        problems.push(
          message("regions-mismatch", {
            label: form.getAttribute("data-label-" + field) || field,
            regional: sums[field],
            total: values[field],
          })
        );
      }
    });
    if (problems.length) {
      show("regions", problems.join(" "), false);
    } else {
      show("regions", message("regions-ok", {}), true);
    }
  }

  function checkAll() {
    var values = totals();
    checkSplit(values);
    checkRegions(values);
  }

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
    });
    refresh();
  }

  function setUpSingleSubmit() {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sent") === "1") {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-sent", "1");
      // The clicked button's name and value must still be sent: disable the buttons only after
      // the browser has built the request.
      window.setTimeout(function () {
        form.querySelectorAll('button[type="submit"]').forEach(function (button) {
          button.disabled = true;
        });
      }, 0);
    });
    // Coming back with the browser's Back button must give working buttons again.
    window.addEventListener("pageshow", function () {
      form.removeAttribute("data-sent");
      form.querySelectorAll('button[type="submit"]').forEach(function (button) {
        button.disabled = false;
      });
    });
  }

  form.addEventListener("input", checkAll);
  setUpAddLine();
  setUpSingleSubmit();
  checkAll();
})();
