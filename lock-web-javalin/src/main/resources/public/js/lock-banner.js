// The lock banner with its countdown, the action buttons it governs, and the alert under it.
import { $, isBusy } from './dom.js';
import { session, me } from './session.js';
import { countdown } from './format.js';
import { detail, liveLock, serverNow } from './state.js';
import { standingOffer, renderRequests } from './edit-requests.js';

export function renderLock() {
  if (!detail.id) return;
  const lock = liveLock();
  let state;
  let text;
  let left = '';
  if (detail.deleted) {
    state = 'gone';
    text = detail.appointment ? 'This appointment has been deleted.' : 'There is no such appointment.';
  } else if (!detail.appointment) {
    state = 'loading';
    text = 'Loading…';
  } else if (detail.pending) {
    state = 'mine';
    text = { saving: 'Saving your changes…', 'handing-over': 'Handing the lock over…' }[detail.pending] || 'Releasing your lock…';
  } else if (!lock && standingOffer()) {
    const offer = standingOffer();
    state = 'reserved';
    text = offer.userId === me() ? 'The lock is offered to you.' : `Free, but offered to ${offer.name} first (next in line).`;
    left = `Offer ends in ${countdown(Date.parse(offer.until) - serverNow())}.`;
  } else if (!lock) {
    state = 'free';
    text = 'Free — nobody is editing. Press Edit to start.';
  } else {
    left = `Lock expires in ${countdown(Date.parse(lock.expiresAt) - serverNow())}.`;
    if (lock.userId !== me()) {
      state = 'other';
      text = `${lock.userInfo.name} is editing.`;
    } else {
      state = 'mine';
      text = detail.editing
        ? 'You are editing; your lock renews automatically.'
        : 'You hold the lock (another tab?). Press Edit to continue here.';
    }
  }
  $('lock-banner').dataset.state = state;
  // The state sentence is announced when it changes; the countdown ticks silently beside it.
  if ($('lock-text').textContent !== text) $('lock-text').textContent = text;
  $('lock-countdown').textContent = left;

  // A refusal ("Alice is editing…", "reserved for Bob…") is only true while that lasts.
  const kind = $('alert-banner').dataset.kind;
  if ((kind === 'refusal' && state !== 'other') || (kind === 'reservation' && state !== 'reserved')) hideAlert();

  const editing = detail.editing && state === 'mine';
  $('edit').hidden = editing || detail.deleted;
  $('edit').disabled = state === 'other' || state === 'loading' || isBusy($('edit'));
  $('save').hidden = !editing;
  $('save').disabled = Boolean(detail.pending);
  $('cancel-edit').hidden = !editing;
  $('cancel-edit').disabled = Boolean(detail.pending);
  // An admin's takeover goes ahead of a reservation too.
  const keptForOther = state === 'reserved' && standingOffer()?.userId !== me();
  $('takeover').hidden = !(session.user?.role === 'admin' && (state === 'other' || keptForOther));
  renderRequests();
}

/**
 * Shows {@code text} under the banner; a {@code refusal} goes by itself once nobody else holds the lock, a
 * {@code reservation} once the lock is no longer kept for someone else.
 */
export function showAlert(text, { reload = false, restore = false, kind = 'notice' } = {}) {
  $('alert-banner').dataset.kind = kind;
  $('alert-text').textContent = text;
  $('reload-latest').hidden = !reload;
  $('restore-draft').hidden = !restore;
  $('discard-draft').hidden = !restore;
  $('alert-banner').hidden = false;
}

export function hideAlert() {
  $('alert-banner').hidden = true;
  $('alert-banner').dataset.kind = '';
  $('alert-text').textContent = '';
}
