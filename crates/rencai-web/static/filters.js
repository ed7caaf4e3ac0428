// A job list's filter panel: when it opens (or is open on load), fetch how many results each
// choice would keep and show them in the choices ("天河区（120）"). The list itself never waits
// for these counts; without this script the filters work, just without numbers.
(function () {
  var panel = document.querySelector("details[data-counts]");
  if (!panel) return;
  var loaded = false;
  function show(data) {
    var hint = panel.querySelector("[data-broad]");
    if (hint) hint.hidden = !data.broad;
    if (data.broad) return;
    Object.keys(data.counts).forEach(function (name) {
      var select = panel.querySelector('select[name="' + name + '"]');
      if (!select) return;
      var counts = data.counts[name];
      Array.prototype.forEach.call(select.options, function (o) {
        if (!o.value) return;
        if (!o.dataset.label) o.dataset.label = o.textContent;
        o.textContent = o.dataset.label + "（" + (counts[o.value] || 0) + "）";
      });
    });
    panel.setAttribute("data-counted", "");
  }
  function load() {
    if (loaded || !panel.open) return;
    loaded = true;
    fetch(panel.getAttribute("data-counts"), { headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(show)
      .catch(function () {
        loaded = false; // the next opening tries again
      });
  }
  panel.addEventListener("toggle", load);
  load();
})();
