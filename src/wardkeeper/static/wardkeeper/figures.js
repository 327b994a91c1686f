// Charts of the service-desk dashboard (data from the page's JSON script).
(() => {
  const data = JSON.parse(document.getElementById("figures-data").textContent);
  if (!window.echarts) return;
  const series = echarts.init(document.getElementById("series-chart"));
  series.setOption({
    animation: false,
    grid: { left: 8, right: 8, top: 28, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.series.labels },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: data.names.reported, type: "bar", data: data.series.reported, itemStyle: { color: "#0d6efd" } },
      { name: data.names.resolved, type: "bar", data: data.series.resolved, itemStyle: { color: "#198754" } },
    ],
  });
  const backlog = echarts.init(document.getElementById("backlog-chart"));
  backlog.setOption({
    animation: false,
    grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.backlog.labels, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.backlog.values,
      itemStyle: { color: (p) => ["#198754", "#0dcaf0", "#ffc107", "#fd7e14", "#dc3545"][p.dataIndex] } }],
  });
  window.addEventListener("resize", () => { series.resize(); backlog.resize(); });
})();
