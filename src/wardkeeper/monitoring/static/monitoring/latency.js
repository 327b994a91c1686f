// The latency chart of a check's page (data from the page's JSON scripts).
(() => {
  const data = JSON.parse(document.getElementById("latency-data").textContent);
  const names = JSON.parse(document.getElementById("latency-names").textContent);
  const box = document.getElementById("latency-chart");
  if (!window.echarts || !box) return;
  const colours = { latency: "#0d6efd", p50: "#0d6efd", p95: "#fd7e14" };
  // Outages shade the chart: red when unplanned, blue inside maintenance.
  const areas = data.outages.map(([from, to, planned]) => [
    { xAxis: from, itemStyle: { color: planned ? "rgba(13,202,240,0.18)" : "rgba(220,53,69,0.18)" } },
    { xAxis: to },
  ]);
  const series = Object.entries(data.series).map(([key, points], index) => ({
    name: names[key],
    type: "line",
    // Few points (a new check, sparse results) would not show as a line.
    showSymbol: points.length < 100,
    data: points,
    itemStyle: { color: colours[key] },
    markArea: index === 0 ? { silent: true, data: areas } : undefined,
  }));
  const chart = echarts.init(box);
  chart.setOption({
    animation: false,
    grid: { left: 8, right: 8, top: 28, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "time", min: data.start, max: data.end },
    yAxis: { type: "value", name: "ms" },
    series,
  });
  window.addEventListener("resize", () => chart.resize());
})();
