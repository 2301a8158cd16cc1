/* Draws each dashboard chart from the JSON beside it. The same figures are always in the
   table below the chart, so the page is complete without this script. A metric that is a
   share of its own total comes as `series` (the shares it is made of) and is drawn stacked,
   as the report pack draws it. */
(function () {
  if (typeof Chart === 'undefined') { return }
  function percent (data) { return function (v) { return data.unit === '%' ? v + '%' : v } }
  document.querySelectorAll('canvas[id$="-chart"]').forEach(function (canvas) {
    var source = document.getElementById(canvas.id + '-data')
    if (!source) { return }
    var data = JSON.parse(source.textContent)
    if (data.stacked) {
      new Chart(canvas, {
        type: 'bar',
        data: {
          labels: data.labels,
          datasets: data.series.map(function (series) {
            return { label: series.label, data: series.values, backgroundColor: series.colour }
          })
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          plugins: { legend: { display: true, position: 'bottom' } },
          scales: {
            x: { stacked: true },
            y: { stacked: true, beginAtZero: true, max: 100, ticks: { callback: percent(data) } }
          }
        }
      })
      return
    }
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
        scales: { y: { beginAtZero: true, ticks: { callback: percent(data) } } }
      }
    })
  })
})()
