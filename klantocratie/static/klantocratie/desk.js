// The desk's keyboard: "/" jumps to the client search from anywhere but a text field,
// Escape leaves a field. Everything else is plain HTML forms (Enter submits).
(function () {
  "use strict";
  function typing(element) {
    var tag = element && element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (element && element.isContentEditable);
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(document.activeElement)) {
      var search = document.querySelector("[data-desk-search]");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    } else if (event.key === "Escape" && typing(document.activeElement)) {
      document.activeElement.blur();
    }
  });
  // After a change the source's answer is shown beside the field: bring it into view.
  document.addEventListener("DOMContentLoaded", function () {
    var outcome = document.querySelector("[data-focus-on-load]");
    if (outcome) {
      outcome.focus();
    }
  });
})();
