// The appointment page: opening and leaving it, the editor's fields, and re-reading the latest data.
import { $ } from './dom.js';
import { api, describe } from './api.js';
import { dateTime, toLocalInput, fromLocalInput } from './format.js';
import { detail, holdsLock } from './state.js';
import { socket } from './socket.js';
import { renderLock, showAlert, hideAlert } from './lock-banner.js';
import { clearCursors } from './cursors.js';
import { selectTab } from './history.js';
import { show } from './views.js';
import { stopEditing, releaseIdleEditor } from './editing.js';
import { checkStillEditing } from './activity.js';
import { resetRequests, loadRequests } from './edit-requests.js';
import { storedDraft, forgetDraft } from './drafts.js';
import { clearInvalid } from './validation.js';

export function render() {
  const a = detail.appointment;
  $('detail-title').textContent = a ? a.title : (detail.deleted ? 'Appointment not found' : 'Loading…');
  $('detail-version').textContent = a ? `version ${a.version} · updated ${dateTime(a.updatedAt)}` : '';
  for (const input of $('editor').elements) input.disabled = !(detail.editing && holdsLock() && !detail.pending);
  renderLock();
}

export async function openDetail(id) {
  if (detail.id !== id) {
    // The previous appointment leaves the screen at once, before anything of the next one is known.
    const leaving = leaveDetail();
    Object.assign(detail, { id, appointment: null, lock: null, editing: false, pending: null, draft: false, deleted: false });
    clearEditor();
    clearCursors();
    resetRequests();
    hideAlert();
    selectTab('details');
    render();
    await leaving;
  }
  show('detail-view');
  socket.watch([id]);
  detail.tickTimer ??= setInterval(tick, 1000);
  try {
    const [{ data: appointment }, { data: status }] = await Promise.all([
      api('GET', `/appointments/${id}`),
      api('GET', `/appointments/${id}/lock-status`),
    ]);
    if (detail.id !== id) return;
    detail.offsetMs = Date.parse(status.serverTime) - Date.now();
    detail.appointment = appointment;
    detail.lock = status.lock;
    fillEditor(appointment);
    offerStoredDraft();
    render();
    await loadRequests();
  } catch (e) {
    if (e.code === 'not_found') markDeleted();
    else showAlert(describe(e));
  }
}

/** After a reload or a closed tab: offers back the text typed here and never saved. */
function offerStoredDraft() {
  const stored = storedDraft(detail.id);
  if (!stored) return;
  const values = formValues();
  if (Object.keys(stored.values).every((name) => stored.values[name] === values[name])) {
    forgetDraft(detail.id);
    return;
  }
  detail.offeredDraft = stored.values;
  showAlert(`You have unsaved changes from ${dateTime(stored.at)} on this device.`, { restore: true });
}

export function restoreDraft() {
  if (!detail.offeredDraft) return;
  const f = $('editor');
  for (const [name, value] of Object.entries(detail.offeredDraft)) if (f.elements[name]) f.elements[name].value = value;
  detail.offeredDraft = null;
  detail.draft = true;
  showAlert('Your draft is back. Press Edit to go on editing and save it.', { reload: true });
  render();
}

export function discardDraft() {
  detail.offeredDraft = null;
  forgetDraft(detail.id);
  reloadLatest();
}

/** The editor's fields as typed, by name. */
export function formValues() {
  return Object.fromEntries([...$('editor').elements].filter((e) => e.name).map((e) => [e.name, e.value]));
}

export async function leaveDetail({ release = true } = {}) {
  if (!detail.id) return;
  const id = detail.id;
  const releasing = release && detail.editing && holdsLock();
  const version = detail.lock?.version;
  stopEditing();
  clearInterval(detail.tickTimer);
  detail.tickTimer = null;
  detail.id = null;
  clearCursors();
  socket.watch([]);
  if (releasing) {
    try {
      await api('DELETE', `/appointments/${id}/release-lock`, { body: { expectedVersion: version } });
    } catch {
      // The lease expires on its own; nothing to tell a user who already left.
    }
  }
}

function clearEditor() {
  $('editor').reset();
  for (const input of $('editor').elements) input.value = '';
}

export function fillEditor(a) {
  const f = $('editor');
  f.title.value = a.title;
  f.startsAt.value = toLocalInput(a.startsAt);
  f.endsAt.value = toLocalInput(a.endsAt);
  f.location.value = a.location || '';
  f.status.value = a.status;
  f.attendees.value = (a.attendees || []).join(', ');
  f.description.value = a.description || '';
  clearInvalid(f);
  detail.draft = false;
}

export function readEditor() {
  const f = $('editor');
  return {
    title: f.title.value.trim(),
    startsAt: fromLocalInput(f.startsAt.value),
    endsAt: fromLocalInput(f.endsAt.value),
    location: f.location.value,
    status: f.status.value,
    attendees: f.attendees.value.split(/[\s,;]+/).filter(Boolean),
    description: f.description.value,
  };
}

export function markDeleted() {
  detail.deleted = true;
  stopEditing();
  showAlert(detail.appointment
    ? 'This appointment has been deleted. Anything you typed is still on screen, but it can no longer be saved.'
    : 'There is no appointment at this address. It may have been deleted.');
  render();
}

export async function reloadLatest() {
  try {
    const { data } = await api('GET', `/appointments/${detail.id}`);
    detail.appointment = data;
    fillEditor(data);
    hideAlert();
  } catch (e) {
    if (e.code === 'not_found') markDeleted();
    else showAlert(describe(e), { reload: true });
  }
  render();
}

export async function refreshLockStatus() {
  try {
    const { data } = await api('GET', `/appointments/${detail.id}/lock-status`);
    detail.offsetMs = Date.parse(data.serverTime) - Date.now();
    detail.lock = data.lock;
  } catch {
    // The socket keeps the lock state current; a failed refresh changes nothing.
  }
  render();
  await loadRequests();
}

/** Every second: the countdowns, and the question to an editor who went quiet. */
function tick() {
  renderLock();
  checkStillEditing(releaseIdleEditor);
}
