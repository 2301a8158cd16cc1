/* A time axis without a date adapter: each point's x is its day number (days since
   1 January 1970, UTC), so irregular dates are spaced by the time between them, and ticks are
   labelled as month and year. Used by the child's charts. */
window.NTTimeAxis = (function () {
  var DAY = 86400000
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  function day (iso) {
    var parts = iso.split('-')
    return Math.round(Date.UTC(+parts[0], +parts[1] - 1, +parts[2]) / DAY)
  }
  function label (dayNumber) {
    var date = new Date(dayNumber * DAY)
    return MONTHS[date.getUTCMonth()] + ' ' + date.getUTCFullYear()
  }
  function points (dates, values) {
    return dates.map(function (iso, i) { return { x: day(iso), y: values[i] } })
  }
  function scale (dates) {
    var first = day(dates[0])
    var last = day(dates[dates.length - 1])
    var pad = Math.max(15, Math.round((last - first) * 0.03))
    return {
      type: 'linear',
      min: first - pad,
      max: last + pad,
      ticks: { maxTicksLimit: 8, callback: function (value) { return label(value) } }
    }
  }
  return { day: day, label: label, points: points, scale: scale }
})()
