// Evaluation pages: a print button (the page says how to print without it),
// and an export's progress brought up to date while it runs (without
// JavaScript the page has a "check again" link).
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  var status = document.getElementById("export-status");
  if (!status || !status.querySelector("[data-poll]")) { return; }
  var timer = setInterval(function () {
    fetch(location.href, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : Promise.reject(r.status);
    }).then(function (html) {
      var next = new DOMParser().parseFromString(html, "text/html").getElementById("export-status");
      if (!next) { return; }
      if (next.innerHTML !== status.innerHTML) { status.innerHTML = next.innerHTML; }
      if (!status.querySelector("[data-poll]")) { clearInterval(timer); }
    }).catch(function () { clearInterval(timer); });
  }, 2000);
})();
