// The appointment list and the form that creates one.
import { $, el, busy, toast } from './dom.js';
import { api, describe } from './api.js';
import { session } from './session.js';
import { clock, dateTime, shortTime, toLocalInput, fromLocalInput } from './format.js';

function lockSummary(lock) {
  if (!lock) return el('span', { className: 'pill free', textContent: 'Free' });
  const mine = lock.userId === session.user?.id;
  return el('span', {
    className: `pill ${mine ? 'mine' : 'other'}`,
    textContent: `${mine ? 'You' : lock.userInfo.name} · until ${clock(lock.expiresAt)}`,
  });
}

const PAGE_SIZE = 50;
let shown = 0;

function row(a) {
  return el('tr', {},
    el('td', {}, el('a', { href: `#/a/${a.id}`, textContent: a.title })),
    el('td', { className: 'when', textContent: `${dateTime(a.startsAt)} – ${shortTime(a.endsAt)}` }),
    el('td', { textContent: a.location || '—' }),
    el('td', {}, el('span', { className: `status ${a.status}`, textContent: a.status })),
    el('td', {}, lockSummary(a.lock)));
}

/** Loads the list's first page, or with {@code more} the page after those shown. */
export async function loadList({ more = false } = {}) {
  const rows = $('appointment-rows');
  const offset = more ? shown : 0;
  const button = $('list-more');
  if (more) busy(button, true, 'Loading…');
  try {
    const { data } = await api('GET', `/appointments?limit=${PAGE_SIZE}&offset=${offset}`);
    const added = data.data.map(row);
    if (more) rows.append(...added);
    else rows.replaceChildren(...added);
    shown = offset + data.data.length;
    $('list-empty').hidden = data.total > 0;
    $('list-count').textContent = data.total > 0 ? `Showing ${shown} of ${data.total}` : '';
    button.hidden = shown >= data.total;
  } catch (e) {
    if (session.token) toast(describe(e), 'error');
  } finally {
    if (more) busy(button, false);
  }
}

export function toggleCreate(open) {
  $('create-form').hidden = !open;
  $('show-create').setAttribute('aria-expanded', String(open));
  if (open) {
    const form = $('create-form');
    const start = new Date(Date.now() + 3_600_000);
    start.setMinutes(0, 0, 0);
    form.startsAt.value = toLocalInput(start.toISOString());
    form.endsAt.value = toLocalInput(new Date(start.getTime() + 3_600_000).toISOString());
    form.title.focus();
  }
}

export async function submitCreate(event) {
  event.preventDefault();
  const form = event.target;
  const error = form.querySelector('.form-error');
  const button = form.querySelector('button[type=submit]');
  error.textContent = '';
  const body = {
    title: form.title.value.trim(),
    startsAt: fromLocalInput(form.startsAt.value),
    endsAt: fromLocalInput(form.endsAt.value),
  };
  if (form.location.value.trim()) body.location = form.location.value.trim();
  if (form.description.value.trim()) body.description = form.description.value;
  busy(button, true, 'Creating…');
  try {
    const { data } = await api('POST', '/appointments', { body });
    form.reset();
    toggleCreate(false);
    location.hash = `#/a/${data.id}`;
  } catch (e) {
    error.textContent = describe(e);
  } finally {
    busy(button, false);
  }
}
