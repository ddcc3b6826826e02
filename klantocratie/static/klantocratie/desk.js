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
  // "Gebruik dit antwoord": copy a knowledge-base answer into the contact form and
  // remember which item it was, so the contact records what it was about.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-use-answer]");
    if (!button) {
      return;
    }
    var form = document.querySelector("#contact form");
    if (!form) {
      return;
    }
    form.elements.answer.value = button.dataset.text;
    form.elements.subject_object.value = button.dataset.subject;
    if (!form.elements.subject.value) {
      form.elements.subject.value = button.dataset.title.slice(0, 200);
    }
    var question = document.querySelector("#vraag");
    if (question && question.value && !form.elements.question.value) {
      form.elements.question.value = question.value;
    }
    var used = form.querySelector("[data-used-answer]");
    used.hidden = false;
    used.querySelector("[data-used-answer-title]").textContent = button.dataset.title;
    form.elements.subject.focus();
  });
  // After a change the source's answer is shown beside the field: bring it into view.
  document.addEventListener("DOMContentLoaded", function () {
    var outcome = document.querySelector("[data-focus-on-load]");
    if (outcome) {
      outcome.focus();
    }
  });
})();
