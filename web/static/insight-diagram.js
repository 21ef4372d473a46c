// Process insight: draw the version's diagram with the viewer bundle, mark busy and used steps, and pin the
// number of cases waiting (and the median hours) on each step, read from the table beside it.
(function () {
  "use strict";
  var box = document.getElementById("insight-diagram");
  if (!box || !window.BathoDiagram) { return; }
  var rows = document.querySelectorAll("#steps tr[data-step]");
  window.BathoDiagram.view(box, JSON.parse(box.getAttribute("data-xml")), {
    active: JSON.parse(box.getAttribute("data-active") || "[]"),
    done: JSON.parse(box.getAttribute("data-done") || "[]")
  }).then(function (viewer) {
    var overlays = viewer.get("overlays");
    var registry = viewer.get("elementRegistry");
    rows.forEach(function (row) {
      var id = row.getAttribute("data-step");
      if (!registry.get(id)) { return; }
      var badge = document.createElement("span");
      badge.className = "heat-badge " + row.className;
      var median = row.getAttribute("data-median");
      badge.textContent = row.getAttribute("data-waiting") + " waiting" + (median ? " · " + median + " h" : "");
      badge.style.cssText = "font:11px sans-serif;padding:1px 4px;border:1px solid #999;border-radius:3px;white-space:nowrap";
      overlays.add(id, { position: { bottom: 14, left: 0 }, html: badge });
    });
  }).catch(function () { /* the viewer shows its own message; the table stays */ });
})();
