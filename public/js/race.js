/*
 * The session inspector's race: sends the slow and the quick request at the
 * same moment, each with the page's CSRF token and the same run number,
 * then reloads the inspector at the result, which says which of the two
 * changes the session kept. As a new visitor, the page first ends the
 * session, so that both requests arrive without one. Without JavaScript
 * the buttons stay hidden and the page says why.
 */
;(() => {
  const form = document.getElementById('race-form')
  if (!form) return
  const buttons = [...form.querySelectorAll('button')]
  for (const button of buttons) button.hidden = false

  const send = (url, body) =>
    fetch(url, { method: 'POST', body, credentials: 'same-origin', redirect: 'manual' })

  // The CSRF secret changes with the session: a token for the new one.
  const freshToken = async () => {
    const page = await fetch(form.dataset.show, { credentials: 'same-origin' })
    const html = new DOMParser().parseFromString(await page.text(), 'text/html')
    return html.querySelector('input[name="_csrf"]').value
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const button = event.submitter || buttons[0]
    for (const each of buttons) each.disabled = true
    const body = new URLSearchParams(new FormData(form))
    body.set('run', String(Date.now()))
    body.set('visitor', button.value)
    if (button.value === 'new') {
      await send(form.dataset.end, body)
      body.set('_csrf', await freshToken())
    }
    await Promise.allSettled([send(form.action, body), send(form.dataset.quick, body)])
    // The same address with another anchor would only scroll: the address
    // takes the result's anchor, then the page reloads, at the anchor rather
    // than where it was scrolled.
    window.history.replaceState(null, '', button.dataset.done)
    window.history.scrollRestoration = 'manual'
    window.location.reload()
  })
})()
