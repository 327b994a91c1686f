// The throughput paths' chart: one line of Mbit/s per path (data from the
// page's JSON script).
(() => {
  const box = document.getElementById("throughput-chart");
  if (!window.echarts || !box) return;
  const data = JSON.parse(document.getElementById("throughput-data").textContent);
  const chart = echarts.init(box);
  chart.setOption({
    animation: false,
    // On a phone the legend wraps: leave it room above the axis name.
    grid: { left: 8, right: 8, top: box.clientWidth < 576 ? 76 : 48, bottom: 8, containLabel: true },
    legend: { top: 0, type: "scroll" },
    tooltip: { trigger: "axis", valueFormatter: (v) => `${v} Mbit/s` },
    xAxis: { type: "time", min: data.start, max: data.end, axisLabel: { hideOverlap: true } },
    yAxis: { type: "value", name: "Mbit/s", min: 0 },
    series: data.series.map((line) => ({
      name: line.name,
      type: "line",
      showSymbol: line.points.length < 60,
      data: line.points,
    })),
  });
  window.addEventListener("resize", () => chart.resize());
})();
