// Wardkeeper's page behaviour. Small by design: htmx does the requests.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});

// Inputs that pick a row of a big table by its code or tag (data-lookup)
// suggest matches as one types, through a datalist filled from the server.
document.addEventListener("input", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.lookup) return;
  clearTimeout(input.wkLookupTimer);
  input.wkLookupTimer = setTimeout(async () => {
    const text = input.value.trim();
    if (text.length < 2) return;
    const url = new URL(input.dataset.lookup, window.location.href);
    url.searchParams.set("q", text);
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const { results } = await response.json();
    let list = document.getElementById(`${input.id}-options`);
    if (!list) {
      list = document.createElement("datalist");
      list.id = `${input.id}-options`;
      input.after(list);
      input.setAttribute("list", list.id);
    }
    list.replaceChildren(...results.map((row) => {
      const option = document.createElement("option");
      option.value = row.value;
      option.textContent = row.label;
      return option;
    }));
  }, 250);
});

// Report filters: the From/To dates matter only for a period of one's own.
document.querySelectorAll(".wk-report-filter").forEach((form) => {
  const period = form.querySelector("select[name=period]");
  if (!period) return;
  const toggle = () => form.querySelectorAll(".wk-period-custom")
    .forEach((box) => box.classList.toggle("d-none", period.value !== "custom"));
  period.addEventListener("change", toggle);
  toggle();
});
