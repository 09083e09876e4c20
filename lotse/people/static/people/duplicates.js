/* Keeps the answer to "Is it one of these persons?" across refreshes of the panel.

   The duplicate panel of a member row (people/_duplicates.html) is refreshed while the
   caseworker types. A refresh that was asked for before she chose an answer would come back
   without it, and the save would then be refused for a missing answer. After each refresh the
   answers chosen before are chosen again — but only when the panel still offers the same
   persons: new candidates ask the question anew. */
(function () {
  "use strict";

  var before = {};

  function candidates(panel) {
    return Array.prototype.map
      .call(panel.querySelectorAll("input[type=radio][name$='-existing']"), function (input) {
        return input.value;
      })
      .sort()
      .join(" ");
  }

  function isPanel(node) {
    return node && node.classList && node.classList.contains("lotse-duplicates");
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var panel = event.detail.target;
    if (!isPanel(panel)) {
      return;
    }
    var answers = [];
    panel.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
      answers.push({ name: input.name, value: input.value });
    });
    before[panel.id] = { candidates: candidates(panel), answers: answers };
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var panel = event.detail.target;
    var kept = isPanel(panel) && before[panel.id];
    if (!kept) {
      return;
    }
    delete before[panel.id];
    if (kept.candidates !== candidates(panel)) {
      return;
    }
    kept.answers.forEach(function (answer) {
      var group = panel.querySelectorAll("input[type=radio]");
      var answered = Array.prototype.some.call(group, function (input) {
        return input.name === answer.name && input.checked;
      });
      if (answered) {
        return;
      }
      Array.prototype.forEach.call(group, function (input) {
        if (input.name === answer.name && input.value === answer.value) {
          input.checked = true;
        }
      });
    });
  });
})();
