// Draws the GCP2 area grades over time from the figures the page already shows in its table.
// Assessments are placed on a time axis (NTTimeAxis). Without JavaScript (or Chart.js) the table alone is shown.
(function () {
  var holder = document.querySelector('[data-gcp2-chart]')
  var source = document.getElementById('gcp2-chart-data')
  if (!holder || !source || typeof window.Chart === 'undefined' || !window.NTTimeAxis) return
  var axis = window.NTTimeAxis
  var data = JSON.parse(source.textContent)
  var colours = ['#1d70b8', '#d4351c', '#00703c', '#6f72af', '#f47738', '#912b88']
  holder.hidden = false
  new window.Chart(document.getElementById('gcp2-chart'), {
    type: 'line',
    data: {
      datasets: data.datasets.map(function (set, index) {
        var colour = colours[index % colours.length]
        return { label: set.label, data: axis.points(data.dates, set.data), borderColor: colour, backgroundColor: colour, spanGaps: true, tension: 0 }
      })
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { tooltip: { callbacks: { title: function (items) { return data.labels[items[0].dataIndex] } } } },
      scales: {
        x: axis.scale(data.dates),
        y: { min: 1, max: 5, reverse: true, ticks: { stepSize: 1 }, title: { display: true, text: 'Grade (1 best, 5 worst)' } }
      }
    }
  })
})()
