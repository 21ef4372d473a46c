// Shows how many characters a limited field has left as people type. Without JavaScript the limit stays written
// under the field and the server refuses a longer text with the limit named; the field itself never cuts a text.
(function () {
  "use strict";
  function watch(counter) {
    var input = document.getElementById(counter.getAttribute("data-counter-for"));
    if (!input) { return; }
    var limit = parseInt(input.getAttribute("data-maxlength"), 10);
    var left = counter.getAttribute("data-left");
    var over = counter.getAttribute("data-over");
    counter.setAttribute("aria-live", "polite");
    function update() {
      var rest = limit - input.value.length;
      counter.textContent = (rest >= 0 ? left : over).replace("{n}", String(Math.abs(rest)));
      counter.classList.toggle("over", rest < 0);
    }
    input.addEventListener("input", update);
    update();
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-counter-for]"), watch);
})();
