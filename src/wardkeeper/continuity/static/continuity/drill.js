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
