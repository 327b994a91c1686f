// The topology page: draws the site's graph from the API with cytoscape.js,
// shows a device's or link's details on a tap, exports SVG and PNG.
(() => {
  const box = document.getElementById("topology");
  if (!box || typeof cytoscape === "undefined") return;
  const text = JSON.parse(document.getElementById("topology-text").textContent);
  const colours = Object.fromEntries(
    JSON.parse(document.getElementById("topology-statuses").textContent)
      .map(([status, colour]) => [status, colour]));
  const shapes = Object.fromEntries(
    JSON.parse(document.getElementById("topology-kinds").textContent)
      .map(([kind, shape]) => [kind, shape]));
  const detail = document.getElementById("topology-detail");
  const count = document.getElementById("topology-count");

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    Object.entries(attrs).forEach(([key, value]) => node.setAttribute(key, value));
    node.append(...children);
    return node;
  };
  const row = (label, value) => [el("dt", { class: "col-5" }, label),
    el("dd", { class: "col-7 mb-1" }, value)];

  const style = [
    { selector: "node", style: {
      "background-color": (n) => colours[n.data("status")] || "#ffffff",
      "shape": (n) => shapes[n.data("kind")] || "ellipse",
      "border-width": 2, "border-color": "#343a40",
      "label": "data(label)", "font-size": 11, "text-valign": "bottom",
      "text-margin-y": 4, "text-wrap": "ellipsis", "text-max-width": 110,
      "width": 34, "height": 34, "text-background-color": "#ffffff",
      "text-background-opacity": 0.85, "text-background-padding": 2,
    } },
    { selector: "node[?outside]", style: { "border-style": "dashed", "opacity": 0.75 } },
    { selector: "node:selected", style: { "border-color": "#0d6efd", "border-width": 4 } },
    { selector: "edge", style: {
      "width": 2, "line-color": "#6c757d", "curve-style": "bezier",
    } },
    { selector: "edge[learned = 'lldp']", style: { "line-style": "dashed" } },
    { selector: "edge[learned = 'both']", style: { "width": 4, "line-color": "#495057" } },
    { selector: "edge[?mismatch]", style: { "line-color": "#dc3545" } },
    { selector: "edge:selected", style: { "line-color": "#0d6efd" } },
  ];

  const layoutFor = (cy) => {
    const roots = cy.nodes().filter((n) => n.data("level") === 0);
    return { name: "breadthfirst", directed: false, roots: roots.length ? roots : undefined,
      spacingFactor: 1.1, padding: 20, avoidOverlap: true, nodeDimensionsIncludeLabels: true,
      animate: false };
  };

  const showNode = (data) => {
    const asset = box.dataset.assetUrl.replace("/0/", `/${data.id}/`);
    const checks = box.dataset.checksUrl.replace(/asset=0$/, `asset=${data.id}`);
    detail.replaceChildren(
      el("h2", { class: "h6" }, data.label),
      el("dl", { class: "row mb-2" },
        ...row(text.tag, data.tag), ...row(text.type, data.kind_name),
        ...row(text.status, el("span", {},
          el("span", { class: "wk-swatch", style: `background:${colours[data.status]}` }),
          ` ${data.status_label}`))),
      ...(data.outside ? [el("p", { class: "text-body-secondary" }, text.outside)] : []),
      el("div", { class: "d-flex flex-wrap gap-1" },
        el("a", { class: "btn btn-sm btn-primary", href: asset }, text.asset),
        el("a", { class: "btn btn-sm btn-outline-secondary", href: checks }, text.checks)));
  };

  const showEdge = (data, cy) => {
    const source = cy.getElementById(data.source).data("label");
    const target = cy.getElementById(data.target).data("label");
    detail.replaceChildren(
      el("h2", { class: "h6" }, `${source} — ${target}`),
      el("ul", { class: "list-unstyled mb-1" }, ...data.links.map((link) => el("li", {},
        `${link.source_interface} ↔ ${link.target_interface} (${text[link.learned]})`))),
      ...data.mismatches.map((line) => el("p", { class: "text-danger mb-1" },
        el("i", { class: "bi bi-exclamation-triangle", "aria-hidden": "true" }), ` ${line}`)));
  };

  const download = (blob, name) => {
    const link = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  };

  fetch(box.dataset.url, { headers: { Accept: "application/json" } })
    .then((response) => { if (!response.ok) throw new Error(response.status); return response.json(); })
    .then((graph) => {
      const labels = Object.fromEntries(
        JSON.parse(document.getElementById("topology-statuses").textContent)
          .map(([status, , label]) => [status, label]));
      graph.nodes.forEach((node) => { node.data.status_label = labels[node.data.status]; });
      const cy = cytoscape({ container: box, elements: [...graph.nodes, ...graph.edges],
        style, wheelSensitivity: 0.3, minZoom: 0.05, maxZoom: 4 });
      cy.layout(layoutFor(cy)).run();
      window.wkTopology = cy;
      count.textContent = text.count.replace("%(nodes)s", cy.nodes().length)
        .replace("%(edges)s", cy.edges().length);
      if (!cy.nodes().length) detail.replaceChildren(el("p", { class: "mb-0" }, text.empty));
      cy.on("tap", "node", (event) => showNode(event.target.data()));
      cy.on("tap", "edge", (event) => showEdge(event.target.data(), cy));
      document.querySelector("[data-topology=fit]").addEventListener("click", () => cy.fit(undefined, 20));
      document.querySelector("[data-topology=svg]").addEventListener("click", () => {
        const svg = cy.svg({ full: true, bg: "#ffffff" });
        download(new Blob([svg], { type: "image/svg+xml" }), `topology-${box.dataset.file}.svg`);
      });
      document.querySelector("[data-topology=png]").addEventListener("click", () => {
        download(cy.png({ full: true, bg: "#ffffff", output: "blob", scale: 2 }),
          `topology-${box.dataset.file}.png`);
      });
      box.dataset.ready = "true";
    })
    .catch(() => { detail.replaceChildren(el("p", { class: "text-danger mb-0" }, text.failed)); });
})();
