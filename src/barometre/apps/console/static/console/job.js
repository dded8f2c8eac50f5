// Follows a background job: asks its state every two seconds and updates the page until it ends.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.running !== "1") { return; }
  var url = box.dataset.statusUrl;
  function update() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        var bar = document.getElementById("job-progress");
        bar.value = s.progress;
        bar.textContent = s.progress + " %";
        document.getElementById("job-progress-text").textContent = s.progress + " %";
        document.getElementById("job-state").textContent = s.state_label;
        document.getElementById("job-log").textContent = s.log || "—";
        if (s.running) { window.setTimeout(update, 2000); } else { box.dataset.running = "0"; }
      })
      .catch(function () { window.setTimeout(update, 5000); });
  }
  window.setTimeout(update, 1000);
})();
