// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen reader users hear the problem first.
  var summary = document.querySelector("[data-module=error-summary]");
  if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }

  // Stop a double click sending a form twice (the server also accepts each submission only once).
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = form.querySelector("[data-prevent-double-click]");
      if (!button) { return; }
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
    });
  });

  // Live character count under long answers.
  document.querySelectorAll("[data-module=character-count]").forEach(function (group) {
    var max = parseInt(group.dataset.maxlength, 10);
    var box = group.querySelector("textarea");
    var message = group.querySelector(".kil-character-count__message");
    if (!box || !message) { return; }
    // Counted as the server counts (consult/surveys/textinput.py): characters, not UTF-16 units, and a line
    // break as one, whatever the browser sends.
    var length = function () { return Array.from(box.value.replace(/\r\n?/g, "\n")).length; };
    // The words come from the page, in its language ({n} stands for the number).
    var words = function (key, n) {
      return (group.dataset[key + (n === 1 ? "One" : "Other")] || "{n}").replace("{n}", n.toLocaleString("en-GB"));
    };
    var update = function () {
      var left = max - length();
      message.textContent = left >= 0 ? words("remaining", left) : words("over", -left);
    };
    // Announce the count once typing pauses, not on every keystroke (as GOV.UK's character count does).
    if (box.value) { update(); }  // an answer already given: show what is left before any typing
    message.setAttribute("aria-live", "polite");
    var timer;
    box.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(update, 600); });
  });

  // A filter box for long lists of councils.
  document.querySelectorAll("[data-module=filter-options]").forEach(function (group) {
    var fieldset = group.querySelector("fieldset");
    var wrapper = document.createElement("div");
    wrapper.className = "kil-filter";
    var id = "filter-" + Math.random().toString(36).slice(2);
    wrapper.innerHTML = '<label class="kil-label" for="' + id + '"></label>' +
      '<input class="kil-input kil-input--width-20" type="search" id="' + id + '" autocomplete="off">' +
      '<p class="kil-hint kil-filter__status" role="status"></p>';
    wrapper.querySelector("label").textContent = group.dataset.label;
    fieldset.insertBefore(wrapper, fieldset.querySelector("details"));
    var status = wrapper.querySelector("[role=status]");
    wrapper.querySelector("input").addEventListener("input", function (e) {
      var term = e.target.value.trim().toLowerCase();
      var total = 0;
      group.querySelectorAll("details").forEach(function (details) {
        var shown = 0;
        details.querySelectorAll(".kil-checkboxes__item").forEach(function (item) {
          var match = !term || item.textContent.toLowerCase().indexOf(term) !== -1;
          item.hidden = !match; shown += match ? 1 : 0;
        });
        details.hidden = shown === 0;
        if (term) { details.open = shown > 0; }
        total += shown;
      });
      status.textContent = !term ? "" : total === 0 ? group.dataset.none :
        group.dataset[total === 1 ? "one" : "other"].replace("{n}", total);
    });
  });
})();
