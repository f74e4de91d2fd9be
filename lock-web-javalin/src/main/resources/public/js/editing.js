// Editing: acquiring the lock, renewing it while editing, saving, releasing, and an admin's takeover.
import { $, busy, toast } from './dom.js';
import { api, describe, API } from './api.js';
import { session, me } from './session.js';
import { detail, liveLock, holdsLock, serverNow } from './state.js';
import { announceEditing } from './tabs.js';
import { storeDraft, forgetDraft } from './drafts.js';
import { markInvalid } from './validation.js';
import { showAlert, hideAlert } from './lock-banner.js';
import { render, fillEditor, readEditor, formValues, markDeleted, reloadLatest, refreshLockStatus } from './appointment.js';
import { startedEditing, takeActivity, keepActivity } from './activity.js';
import { noteReservation, standingOffer } from './edit-requests.js';

const RENEW_AT_MOST_EVERY_MS = 60_000;
const RENEW_AT_LEAST_EVERY_MS = 1_000;

/**
 * Renews at a third of the lease the server granted, so two renewals can fail before it runs out.
 * A new lease reports its length as expiresAt - createdAt; a renewed one, as the time it has left.
 */
function renewalPeriod(lock, renewed) {
  const lease = renewed ? Date.parse(lock.expiresAt) - serverNow() : Date.parse(lock.expiresAt) - Date.parse(lock.createdAt);
  return Math.min(RENEW_AT_MOST_EVERY_MS, Math.max(RENEW_AT_LEAST_EVERY_MS, lease / 3));
}

export function startEditing(lock, { renewed = false } = {}) {
  detail.lock = lock;
  detail.editing = true;
  clearInterval(detail.renewTimer);
  detail.renewTimer = setInterval(renew, renewalPeriod(lock, renewed));
  detail.renewedAt = Date.now();
  startedEditing();
  announceEditing(detail.id);
  render();
  $('editor').title.focus();
}

export function stopEditing() {
  detail.editing = false;
  clearInterval(detail.renewTimer);
  detail.renewTimer = null;
}

/** Ends editing here, keeping the typed text as a draft; {@code again} rewords the notice of a loss just told. */
export function lostLock(reason, { again = false } = {}) {
  if (!detail.editing && !again) return;
  stopEditing();
  detail.pending = null;
  detail.draft = true;
  showAlert(`${reason} Your unsaved changes are kept below as a draft.`, { reload: true });
  render();
}

export async function edit() {
  const button = $('edit');
  busy(button, true, 'Acquiring lock…');
  try {
    const { data } = await api('POST', `/appointments/${detail.id}/acquire-lock`, { body: { position: 'details' } });
    if (!detail.draft) hideAlert();
    startEditing(data.lock, { renewed: data.renewed });
  } catch (e) {
    if (e.code === 'lock_held' && e.problem.lock) detail.lock = e.problem.lock;
    if (e.code === 'lock_reserved') noteReservation(e);
    const kind = { lock_held: 'refusal', lock_reserved: 'reservation' }[e.code] || 'notice';
    showAlert(describe(e), { reload: detail.draft, kind });
  } finally {
    busy(button, false);
    render();
  }
}

/**
 * Renews the lease, telling the server whether the editor worked since the last renewal. The timer calls it;
 * so does work while someone waits to edit, so that the server never takes a busy editor for an idle one.
 */
export async function renew() {
  if (!detail.editing || detail.pending || !detail.lock || detail.renewing) return;
  const active = takeActivity();
  detail.renewing = true;
  try {
    const { data } = await api('POST', `/appointments/${detail.id}/acquire-lock`, {
      body: { expectedVersion: detail.lock.version, position: 'details', active },
    });
    detail.lock = data.lock;
    detail.renewedAt = Date.now();
    render();
  } catch (e) {
    keepActivity(active);
    if (e.code === 'version_conflict') {
      await refreshLockStatus();
      if (!holdsLock()) lostLock('You no longer hold the lock.');
    } else if (['lock_lost', 'lock_held', 'not_found'].includes(e.code)) {
      lostLock('Your lock expired or was taken over.');
    } else {
      toast(`Could not renew your lock: ${describe(e)}`, 'error');
    }
  } finally {
    detail.renewing = false;
  }
}

export async function save() {
  await saveChanges(() => release({ quiet: true }));
}

/**
 * Saves the editor's values with the live lease, then runs {@code afterwards} (release, hand over), which
 * shows its own progress before the page renders again, so the form never looks editable in between.
 */
export async function saveChanges(afterwards) {
  if (!detail.editing || detail.pending) return;
  const button = $('save');
  busy(button, true, 'Saving…');
  detail.pending = 'saving';
  render();
  try {
    const { data } = await api('PUT', `/appointments/${detail.id}`, {
      body: readEditor(),
      headers: { 'If-Match': `"${detail.appointment.version}"`, 'Lock-Token': String(detail.lock.fencingToken) },
    });
    detail.appointment = data;
    fillEditor(data);
    forgetDraft(detail.id);
    hideAlert();
    toast('Saved.');
    busy(button, false);
    detail.pending = null;
    await afterwards();
  } catch (e) {
    detail.pending = null;
    if (['lock_required', 'stale_lock_token', 'lock_lost'].includes(e.code)) {
      lostLock('You lost the lock before saving.');
    } else if (e.code === 'precondition_failed') {
      showAlert(describe(e), { reload: true });
      detail.draft = true;
    } else if (e.code === 'not_found') {
      markDeleted();
    } else {
      showAlert(describe(e));
      if (e.code === 'validation_failed') markInvalid($('editor'), e.problem.errors || []);
    }
  } finally {
    busy(button, false);
    render();
  }
}

/** Releases this tab's lock; the page shows "Releasing…" and stays read-only until the server answers. */
async function release({ quiet = false } = {}) {
  const button = $('cancel-edit');
  const version = detail.lock?.version;
  clearInterval(detail.renewTimer);
  detail.pending = 'releasing';
  busy(button, true, 'Releasing…');
  render();
  try {
    await api('DELETE', `/appointments/${detail.id}/release-lock`, { body: { expectedVersion: version } });
  } catch (e) {
    if (!['no_lock', 'lock_lost', 'not_lock_owner', 'version_conflict'].includes(e.code) && !quiet) {
      showAlert(describe(e));
    }
  } finally {
    busy(button, false);
  }
  stopEditing();
  detail.pending = null;
  detail.lock = liveLock()?.userId === me() ? null : detail.lock;
  render();
}

/** Nobody answered "Still editing?": the lock goes back for others, the typed text stays as a draft. */
export async function releaseIdleEditor() {
  if (!detail.editing || detail.pending) return;
  const typedHere = detail.draft;
  if (typedHere) storeDraft(detail.id, formValues());
  await release({ quiet: true });
  detail.draft = typedHere;
  showAlert(typedHere
    ? 'You were away, so your lock was released for others. Your unsaved changes are kept below as a draft; press Edit to go on.'
    : 'You were away, so your lock was released for others. Press Edit to go on.', { reload: typedHere });
  render();
}

export async function cancelEdit() {
  if (!detail.editing || detail.pending) return;
  forgetDraft(detail.id);
  await release();
  await reloadLatest();
}

/** Typing while editing: the text is a draft, kept on this device until saved or cancelled. */
export function typed(event) {
  if (!detail.editing) return;
  detail.draft = true;
  storeDraft(detail.id, formValues());
  if (event.target.getAttribute('aria-invalid')) event.target.removeAttribute('aria-invalid');
}

/** Leaving with unsaved text asks first (reload, closing the tab, signing out). */
export function hasUnsavedText() {
  return detail.editing && detail.draft;
}

export async function takeover() {
  const holder = liveLock()?.userInfo.name;
  const question = holder || !standingOffer()
    ? `Take control from ${holder || 'the current editor'}? Their unsaved changes will not be saved.`
    : `Take control ahead of ${standingOffer().name}, to whom the lock is offered as next in line?`;
  if (!window.confirm(question)) return;
  const button = $('takeover');
  busy(button, true, 'Taking over…');
  try {
    const { data } = await api('POST', `/appointments/${detail.id}/takeover-lock`, {
      body: { reason: `Control requested by ${session.user.name}` },
    });
    await reloadLatest();
    startEditing(data.lock, { renewed: false });
  } catch (e) {
    showAlert(describe(e));
  } finally {
    busy(button, false);
    render();
  }
}

export function releaseOnPageHide() {
  if (!detail.id || !detail.editing || !holdsLock()) return;
  // keepalive lets the release outlive the page; sendBeacon cannot send DELETE or the Authorization header.
  fetch(`${API}/appointments/${detail.id}/release-lock`, {
    method: 'DELETE',
    keepalive: true,
    headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ expectedVersion: detail.lock.version }),
  });
}
