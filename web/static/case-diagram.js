// Case page: load the BPMN of the case's process version and let the viewer bundle mark where the case stands.
(function () {
  "use strict";
  var box = document.getElementById("diagram");
  if (!box || !window.BathoDiagram) { return; }
  fetch(box.getAttribute("data-xml-url"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error("diagram " + response.status); }
      return response.text();
    })
    .then(function (xml) {
      box.textContent = "";
      return window.BathoDiagram.view(box, xml, {
        active: JSON.parse(box.getAttribute("data-active") || "[]"),
        done: JSON.parse(box.getAttribute("data-done") || "[]")
      });
    })
    .catch(function () {
      box.textContent = "The diagram could not be shown; the steps are listed above.";
    });
})();
