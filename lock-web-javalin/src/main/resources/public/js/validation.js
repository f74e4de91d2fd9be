// Validation answers of the API told in the form's own words, with the fields concerned highlighted.

const LABELS = {
  title: 'Title',
  startsAt: 'Starts',
  endsAt: 'Ends',
  location: 'Location',
  status: 'Status',
  attendees: 'Attendees',
  description: 'Description',
  email: 'Email',
  name: 'Name',
  password: 'Password',
};
const NAMES = new RegExp(`\\b(${Object.keys(LABELS).join('|')})\\b`, 'g');

/** "attendees[1]" → { name: "attendees", label: "Attendees (entry 2)" }. */
function field(apiField) {
  const [, name, index] = /^([A-Za-z]+)(?:\[(\d+)\])?/.exec(apiField || '') || [];
  const label = LABELS[name] || apiField;
  return { name, label: index === undefined ? label : `${label} (entry ${Number(index) + 1})` };
}

/** One sentence per invalid field, naming it as the form labels it. */
export function describeErrors(errors) {
  return errors.map((e) => `${field(e.field).label}: ${String(e.message).replace(NAMES, (n) => LABELS[n])}`).join('; ');
}

/** Highlights the inputs of {@code form} named by {@code errors}, and focuses the first of them. */
export function markInvalid(form, errors) {
  clearInvalid(form);
  let first = null;
  for (const e of errors) {
    const input = form.elements[field(e.field).name];
    if (!input || !input.setAttribute) continue;
    input.setAttribute('aria-invalid', 'true');
    first ??= input;
  }
  first?.focus();
}

export function clearInvalid(form) {
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}
