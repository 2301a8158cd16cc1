/* Progressive enhancement of a notification import's page: while the import runs, a small
   JSON request updates its progress in place and reloads the page once it has finished.
   Without JavaScript the page has a link to check again. */
(function () {
  var panel = document.getElementById('import-progress')
  if (!panel || panel.dataset.active !== 'true') { return }
  var url = panel.dataset.statusUrl
  function poll () {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.json() })
      .then(function (status) {
        document.getElementById('import-status-text').textContent =
          status.status_display + (status.progress ? ': ' + status.progress : '')
        if (status.finished) { window.location.reload() } else { window.setTimeout(poll, 1000) }
      })
      .catch(function () { window.setTimeout(poll, 5000) })
  }
  window.setTimeout(poll, 1000)
})()
