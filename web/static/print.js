// The Council report's print button (the page's content security policy allows no inline scripts).
(function () {
  "use strict";
  var button = document.getElementById("print-report");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
})();
