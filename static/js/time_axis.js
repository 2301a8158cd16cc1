/* A time axis without a date adapter: each point's x is its day number (days since
   1 January 1970, UTC), so irregular dates are spaced by the time between them. Ticks sit on
   the first day of a month (every month, or every few months on a long axis) and are labelled
   with the month and year. Used by the child's charts. */
window.NTTimeAxis = (function () {
  var DAY = 86400000
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  var MAX_TICKS = 8
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
  function monthStarts (min, max) {
    var first = new Date(min * DAY)
    var year = first.getUTCFullYear()
    var month = first.getUTCMonth() + (first.getUTCDate() === 1 ? 0 : 1)
    var starts = []
    for (;;) {
      var start = Math.round(Date.UTC(year, month, 1) / DAY)
      if (start > max) break
      starts.push(start)
      month += 1
    }
    var step = Math.max(1, Math.ceil(starts.length / MAX_TICKS))
    return starts.filter(function (_, i) { return i % step === 0 })
  }
  function scale (dates) {
    var first = day(dates[0])
    var last = day(dates[dates.length - 1])
    var pad = Math.max(15, Math.round((last - first) * 0.03))
    return {
      type: 'linear',
      min: first - pad,
      max: last + pad,
      afterBuildTicks: function (axis) {
        axis.ticks = monthStarts(axis.min, axis.max).map(function (value) { return { value: value } })
      },
      ticks: { autoSkip: false, callback: function (value) { return label(value) } }
    }
  }
  return { day: day, label: label, points: points, scale: scale }
})()
