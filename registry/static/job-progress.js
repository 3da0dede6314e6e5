// Follow a background job (a brief, an import) without reloading: poll its status and move
// the progress bar. When it is done, show the download link, or reload the page when the box
// asks for it (data-reload-when-done) so that the server renders the result.
(function () {
  var box = document.getElementById("job-progress");
  if (!box) return;
  var bar = box.querySelector("progress");
  var stage = box.querySelector(".stage");
  var done = document.getElementById("job-done");
  var failed = document.getElementById("job-failed");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.value = s.progress;
        bar.textContent = s.progress + "%";
        stage.textContent = s.stage;
        if (s.status === "done" && box.dataset.reloadWhenDone !== undefined) {
          window.location.reload();
        } else if (s.status === "done") {
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
