/* The census job page: polls the job's status JSON and updates the progress in place, then
   reloads once the job has finished so its results show. Without JavaScript, a "Check again"
   link reloads the page (no meta refresh). */
(function () {
  var panel = document.getElementById('census-progress')
  if (!panel || panel.dataset.finished === 'true') { return }
  var url = panel.dataset.statusUrl
  function poll () {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.json() })
      .then(function (status) {
        document.getElementById('census-status').textContent = status.status_label
        document.getElementById('census-stage').textContent = status.stage
        document.getElementById('census-count').textContent =
          status.done + (status.total ? ' of ' + status.total : '') + ' children'
        if (status.finished) { window.location.reload() } else { window.setTimeout(poll, 1500) }
      })
      .catch(function () { window.setTimeout(poll, 5000) })
  }
  window.setTimeout(poll, 1500)
})()
