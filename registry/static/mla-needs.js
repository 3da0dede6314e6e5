// On the MLA request form: show what the requested country needs for the assistance types
// ticked, as soon as either changes (without script, the form's "show" button does the same).
(function () {
  var box = document.getElementById("needs");
  var country = document.getElementById("requested_country");
  if (!box || !country) return;
  var boxes = document.querySelectorAll("input[name='assistance_types']");
  var button = box.querySelector(".no-script");
  if (button) button.hidden = true;
  var asked = 0;
  function refresh() {
    if (!country.value) return;
    var params = new URLSearchParams();
    boxes.forEach(function (b) { if (b.checked) params.append("type", b.value); });
    var url = box.dataset.url.replace("ISO3", encodeURIComponent(country.value)) + "?" + params;
    var mine = ++asked;
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        if (mine !== asked) return; // a later change has asked again
        var keep = box.querySelector(".no-script");
        box.innerHTML = html;
        if (keep) box.appendChild(keep);
      })
      .catch(function () { /* keep what is shown; the full page is linked */ });
  }
  country.addEventListener("change", refresh);
  boxes.forEach(function (b) { b.addEventListener("change", refresh); });
})();
