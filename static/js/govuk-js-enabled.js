// GOV.UK Frontend's classes for a page with JavaScript (and a browser it supports), set before
// the page is drawn. A file of its own: the Content-Security-Policy allows no inline script.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
