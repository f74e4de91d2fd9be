// The appointment list, paged and kept live, and the form that creates an appointment.
import { $, el, busy, toast } from './dom.js';
import { api, describe } from './api.js';
import { session } from './session.js';
import { clock, date, shortTime, toLocalInput, fromLocalInput } from './format.js';
import { socket } from './socket.js';
import { markInvalid, clearInvalid } from './validation.js';

const PAGE_SIZE = 50;
// The server lets one connection watch 50 appointments; the list watches its first rows, the rest refresh with it.
const WATCHED_ROWS = 20;
const REREAD_EVERY_MS = 15_000;
let shown = 0;
let rereadTimer = null;
let refreshSoon = null;

function lockSummary(lock) {
  if (!lock) return el('span', { className: 'pill free', textContent: 'Free' });
  const mine = lock.userId === session.user?.id;
  return el('span', {
    className: `pill ${mine ? 'mine' : 'other'}`,
    textContent: `${mine ? 'You' : lock.userInfo.name} · until ${clock(lock.expiresAt)}`,
  });
}

function row(a) {
  const tr = el('tr', {},
    el('td', {}, el('a', { href: `#/a/${a.id}`, textContent: a.title })),
    el('td', { className: 'when' },
      el('span', { className: 'when-date', textContent: date(a.startsAt) }), ' ',
      el('span', { className: 'when-time', textContent: `${shortTime(a.startsAt)} – ${shortTime(a.endsAt)}` })),
    el('td', { className: 'where', textContent: a.location || '—' }),
    el('td', {}, el('span', { className: `status ${a.status}`, textContent: a.status })),
    el('td', { className: 'lock' }, lockSummary(a.lock)));
  tr.dataset.id = a.id;
  return tr;
}

const listShown = () => !$('list-view').hidden;

/** Loads the list's first page, or with {@code more} the page after those shown, and keeps it live. */
export async function loadList({ more = false } = {}) {
  const rows = $('appointment-rows');
  const offset = more ? shown : 0;
  const limit = more ? PAGE_SIZE : Math.min(200, Math.max(PAGE_SIZE, shown));
  const button = $('list-more');
  if (more) busy(button, true, 'Loading…');
  try {
    const { data } = await api('GET', `/appointments?limit=${limit}&offset=${offset}`);
    const added = data.data.map(row);
    if (more) rows.append(...added);
    else rows.replaceChildren(...added, ...[...rows.children].slice(limit));
    // A re-read covers at most 200 rows; rows loaded past those stay as they are.
    shown = more || shown <= limit ? offset + data.data.length : shown;
    $('list-empty').hidden = data.total > 0;
    $('list-count').textContent = data.total > 0 ? `Showing ${shown} of ${data.total}` : '';
    button.hidden = shown >= data.total;
    if (listShown()) {
      socket.watch([...rows.children].slice(0, WATCHED_ROWS).map((tr) => tr.dataset.id));
      clearTimeout(rereadTimer);
      rereadTimer = setTimeout(() => { if (listShown()) loadList(); }, REREAD_EVERY_MS);
    }
  } catch (e) {
    if (session.token) toast(describe(e), 'error');
  } finally {
    if (more) busy(button, false);
  }
}

/** A watched appointment changed: its lock pill follows at once, the rest at the next re-read. */
export function onListFrame(frame) {
  if (!listShown() || !frame.appointmentId) return;
  const tr = $('appointment-rows').querySelector(`tr[data-id="${frame.appointmentId}"]`);
  if (!tr) return;
  if (frame.type === 'lock-acquired' || frame.type === 'lock-update' || frame.type === 'admin-takeover'
      || frame.type === 'lock-handed-over' || frame.type === 'subscribed') {
    tr.querySelector('.lock').replaceChildren(lockSummary(frame.lock));
  } else if (frame.type === 'lock-released') {
    tr.querySelector('.lock').replaceChildren(lockSummary(null));
  } else if (frame.type === 'appointment-updated' || frame.type === 'appointment-deleted') {
    clearTimeout(refreshSoon);
    refreshSoon = setTimeout(() => { if (listShown()) loadList(); }, 300);
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
  clearInvalid(form);
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
    if (e.code === 'validation_failed') markInvalid(form, e.problem.errors || []);
  } finally {
    busy(button, false);
  }
}
