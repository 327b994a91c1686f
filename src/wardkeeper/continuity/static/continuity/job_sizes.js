// A backup job's size chart: each recent run's size (failed runs in red),
// and the expected size as a dashed line (data from the page's JSON script).
(() => {
  const box = document.getElementById("size-chart");
  if (!window.echarts || !box) return;
  const data = JSON.parse(document.getElementById("size-data").textContent);
  const colour = { success: "#198754", warning: "#fd7e14", failed: "#dc3545", running: "#6c757d" };
  const chart = echarts.init(box);
  chart.setOption({
    animation: false,
    grid: { left: 8, right: 12, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "time", axisLabel: { hideOverlap: true } },
    yAxis: { type: "value", name: "GB", min: 0 },
    series: [{
      name: data.labels.size,
      type: "line",
      showSymbol: true,
      symbolSize: 5,
      data: data.points.map(([at, gb, status]) => ({ value: [at, gb], itemStyle: { color: colour[status] || colour.success } })),
      lineStyle: { color: "#0d6efd" },
      itemStyle: { color: "#0d6efd" },
      markLine: data.expected === null ? undefined : {
        symbol: "none",
        label: { formatter: data.labels.expected, position: "insideEndTop" },
        lineStyle: { type: "dashed", color: "#6c757d" },
        data: [{ yAxis: data.expected }],
      },
    }],
  });
  window.addEventListener("resize", () => chart.resize());
})();
