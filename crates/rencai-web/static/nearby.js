// /nearby: asks the browser for the position of the moment only when the visitor presses the
// button, and posts it in the form body (never in a URL). Nothing is kept in the browser.
(function () {
  var form = document.getElementById("nearby-form");
  var button = document.getElementById("locate");
  var status = document.getElementById("locate-status");
  if (!form || !button) return;
  if (!("geolocation" in navigator)) {
    status.textContent = "这个浏览器不能提供位置，请在下方选择区域。";
    button.disabled = true;
    return;
  }
  button.addEventListener("click", function () {
    status.textContent = "正在获取位置…";
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        form.elements.lat.value = pos.coords.latitude.toFixed(5);
        form.elements.lng.value = pos.coords.longitude.toFixed(5);
        form.submit();
      },
      function () {
        status.textContent = "没有拿到位置（可能未允许），请在下方选择区域。";
        button.disabled = false;
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 }
    );
  });
})();
