// Follow a brief's job without reloading: poll its status and move the progress bar.
(function () {
  var box = document.getElementById("brief-progress");
  if (!box) return;
  var bar = box.querySelector("progress");
  var stage = box.querySelector(".stage");
  var done = document.getElementById("brief-done");
  var failed = document.getElementById("brief-failed");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.value = s.progress;
        bar.textContent = s.progress + "%";
        stage.textContent = s.stage;
        if (s.status === "done") {
          box.hidden = true;
          done.hidden = false;
          done.querySelector("a.download").href = s.pdf;
        } else if (s.status === "failed") {
          box.hidden = true;
          failed.hidden = false;
          failed.querySelector(".reason").textContent = s.error;
        } else {
          setTimeout(poll, 600);
        }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
