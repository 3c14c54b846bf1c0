// Coding screen shortcuts and passage selection. Progressive enhancement: every action has a button or field.
(function () {
  "use strict";
  var form = document.getElementById("coding-form");
  var answer = document.getElementById("answer-text");
  if (!form || !answer) { return; }
  var status = document.getElementById("coding-status");
  var help = document.getElementById("shortcut-help");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[data-code-index]"));
  var lastCode = null;

  function say(message) { if (status) { status.textContent = message; } }
  function labelOf(box) { var label = form.querySelector("label[for='" + box.id + "']"); return label ? label.textContent.replace(/^\s*\d\s*/, "").trim() : ""; }
  function typing(target) {
    if (!target) { return false; }
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable) { return true; }
    return tag === "INPUT" && ["checkbox", "radio", "button", "submit"].indexOf(target.type) === -1;
  }
  function submitWith(value) {
    var go = document.createElement("input");
    go.type = "hidden"; go.name = "go"; go.value = value;
    form.appendChild(go);
    form.submit();
  }
  // Offsets in code points (as Python counts them) within the answer as displayed.
  function codePoints(text) { return Array.from(text).length; }
  function selectionOffsets() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return null; }
    var range = selection.getRangeAt(0);
    if (!answer.contains(range.startContainer) || !answer.contains(range.endContainer)) { return null; }
    var before = document.createRange();
    before.selectNodeContents(answer);
    before.setEnd(range.startContainer, range.startOffset);
    var start = codePoints(before.toString());
    var end = start + codePoints(range.toString());
    return end > start ? { start: start, end: end } : null;
  }

  boxes.forEach(function (box) {
    box.addEventListener("focus", function () { lastCode = box; });
    box.addEventListener("change", function () { lastCode = box; });
  });

  // Find a code by name (codebooks longer than the nine number keys): typing lists the codes whose name
  // holds every word typed; Enter toggles the first one listed, the arrow keys move through them.
  var finderGroup = form.querySelector("[data-code-finder]");
  var finder = finderGroup ? finderGroup.querySelector("input") : null;
  var finderStatus = finderGroup ? finderGroup.querySelector("[role=status]") : null;
  function itemOf(box) { return box.closest(".kil-checkboxes__item"); }
  function listed() { return boxes.filter(function (box) { return !itemOf(box).hidden; }); }
  function filterCodes() {
    var words = finder.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    boxes.forEach(function (box) {
      var name = labelOf(box).toLowerCase();
      var match = words.every(function (word) { return name.indexOf(word) !== -1; });
      itemOf(box).hidden = !match;
      if (match) { shown += 1; }
    });
    if (!words.length) { finderStatus.textContent = ""; }
    else if (!shown) { finderStatus.textContent = "No code matches ‘" + finder.value.trim() + "’."; }
    else { finderStatus.textContent = shown + (shown === 1 ? " code matches: " + labelOf(listed()[0]) + "." : " codes match. The first is " + labelOf(listed()[0]) + "."); }
  }
  function clearFinder() { finder.value = ""; filterCodes(); }
  function moveWithin(box, step) {
    var shown = listed();
    var next = shown.indexOf(box) + step;
    if (next < 0 && finder) { finder.focus(); return; }
    if (next < shown.length) { shown[next].focus(); }
  }
  if (finder) {
    finderGroup.hidden = false;
    finder.addEventListener("input", filterCodes);
    finder.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();  // Enter here picks a code; it never submits the form
        var first = listed()[0];
        if (!first || !finder.value.trim()) { return; }
        first.checked = !first.checked;
        lastCode = first;
        clearFinder();
        say(labelOf(first) + (first.checked ? " applied." : " removed."));
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        if (listed().length) { listed()[0].focus(); }
      } else if (event.key === "Escape" && finder.value) {
        event.stopPropagation();  // the first Escape clears the search; the next one leaves the field
        clearFinder();
      }
    });
    boxes.forEach(function (box) {
      box.addEventListener("keydown", function (event) {
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          moveWithin(box, event.key === "ArrowDown" ? 1 : -1);
        }
      });
    });
  }

  // Remember the selection when focus moves to a code, so "s" still knows the passage.
  var remembered = null;
  document.addEventListener("selectionchange", function () {
    var offsets = selectionOffsets();
    if (offsets) { remembered = offsets; }
  });

  function codeSelection() {
    var offsets = selectionOffsets() || remembered;
    var code = (document.activeElement && document.activeElement.dataset && document.activeElement.dataset.codeIndex) ? document.activeElement : lastCode;
    if (!offsets) { say("Select some words in the answer first."); return; }
    if (!code) { say("Move focus to a code (Tab, or a number key) first, then press s."); return; }
    form.querySelector("[name=span_theme]").value = code.value;
    form.querySelector("[name=span_start]").value = offsets.start;
    form.querySelector("[name=span_end]").value = offsets.end;
    say("Coding the selected passage as " + labelOf(code) + ".");
    submitWith("save");
  }

  // Redact the selected words: the no-script form, filled from the selection, with where it starts.
  var redactForm = document.getElementById("redact-form");
  function redactSelection() {
    var offsets = selectionOffsets() || remembered;
    if (!redactForm) { return; }
    if (!offsets) { say("Select the words to redact in the answer first."); return; }
    var chars = Array.from(answer.textContent);
    redactForm.querySelector("[name=words]").value = chars.slice(offsets.start, offsets.end).join("");
    redactForm.querySelector("[name=start]").value = offsets.start;
    say("Redacting the selected words.");
    redactForm.submit();
  }

  var redactButton = document.getElementById("redact-selection");
  if (redactButton) {
    redactButton.closest("[data-redact-selection]").hidden = false;
    redactButton.addEventListener("click", redactSelection);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); say("Shortcuts are on."); }
      return;
    }
    var key = event.key;
    if (/^[1-9]$/.test(key)) {
      var box = boxes[parseInt(key, 10) - 1];
      if (!box) { return; }
      event.preventDefault();
      box.checked = !box.checked;
      lastCode = box;
      box.focus();
      say(labelOf(box) + (box.checked ? " applied." : " removed."));
    } else if (key === "n") {
      event.preventDefault();
      submitWith("next");
    } else if (key === "f") {
      event.preventDefault();
      form.querySelector("[name=flag_reason]").focus();
    } else if (key === "m") {
      event.preventDefault();
      form.querySelector("[name=memo]").focus();
    } else if (key === "s") {
      event.preventDefault();
      codeSelection();
    } else if (key === "x") {
      event.preventDefault();
      redactSelection();
    } else if (key === "a" || key === "r") {
      var button = document.querySelector(".kil-suggestion button[value=" + (key === "a" ? "accept" : "reject") + "]");
      if (button) { event.preventDefault(); button.click(); }
    } else if (key === "/" && finder) {
      event.preventDefault();
      finder.focus();
      finder.select();
    } else if (key === "?") {
      event.preventDefault();
      if (help) {
        help.open = !help.open;
        if (help.open) { help.querySelector("summary").focus(); }
      }
    }
  });
})();
