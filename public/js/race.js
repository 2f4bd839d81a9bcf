/*
 * The session inspector's race: sends the slow and the quick request at the
 * same moment, each with the page's CSRF token and the same run number,
 * then reloads the inspector to show which of the two changes the session
 * kept. Without JavaScript the button stays hidden and the page says why.
 */
;(() => {
  const form = document.getElementById('race-form')
  if (!form) return
  const button = form.querySelector('button')
  button.hidden = false

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    button.disabled = true
    const body = new URLSearchParams(new FormData(form))
    body.set('run', String(Date.now()))
    const send = (url) =>
      fetch(url, { method: 'POST', body, credentials: 'same-origin', redirect: 'manual' })
    await Promise.allSettled([send(form.action), send(form.dataset.quick)])
    window.location.assign(form.dataset.done)
  })
})()
