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
    } else if (key === "a" || key === "r") {
      var button = document.querySelector(".kil-suggestion button[value=" + (key === "a" ? "accept" : "reject") + "]");
      if (button) { event.preventDefault(); button.click(); }
    } else if (key === "?") {
      event.preventDefault();
      if (help) {
        help.open = !help.open;
        if (help.open) { help.querySelector("summary").focus(); }
      }
    }
  });
})();
