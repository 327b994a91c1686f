// Physical network pages: print the rack elevation; in the cable form, the
// point suggestions follow the kind chosen for each end, and the face is
// asked only for a panel port.
document.querySelectorAll("[data-wk-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});

document.querySelectorAll("[data-point-kind]").forEach((select) => {
  const side = select.dataset.pointKind;
  const text = document.querySelector(`[data-point-text="${side}"]`);
  const face = document.querySelector(`[data-point-face="${side}"]`);
  const sync = () => {
    if (text) {
      const url = new URL(text.dataset.lookup, window.location.href);
      url.searchParams.set("kind", select.value);
      text.dataset.lookup = url.pathname + url.search;
    }
    if (face) face.closest("div").classList.toggle("d-none", select.value !== "port");
  };
  select.addEventListener("change", sync);
  sync();
});
