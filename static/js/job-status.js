// Poll a job's status and reload the page when it finishes (the page also works without this).
(function () {
  "use strict";
  var root = document.querySelector("[data-module=job-status]");
  if (!root || !window.fetch) { return; }
  var bar = document.getElementById("job-progress");
  var message = document.getElementById("job-message");
  var poll = function () {
    fetch(root.dataset.statusUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (job) {
      var percent = Math.round(job.progress * 100);
      bar.value = percent; bar.textContent = percent + "%";
      message.textContent = job.message + (job.done ? "" : " (" + percent + "%)");
      if (job.done) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
    }).catch(function () { window.setTimeout(poll, 5000); });
  };
  window.setTimeout(poll, 1000);
})();
