// Harbour's page script: turns on GOV.UK Frontend components and keeps
// unsent text in long forms for this browser tab only (sessionStorage is
// cleared when the tab closes; nothing is kept on shared laptops), so a
// slip of the back button or a reload never loses a note.
import { initAll } from '/static/vendor/govuk/govuk-frontend.min.js'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
}
// Ticked boxes marked data-draft-check are kept with the text (restored
// before GOV.UK Frontend starts, so their conditional parts open too).
const draftChecks = (form) => form.querySelectorAll('input[type=checkbox][data-draft-check]')
const checkKey = (c) => 'check:' + c.name + '=' + c.value
for (const form of document.querySelectorAll('form[data-draft-form]')) {
  let saved = {}
  try { saved = JSON.parse(sessionStorage.getItem('harbour-draft:' + form.dataset.draftForm) || '{}') } catch (e) { saved = {} }
  for (const c of draftChecks(form)) { if (saved[checkKey(c)]) { c.checked = true } }
}

initAll()

for (const form of document.querySelectorAll('form[data-draft-form]')) {
  const key = 'harbour-draft:' + form.dataset.draftForm
  const fields = form.querySelectorAll('textarea[data-draft], input[type=text]')
  const checks = draftChecks(form)
  let saved = {}
  try { saved = JSON.parse(sessionStorage.getItem(key) || '{}') } catch (e) { saved = {} }
  const store = () => {
    const data = {}
    for (const g of fields) { if (g.value) { data[g.name] = g.value } }
    for (const c of checks) { if (c.checked) { data[checkKey(c)] = '1' } }
    sessionStorage.setItem(key, JSON.stringify(data))
  }
  for (const f of fields) {
    if (!f.value && saved[f.name]) { f.value = saved[f.name] }
    f.addEventListener('input', store)
  }
  for (const c of checks) { c.addEventListener('change', store) }
}

// A draft is forgotten only once the server confirms it saved (the record
// page says so), never on submit: a submit that fails, or meets an ended
// session, keeps the text for when the form is shown again.
const saved = document.querySelector('[data-saved-draft]')
if (saved) {
  sessionStorage.removeItem('harbour-draft:' + saved.dataset.savedDraft)
}

// The police handover pack's "Print this pack" button: shown only when
// script runs (the browser's own print works without it).
for (const b of document.querySelectorAll('[data-print-button]')) {
  b.hidden = false
  b.addEventListener('click', () => window.print())
}
