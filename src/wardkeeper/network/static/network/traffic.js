// The per-interface chart: in/out bit/s on the left axis, errors and
// discards per second on the right (data from the page's JSON scripts).
(() => {
  const box = document.getElementById("traffic-chart");
  if (!window.echarts || !box) return;
  const data = JSON.parse(document.getElementById("traffic-data").textContent);
  const names = JSON.parse(document.getElementById("traffic-names").textContent);
  const bits = (v) => {
    for (const [unit, size] of [["G", 1e9], ["M", 1e6], ["k", 1e3]]) {
      if (Math.abs(v) >= size) return `${(v / size).toFixed(1)} ${unit}`;
    }
    return `${Math.round(v)}`;
  };
  const style = { in: ["#0d6efd", 0], out: ["#20c997", 0], errors: ["#dc3545", 1], discards: ["#fd7e14", 1] };
  const series = Object.entries(data.series).map(([key, points]) => ({
    name: names[key],
    type: "line",
    yAxisIndex: style[key][1],
    showSymbol: points.length < 60,
    data: points,
    itemStyle: { color: style[key][0] },
    areaStyle: style[key][1] === 0 ? { opacity: 0.08 } : undefined,
  }));
  const chart = echarts.init(box);
  chart.setOption({
    animation: false,
    // On a phone the legend wraps: leave it room above the axis names.
    grid: { left: 8, right: 8, top: box.clientWidth < 576 ? 76 : 48, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "time", min: data.start, max: data.end, axisLabel: { hideOverlap: true } },
    yAxis: [
      { type: "value", name: "bit/s", axisLabel: { formatter: bits } },
      { type: "value", name: "/s", splitLine: { show: false } },
    ],
    series,
  });
  window.addEventListener("resize", () => chart.resize());
})();
