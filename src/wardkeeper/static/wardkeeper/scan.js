// The stocktake camera page: read QR labels with the phone's camera (or take
// a typed tag) and post each new tag to the stocktake. Feedback for every read
// comes back from the server, already translated.
(() => {
  "use strict";
  const root = document.getElementById("wk-scan");
  if (!root) return;
  const recordUrl = root.dataset.recordUrl;
  const form = document.getElementById("manual-form");
  const input = document.getElementById("manual-tag");
  const place = document.getElementById("scan-location");
  const log = document.getElementById("scan-log");
  const sessionCount = document.getElementById("session-count");
  const totalCount = document.getElementById("total-count");
  const startButton = document.getElementById("camera-start");
  const stopButton = document.getElementById("camera-stop");
  const hint = document.getElementById("reader-hint");
  const rooms = JSON.parse(document.getElementById("scan-rooms").textContent);
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  // Tags already sent in this session: the camera reports a label many times
  // a second while it stays in view.
  const seen = new Set();
  let reads = 0;
  let scanner = null;

  // Same rule as the server: a label's URL ends in /a/<tag>/.
  function tagOf(text) {
    const match = text.trim().match(/\/a\/([^/?#\s]+)\/?(?:[?#].*)?$/);
    return match ? decodeURIComponent(match[1]) : text.trim();
  }

  function note(text, tone) {
    const item = document.createElement("li");
    item.className = `list-group-item list-group-item-${tone}`;
    item.textContent = text;
    log.prepend(item);
    while (log.children.length > 50) log.lastElementChild.remove();
  }

  function switchRoom(code) {
    const id = rooms[code.trim().toUpperCase()];
    if (id === undefined) return false;
    place.value = String(id);
    note(`${root.dataset.msgRoom}: ${place.selectedOptions[0].textContent}`, "info");
    return true;
  }

  async function record(text, source) {
    const tag = tagOf(text);
    if (!tag) return;
    if (seen.has(tag.toUpperCase())) {
      if (source === "manual") note(`${tag}: ${root.dataset.msgDuplicate}`, "secondary");
      return;
    }
    seen.add(tag.toUpperCase());
    const body = new FormData();
    body.append("text", text);
    body.append("source", source);
    body.append("location", place.value);
    try {
      const response = await fetch(recordUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      });
      const data = await response.json();
      if (!response.ok) throw new Error(data.error || response.statusText);
      reads += 1;
      sessionCount.textContent = reads;
      totalCount.textContent = data.scans;
      note(data.message, data.known ? "success" : "warning");
      if (navigator.vibrate) navigator.vibrate(data.known ? 60 : [60, 80, 60]);
    } catch (error) {
      seen.delete(tag.toUpperCase()); // let the person try again
      note(`${root.dataset.msgFailed}: ${tag}: ${error.message}`, "danger");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = "";
    input.focus();
    if (!switchRoom(text)) record(text, "manual");
  });

  function onDecoded(text) {
    if (!switchRoom(text)) record(text, "camera");
  }

  async function start() {
    scanner = scanner || new Html5Qrcode("reader");
    try {
      await scanner.start(
        { facingMode: "environment" },
        { fps: 10, qrbox: (w, h) => { const s = Math.floor(Math.min(w, h) * 0.7); return { width: s, height: s }; } },
        onDecoded,
        () => {}, // a frame without a code: nothing to say
      );
      startButton.classList.add("d-none");
      stopButton.classList.remove("d-none");
      hint.classList.add("d-none");
    } catch (error) {
      note(`${root.dataset.msgCameraFailed}: ${error}`, "danger");
    }
  }

  async function stop() {
    if (scanner) await scanner.stop().catch(() => {});
    stopButton.classList.add("d-none");
    startButton.classList.remove("d-none");
    hint.classList.remove("d-none");
  }

  if (!window.isSecureContext || typeof Html5Qrcode === "undefined") {
    document.getElementById("insecure-context").classList.toggle("d-none", window.isSecureContext);
    startButton.disabled = true;
  } else {
    startButton.addEventListener("click", start);
    stopButton.addEventListener("click", stop);
  }
})();
