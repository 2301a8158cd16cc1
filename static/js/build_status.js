/* Progressive enhancement of the build status page: without JavaScript the page refreshes
   itself (meta refresh); with it, a small JSON request updates the progress in place. */
(function () {
  var panel = document.getElementById('build-progress')
  if (!panel || panel.dataset.active !== 'true') { return }
  var meta = document.querySelector('meta[http-equiv="refresh"]')
  if (meta) { meta.parentNode.removeChild(meta) }
  var url = panel.dataset.statusUrl
  function poll () {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.json() })
      .then(function (status) {
        document.getElementById('build-status-text').textContent = status.status_text
        document.getElementById('build-progress-text').textContent =
          status.metrics_done + ' of ' + status.metrics_total + ' metrics built'
        var bar = document.getElementById('build-progress-bar')
        bar.value = status.metrics_done
        bar.max = status.metrics_total || 1
        if (status.active) { window.setTimeout(poll, 1500) } else { window.location.reload() }
      })
      .catch(function () { window.setTimeout(poll, 5000) })
  }
  window.setTimeout(poll, 1500)
})()
