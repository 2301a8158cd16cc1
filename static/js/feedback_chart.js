// Draws the child's and family's answers over time on a time axis; the same answers are in the
// table below. Each answer is a share of its scale (0 worst, 100 best).
(function () {
  var canvas = document.getElementById('feedback-chart')
  var source = document.getElementById('feedback-chart-data')
  if (!canvas || !source || typeof Chart === 'undefined' || !window.NTTimeAxis) return
  var data = JSON.parse(source.textContent)
  var axis = window.NTTimeAxis
  var colours = ['#1d70b8', '#00703c', '#d4351c']
  var dates = []
  data.series.forEach(function (set) { set.points.forEach(function (p) { dates.push(p.date) }) })
  dates.sort()
  new Chart(canvas, {
    type: 'line',
    data: {
      datasets: data.series.map(function (set, i) {
        return {
          label: set.label,
          data: set.points.map(function (p) { return { x: axis.day(p.date), y: p.value } }),
          borderColor: colours[i % colours.length],
          backgroundColor: colours[i % colours.length]
        }
      })
    },
    options: {
      animation: false,
      plugins: { tooltip: { callbacks: { title: function (items) { return axis.label(items[0].parsed.x) } } } },
      scales: { x: axis.scale(dates), y: { min: 0, max: 100, title: { display: true, text: 'Share of the scale (100 best)' } } }
    }
  })
})()
