// Small conveniences on top of pages that work without JavaScript.
(function () {
  "use strict";
  // Move focus to the error summary after a failed submission.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();
