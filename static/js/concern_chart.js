// Draws the running count of concerns by neglect type; the same figures are in the table below.
// Months are placed on a time axis (NTTimeAxis), so a gap of a year looks like one.
(function () {
  var canvas = document.getElementById('concern-chart')
  var source = document.getElementById('concern-chart-data')
  if (!canvas || !source || typeof Chart === 'undefined' || !window.NTTimeAxis) return
  var data = JSON.parse(source.textContent)
  var axis = window.NTTimeAxis
  var colours = ['#1d70b8', '#00703c', '#d4351c', '#f47738', '#4c2c92', '#505a5f']
  new Chart(canvas, {
    type: 'line',
    data: {
      datasets: data.types.map(function (label, i) {
        return {
          label: label,
          data: axis.points(data.dates, data.rows.map(function (row) { return row[1][i] })),
          borderColor: colours[i % colours.length],
          backgroundColor: colours[i % colours.length],
          stepped: true
        }
      })
    },
    options: {
      animation: false,
      plugins: { tooltip: { callbacks: { title: function (items) { return axis.label(items[0].parsed.x) } } } },
      scales: { x: axis.scale(data.dates), y: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  })
})()
