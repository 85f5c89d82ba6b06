// Live room: new messages arrive by server-sent events and are sent without
// reloading the page. Without JavaScript the room works by reloading.
(function () {
  "use strict";
  var room = document.getElementById("room");
  if (!room || !window.EventSource || !window.fetch) { return; }
  var list = document.getElementById("messages");
  var empty = document.getElementById("empty");
  var reportText = room.getAttribute("data-report");
  var seen = {};
  function add(m) {
    if (seen[m.id]) { return; }
    seen[m.id] = true;
    if (empty) { empty.remove(); empty = null; }
    var li = document.createElement("li");
    var name = document.createElement("strong");
    name.textContent = m.name;
    var when = document.createElement("span");
    when.className = "hint";
    when.textContent = " " + new Date(m.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    li.appendChild(name);
    li.appendChild(when);
    if (reportText) {
      var report = document.createElement("a");
      report.className = "hint";
      report.href = "/report?kind=message&id=" + encodeURIComponent(m.id);
      report.textContent = " " + reportText;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(report);
    }
    li.appendChild(document.createElement("br"));
    li.appendChild(document.createTextNode(m.body));
    list.appendChild(li);
    li.scrollIntoView({ block: "nearest" });
  }
  // The help card is already in the page, hidden; it is shown when the
  // server says what was just written may mean its author is struggling.
  function showHelp() {
    var slot = document.getElementById("help-slot");
    if (!slot) { return; }
    slot.hidden = false;
    var card = document.getElementById("help-card");
    if (card) { card.focus(); }
  }
  // Facilitators and safety leads get an alert with a link to the escalation.
  var alerts = document.getElementById("staff-alerts");
  function alertStaff(a) {
    if (!alerts || !a.url || a.url.indexOf("/safety/escalations/") !== 0) { return; }
    var p = document.createElement("p");
    p.className = "notice alert-" + (a.level === "crisis" ? "crisis" : "concern");
    p.textContent = alerts.getAttribute("data-text") + " ";
    var link = document.createElement("a");
    link.href = a.url;
    link.textContent = alerts.getAttribute("data-open");
    p.appendChild(link);
    alerts.appendChild(p);
  }
  var events = new EventSource(room.getAttribute("data-events"));
  events.addEventListener("message", function (e) { add(JSON.parse(e.data)); });
  events.addEventListener("alert", function (e) { alertStaff(JSON.parse(e.data)); });
  events.addEventListener("state", function () { window.location.reload(); });
  var form = document.getElementById("say");
  if (!form) { return; }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) { form.submit(); return; }
        form.reset();
        return r.json().then(function (res) {
          if (res && res.help) { showHelp(); } else { form.querySelector("textarea").focus(); }
        });
      })
      .catch(function () { form.submit(); });
  });
})();
