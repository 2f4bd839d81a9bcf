/*
 * Counts down the characters left in each field that has a `maxlength`, in
 * the field's hint, as the visitor types. Without this script the hint still
 * gives the limit and the browser still enforces it. The words come from the
 * hint's data-left-one and data-left-other attributes ("# characters left"),
 * picked with the page language's plural rules.
 *
 * The hint changes at once; screen readers hear the count in a polite live
 * region once typing pauses, rather than on every key.
 */
;(() => {
  const language = document.documentElement.lang || 'en'
  const plural = new Intl.PluralRules(language)
  const number = new Intl.NumberFormat(language)
  const ANNOUNCE_AFTER_MS = 1000

  for (const field of document.querySelectorAll('[maxlength]')) {
    const hint = document.getElementById(`${field.id}-hint`)
    const limit = Number(field.getAttribute('maxlength'))
    if (!hint || !hint.dataset.leftOther || !(limit > 0)) continue

    const count = document.createElement('span')
    count.className = 'countdown'
    hint.append(' · ', count)

    const live = document.createElement('span')
    live.className = 'visually-hidden'
    live.setAttribute('aria-live', 'polite')
    field.after(live)

    let timer
    const words = () => {
      const left = Math.max(0, limit - field.value.length)
      const template = plural.select(left) === 'one' ? hint.dataset.leftOne : hint.dataset.leftOther
      return template.replace('#', number.format(left))
    }
    const update = () => {
      count.textContent = words()
      clearTimeout(timer)
      timer = setTimeout(() => (live.textContent = words()), ANNOUNCE_AFTER_MS)
    }
    count.textContent = words()
    field.addEventListener('input', update)
  }
})()
