// The floor-plan page: draws the markers over the drawing, places a marker
// where the plan is tapped, moves one by dragging, and shows an outlet's
// cable path to its switch port when its marker is tapped.
(() => {
  const plan = document.getElementById("plan");
  if (!plan) return;
  const text = JSON.parse(document.getElementById("plan-text").textContent);
  const detail = document.getElementById("plan-detail");
  const canMove = plan.dataset.canMove === "1";
  const canRemove = plan.dataset.canRemove === "1";
  const icons = { room: "door-closed", outlet: "ethernet", device: "hdd-network" };
  const csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  const send = (url, method, body) => fetch(url, {
    method, headers: { "Content-Type": "application/json", "X-CSRFToken": csrf,
      Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin",
  }).then(async (response) => {
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error((data.error && data.error.message) || response.status);
    return data;
  });
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    Object.entries(attrs).forEach(([key, value]) => node.setAttribute(key, value));
    node.append(...children);
    return node;
  };
  const fractionAt = (event) => {
    const box = plan.getBoundingClientRect();
    const clamp = (v) => Math.min(1, Math.max(0, v));
    return [clamp((event.clientX - box.left) / box.width), clamp((event.clientY - box.top) / box.height)];
  };

  const select = (button, marker) => {
    plan.querySelectorAll(".wk-selected").forEach((b) => b.classList.remove("wk-selected"));
    button.classList.add("wk-selected");
    const actions = el("div", { class: "d-flex flex-wrap gap-1 mt-2" },
      el("a", { class: "btn btn-sm btn-outline-primary", href: marker.url }, text.open));
    if (canRemove) {
      const remove = el("button", { type: "button", class: "btn btn-sm btn-outline-danger" }, text.remove);
      remove.addEventListener("click", () => send(`${plan.dataset.markersUrl}${marker.id}/`, "DELETE")
        .then(() => { button.remove(); detail.replaceChildren(); })
        .catch((error) => detail.append(el("p", { class: "text-danger" }, `${text.failed} ${error.message}`))));
      actions.append(remove);
    }
    if (marker.kind !== "outlet") {
      detail.replaceChildren(el("h2", { class: "h6" }, marker.label), actions);
      return;
    }
    detail.replaceChildren(el("p", { class: "text-body-secondary mb-0" }, text.loading));
    fetch(`${marker.url}?fragment=1`, { headers: { "HX-Request": "true" } })
      .then((response) => response.text())
      .then((html) => { detail.innerHTML = html; detail.append(actions); });
  };

  const draw = (marker) => {
    const button = el("button", { type: "button", class: `wk-marker wk-marker-${marker.kind}`,
      title: marker.label, "aria-label": marker.label, "data-marker": marker.id,
      "data-kind": marker.kind },
    el("i", { class: `bi bi-${icons[marker.kind]}`, "aria-hidden": "true" }),
    el("span", { class: "wk-marker-name", "aria-hidden": "true" }, marker.label));
    button.style.left = `${marker.x * 100}%`;
    button.style.top = `${marker.y * 100}%`;
    if (marker.colour) {
      button.style.background = marker.colour;
      if (marker.status === "unmonitored") button.style.color = "#212529";
    }
    let drag = null;
    button.addEventListener("pointerdown", (event) => {
      if (!canMove) return;
      drag = { x: event.clientX, y: event.clientY, moved: false };
      button.setPointerCapture(event.pointerId);
    });
    button.addEventListener("pointermove", (event) => {
      if (!drag) return;
      if (Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) > 4) drag.moved = true;
      if (!drag.moved) return;
      event.preventDefault();
      button.classList.add("wk-dragging");
      const [x, y] = fractionAt(event);
      button.style.left = `${x * 100}%`;
      button.style.top = `${y * 100}%`;
    });
    button.addEventListener("pointerup", (event) => {
      if (!drag) return;
      const moved = drag.moved;
      drag = null;
      button.classList.remove("wk-dragging");
      if (!moved) return;
      button.dataset.dragged = "1";
      const [x, y] = fractionAt(event);
      send(`${plan.dataset.markersUrl}${marker.id}/`, "POST", { x, y })
        .then((data) => { marker.x = data.marker.x; marker.y = data.marker.y; })
        .catch((error) => detail.replaceChildren(el("p", { class: "text-danger" }, `${text.failed} ${error.message}`)));
    });
    button.addEventListener("click", (event) => {
      event.stopPropagation();
      if (button.dataset.dragged) { delete button.dataset.dragged; return; }
      select(button, marker);
    });
    plan.append(button);
  };
  JSON.parse(document.getElementById("plan-markers").textContent).forEach(draw);

  const form = document.getElementById("plan-place");
  if (!form) return;
  const kind = form.querySelector("#plan-kind");
  const ref = form.querySelector("#plan-ref");
  const hint = form.querySelector("#plan-hint");
  const lookup = () => { ref.dataset.lookup = kind.selectedOptions[0].dataset.lookupUrl; };
  kind.addEventListener("change", lookup);
  lookup();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!ref.value.trim()) { hint.textContent = text.need; ref.focus(); return; }
    plan.classList.add("wk-plan-armed");
    hint.textContent = text.armed;
  });
  plan.addEventListener("click", (event) => {
    if (!plan.classList.contains("wk-plan-armed")) return;
    plan.classList.remove("wk-plan-armed");
    const [x, y] = fractionAt(event);
    send(plan.dataset.markersUrl, "POST", { kind: kind.value, ref: ref.value, x, y })
      .then((data) => { draw(data.marker); ref.value = ""; hint.textContent = ""; })
      .catch((error) => { hint.textContent = `${text.failed} ${error.message}`; });
  });
})();
