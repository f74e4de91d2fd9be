// Editing: acquiring the lock, renewing it while editing, saving, releasing, and an admin's takeover.
import { $, busy, toast } from './dom.js';
import { api, describe, API } from './api.js';
import { session, me } from './session.js';
import { detail, liveLock, holdsLock } from './state.js';
import { showAlert, hideAlert, renderLock } from './lock-banner.js';
import { render, fillEditor, readEditor, markDeleted, reloadLatest, refreshLockStatus } from './appointment.js';

const RENEW_EVERY_MS = 60_000;

export function startEditing(lock) {
  detail.lock = lock;
  detail.editing = true;
  clearInterval(detail.renewTimer);
  detail.renewTimer = setInterval(renew, RENEW_EVERY_MS);
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
    startEditing(data.lock);
  } catch (e) {
    if (e.code === 'lock_held' && e.problem.lock) detail.lock = e.problem.lock;
    showAlert(describe(e), { reload: detail.draft });
  } finally {
    busy(button, false);
    render();
  }
}

async function renew() {
  if (!detail.editing || !detail.lock) return;
  try {
    const { data } = await api('POST', `/appointments/${detail.id}/acquire-lock`, {
      body: { expectedVersion: detail.lock.version, position: 'details' },
    });
    detail.lock = data.lock;
    renderLock();
  } catch (e) {
    if (e.code === 'version_conflict') {
      await refreshLockStatus();
      if (!holdsLock()) lostLock('You no longer hold the lock.');
    } else if (['lock_lost', 'lock_held', 'not_found'].includes(e.code)) {
      lostLock('Your lock expired or was taken over.');
    } else {
      toast(`Could not renew your lock: ${describe(e)}`, 'error');
    }
  }
}

export async function save() {
  const button = $('save');
  busy(button, true, 'Saving…');
  try {
    const { data } = await api('PUT', `/appointments/${detail.id}`, {
      body: readEditor(),
      headers: { 'If-Match': `"${detail.appointment.version}"`, 'Lock-Token': String(detail.lock.fencingToken) },
    });
    detail.appointment = data;
    fillEditor(data);
    hideAlert();
    await release({ quiet: true });
    toast('Saved.');
  } catch (e) {
    if (['lock_required', 'stale_lock_token', 'lock_lost'].includes(e.code)) {
      lostLock('You lost the lock before saving.');
    } else if (e.code === 'precondition_failed') {
      showAlert(describe(e), { reload: true });
      detail.draft = true;
    } else if (e.code === 'not_found') {
      markDeleted();
    } else {
      showAlert(describe(e));
    }
  } finally {
    busy(button, false);
    render();
  }
}

async function release({ quiet = false } = {}) {
  const button = $('cancel-edit');
  const version = detail.lock?.version;
  stopEditing();
  busy(button, true, 'Releasing…');
  try {
    await api('DELETE', `/appointments/${detail.id}/release-lock`, { body: { expectedVersion: version } });
  } catch (e) {
    if (!['no_lock', 'lock_lost', 'not_lock_owner', 'version_conflict'].includes(e.code) && !quiet) {
      showAlert(describe(e));
    }
  } finally {
    busy(button, false);
  }
  detail.lock = liveLock()?.userId === me() ? null : detail.lock;
  render();
}

export async function cancelEdit() {
  await release();
  await reloadLatest();
}

export async function takeover() {
  const holder = liveLock()?.userInfo.name || 'the current editor';
  if (!window.confirm(`Take control from ${holder}? Their unsaved changes will not be saved.`)) return;
  const button = $('takeover');
  busy(button, true, 'Taking over…');
  try {
    const { data } = await api('POST', `/appointments/${detail.id}/takeover-lock`, {
      body: { reason: `Control requested by ${session.user.name}` },
    });
    await reloadLatest();
    startEditing(data.lock);
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
