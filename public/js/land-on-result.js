/*
 * The inspector's buttons redirect to their result (/session#race-outcome…),
 * and the browser scrolls there. This gives that result the focus too, so a
 * keyboard or screen reader goes on from there rather than from the top.
 * Only targets made for it (tabindex="-1") take the focus.
 */
;(() => {
  const id = decodeURIComponent(window.location.hash.slice(1))
  const target = id && document.getElementById(id)
  if (target && target.getAttribute('tabindex') === '-1') {
    target.focus()
  }
})()
