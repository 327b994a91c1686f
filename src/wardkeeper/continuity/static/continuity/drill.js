// The drill run page: the elapsed time since the drill started, against the
// system's RTO, ticking each second (the server rendered the minutes).
(function () {
  var clock = document.querySelector(".wk-clock[data-live]");
  if (!clock) return;
  var started = Date.parse(clock.dataset.started);
  var rto = parseInt(clock.dataset.rto, 10) * 60;
  var bar = document.querySelector(".wk-rto-bar");
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var seconds = Math.max(0, Math.floor((Date.now() - started) / 1000));
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60;
    clock.textContent = h + ":" + pad(m) + ":" + pad(seconds % 60);
    var over = rto > 0 && seconds > rto;
    clock.classList.toggle("text-danger", over);
    if (bar) {
      bar.style.width = Math.min(100, rto ? (100 * seconds) / rto : 0) + "%";
      bar.classList.toggle("bg-danger", over);
    }
  }
  tick();
  setInterval(tick, 1000);
})();

// Others work the same drill from their phones: ask now and then where it
// stands, and show their progress. The page reloads by itself unless notes
// are being written here; then it says so and waits for the reader.
(function () {
  var moved = document.getElementById("drill-moved");
  if (!moved || !moved.dataset.poll) return;
  var stamp = moved.dataset.stamp;
  function writing() {
    var fields = document.querySelectorAll("textarea, input[type=text]");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value.trim() || fields[i] === document.activeElement) return true;
    }
    return false;
  }
  var timer = setInterval(function () {
    fetch(moved.dataset.stampUrl, { credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (now) {
        if (!now || now.stamp === stamp) return;
        if (!writing()) { window.location.reload(); return; }
        moved.classList.remove("d-none");
        clearInterval(timer);
      })
      .catch(function () { /* offline for a moment: ask again next time */ });
  }, parseInt(moved.dataset.poll, 10));
})();
