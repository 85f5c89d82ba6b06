// Live room: new messages arrive by server-sent events and are sent without
// reloading the page. Without JavaScript the room works by reloading.
(function () {
  "use strict";
  var room = document.getElementById("room");
  if (!room || !window.EventSource || !window.fetch) { return; }
  var list = document.getElementById("messages");
  var empty = document.getElementById("empty");
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
    li.appendChild(document.createElement("br"));
    li.appendChild(document.createTextNode(m.body));
    list.appendChild(li);
    li.scrollIntoView({ block: "nearest" });
  }
  var events = new EventSource(room.getAttribute("data-events"));
  events.addEventListener("message", function (e) { add(JSON.parse(e.data)); });
  events.addEventListener("state", function () { window.location.reload(); });
  var form = document.getElementById("say");
  if (!form) { return; }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (r.ok) { form.reset(); form.querySelector("textarea").focus(); } else { form.submit(); }
      })
      .catch(function () { form.submit(); });
  });
})();
