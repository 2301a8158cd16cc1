/* Draws each dashboard chart from the JSON beside it. The same figures are always in the
   table below the chart, so the page is complete without this script. */
(function () {
  if (typeof Chart === 'undefined') { return }
  document.querySelectorAll('canvas[id$="-chart"]').forEach(function (canvas) {
    var source = document.getElementById(canvas.id + '-data')
    if (!source) { return }
    var data = JSON.parse(source.textContent)
    var isTrend = canvas.id === 'trend-chart'
    new Chart(canvas, {
      type: isTrend ? 'line' : 'bar',
      data: {
        labels: data.labels,
        datasets: [{
          label: data.unit === '%' ? 'Percentage' : 'Number',
          data: data.values,
          borderColor: '#1d70b8',
          backgroundColor: '#1d70b8',
          spanGaps: false
        }]
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return data.unit === '%' ? v + '%' : v } } } }
      }
    })
  })
})()
