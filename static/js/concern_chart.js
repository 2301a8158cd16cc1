// Draws the running count of concerns by neglect type; the same figures are in the table below.
(function () {
  var canvas = document.getElementById('concern-chart')
  var source = document.getElementById('concern-chart-data')
  if (!canvas || !source || typeof Chart === 'undefined') return
  var data = JSON.parse(source.textContent)
  var colours = ['#1d70b8', '#00703c', '#d4351c', '#f47738', '#4c2c92', '#505a5f']
  new Chart(canvas, {
    type: 'line',
    data: {
      labels: data.rows.map(function (row) { return row[0] }),
      datasets: data.types.map(function (label, i) {
        return {
          label: label,
          data: data.rows.map(function (row) { return row[1][i] }),
          borderColor: colours[i % colours.length],
          backgroundColor: colours[i % colours.length],
          stepped: true
        }
      })
    },
    options: { animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  })
})()
