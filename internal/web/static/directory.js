// Services directory: "use my location" fills the place field with the
// browser's latitude and longitude. Without JavaScript (or without
// permission) a person types a place or coordinates instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-locate]");
  var place = document.getElementById("f-place");
  if (!box || !place || !navigator.geolocation) { return; }
  var button = box.querySelector("[data-locate-button]");
  var status = box.querySelector("[data-locate-status]");
  box.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = status.getAttribute("data-locating");
    navigator.geolocation.getCurrentPosition(function (pos) {
      place.value = pos.coords.latitude.toFixed(4) + ", " + pos.coords.longitude.toFixed(4);
      status.textContent = "";
      place.focus();
    }, function () {
      status.textContent = status.getAttribute("data-failed");
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
  });
})();
