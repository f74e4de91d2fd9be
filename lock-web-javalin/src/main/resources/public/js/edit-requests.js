// Fair access on the appointment page: asking to edit and one's place in line, the holder's answer (hand over
// or keep editing) with a countdown before an idle handoff, and taking the lock at once when it comes to us.
import { $, busy, isBusy } from './dom.js';
import { api, describe } from './api.js';
import { me } from './session.js';
import { countdown } from './format.js';
import { detail, liveLock, holdsLock, serverNow } from './state.js';
import { settings } from './settings.js';
import { whenActive, workedSinceRenewal, noteActivity } from './activity.js';
import { showAlert, hideAlert } from './lock-banner.js';
import { render, reloadLatest } from './appointment.js';
import { startEditing, stopEditing, lostLock, renew, saveChanges, hasUnsavedText } from './editing.js';

const queue = {
  // The open requests of the appointment on screen, in line order.
  open: [],
  // The request this tab asked (or found on opening the page): this tab takes the lock when it comes.
  asked: null,
  // A standing offer {requestId, userId, name, until}: only that user may take the lock meanwhile.
  offer: null,
  // The last sentence about this user's turn (declined, lapsed, handed over), until dismissed.
  note: '',
  // The name of the last other person who held the lock, to say who handed it over.
  lastHolder: null,
  // The holder chose Hand over with unsaved changes and now chooses whether to save first.
  choosing: false,
  // The request being handed the lock by this tab's own answer.
  handingTo: null,
  // This tab is taking an offered lock (the offer comes as two frames; one acquire is enough).
  taking: false,
  // A renewal due once the spacing between renewals allows, for work done meanwhile.
  trailingRenewal: null,
};

const mine = () => queue.open.find((r) => r.requester.userId === me()) || null;
const head = () => queue.open[0] || null;
const holderName = () => {
  const lock = liveLock();
  return lock && lock.userId !== me() ? lock.userInfo.name : queue.lastHolder;
};

function ordinal(n) {
  const suffixes = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${suffixes[(v - 20) % 10] || suffixes[v] || suffixes[0]}`;
}

/** The standing offer, if one is known and not yet over. */
export function standingOffer() {
  return queue.offer && Date.parse(queue.offer.until) > serverNow() ? queue.offer : null;
}

/** Whether this user may ask now: someone else edits, or the lock is offered to someone else. */
function canAsk() {
  if (detail.deleted || !detail.appointment || mine() || detail.editing) return false;
  const lock = liveLock();
  if (lock) return lock.userId !== me();
  const offer = standingOffer();
  return Boolean(offer && offer.userId !== me());
}

/** A new appointment on screen: nothing is known about its line yet. */
export function resetRequests() {
  Object.assign(queue, { open: [], asked: null, offer: null, note: '', lastHolder: null, choosing: false, handingTo: null, taking: false });
}

/** Reads the line of the appointment on screen; a request of this user found there is this tab's to follow. */
export async function loadRequests() {
  const id = detail.id;
  try {
    const { data } = await api('GET', `/appointments/${id}/edit-requests`);
    if (detail.id !== id) return;
    queue.open = [];
    for (const request of data.data || []) upsert(request);
    const own = mine();
    if (own) {
      queue.asked ??= own.id;
      if (own.state === 'offered' && !detail.editing) await takeOffer(own.id);
    }
  } catch {
    // The live events keep the line current; a failed read shows nothing new.
  }
  render();
}

function upsert(request) {
  queue.open = queue.open.filter((r) => r.id !== request.id);
  if (request.state === 'pending' || request.state === 'offered') queue.open.push(request);
  queue.open.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
}

export async function askToEdit() {
  const button = $('ask-to-edit');
  busy(button, true, 'Asking…');
  queue.note = '';
  try {
    const { data } = await api('POST', `/appointments/${detail.id}/edit-requests`, { body: {} });
    if (data.lock) {
      // The lock was free and reserved for nobody: it is ours at once.
      queue.open = queue.open.filter((r) => r.id !== data.request.id);
      await takeLock(data.lock);
      return;
    }
    queue.asked = data.request.id;
    upsert(data.request);
    if (!detail.draft) hideAlert();
  } catch (e) {
    if (e.code === 'lock_reserved') noteReservation(e);
    showAlert(describe(e));
  } finally {
    busy(button, false);
    render();
  }
}

export async function withdraw() {
  const request = mine();
  if (!request) return;
  const button = $('withdraw-request');
  busy(button, true, 'Withdrawing…');
  try {
    const { data } = await api('DELETE', `/appointments/${detail.id}/edit-requests/${request.id}`);
    upsert(data.request);
  } catch (e) {
    if (e.code === 'not_found') queue.open = queue.open.filter((r) => r.id !== request.id);
    else showAlert(describe(e));
  } finally {
    queue.asked = null;
    busy(button, false);
    render();
  }
}

export function dismissNote() {
  queue.note = '';
  render();
}

/** Hand over: with unsaved changes, the holder first chooses whether to save them. */
export function handOver() {
  if (!head()) return;
  if (hasUnsavedText()) {
    queue.choosing = true;
    render();
    $('save-and-hand-over').focus();
    return;
  }
  accept(head());
}

export async function saveAndHandOver() {
  const request = head();
  queue.choosing = false;
  render();
  if (request) await saveChanges(() => accept(request));
}

export function handOverWithoutSaving() {
  queue.choosing = false;
  if (head()) accept(head());
}

export function cancelHandOver() {
  queue.choosing = false;
  render();
}

async function accept(request) {
  const button = $('hand-over');
  busy(button, true, 'Handing over…');
  queue.handingTo = request;
  detail.pending = 'handing-over';
  render();
  try {
    const { data } = await api('POST', `/appointments/${detail.id}/edit-requests/${request.id}/accept`);
    handedOver(request.requester, data.lock);
  } catch (e) {
    if (e.code === 'not_found') {
      showAlert(`${request.requester.name} no longer waits to edit.`);
      await loadRequests();
    } else if (e.code === 'not_lock_owner') {
      lostLock('You no longer hold the lock.');
    } else {
      showAlert(describe(e));
    }
  } finally {
    queue.handingTo = null;
    if (detail.pending === 'handing-over') detail.pending = null;
    busy(button, false);
    render();
  }
}

/** This tab's holder handed the lock over (its answer or the event, whichever comes first). */
function handedOver(to, lock) {
  queue.open = queue.open.filter((r) => r.requester.userId !== to.userId);
  if (!detail.editing) return;
  stopEditing();
  detail.pending = null;
  detail.lock = lock;
  queue.note = `You handed the lock over to ${to.name}.`;
  if (detail.draft) showAlert('Your unsaved changes are kept below as a draft.', { reload: true });
  else reloadLatest();
  render();
}

/** Keep editing: the head of the line is declined, and the server hears that the holder is at work. */
export async function keepEditing() {
  const request = head();
  if (!request) return;
  const button = $('keep-editing');
  busy(button, true, 'Declining…');
  noteActivity();
  try {
    const { data } = await api('POST', `/appointments/${detail.id}/edit-requests/${request.id}/decline`, { body: {} });
    upsert(data.request);
  } catch (e) {
    if (e.code === 'not_found') await loadRequests();
    else showAlert(describe(e));
  } finally {
    busy(button, false);
    render();
  }
  await renew();
}

/** A refusal naming who the lock is reserved for shows that reservation and lets the user join the line. */
export function noteReservation(error) {
  const reservedFor = error.problem?.reservedFor;
  // The offer's own frame, when it came, knows the exact end.
  if (!reservedFor || standingOffer()?.userId === reservedFor.userId) return;
  const seconds = error.retryAfterSeconds ?? settings.offerSeconds;
  queue.offer = { requestId: null, userId: reservedFor.userId, name: reservedFor.name,
    until: new Date(serverNow() + seconds * 1000).toISOString() };
}

async function takeLock(lock) {
  if (!detail.draft) await reloadLatest();
  startEditing(lock, { renewed: false });
}

/** The lock is offered to this user: this tab takes it at once. */
async function takeOffer(requestId) {
  if (queue.asked !== requestId || detail.editing || queue.taking) return;
  const from = holderName();
  queue.taking = true;
  try {
    const { data } = await api('POST', `/appointments/${detail.id}/acquire-lock`, { body: { position: 'details' } });
    queue.asked = null;
    queue.open = queue.open.filter((r) => r.id !== requestId);
    queue.offer = null;
    queue.note = from ? `${from} finished editing, so the lock passed to you. You are editing now.` : 'The lock passed to you. You are editing now.';
    await takeLock(data.lock);
  } catch (e) {
    showAlert(describe(e));
  } finally {
    queue.taking = false;
  }
  render();
}

/** Handles the fair-access frames of the appointment on screen and notes who holds the lock; true when handled. */
export function onRequestFrame(frame) {
  const lock = frame.lock;
  if (lock && lock.userId !== me() && lock.userInfo) queue.lastHolder = lock.userInfo.name;
  switch (frame.type) {
    case 'lock-acquired':
    case 'admin-takeover':
      queue.offer = null;
      return false;
    case 'appointment-deleted':
      resetRequests();
      return false;
    case 'edit-requested':
      upsert(frame.request);
      // Work the server has not heard of yet must not let it take this editor for an idle one.
      if (detail.editing && workedSinceRenewal()) renew();
      return true;
    case 'edit-request-updated':
      requestUpdated(frame.request);
      return true;
    case 'lock-handed-over':
      lockHandedOver(frame);
      return true;
    case 'lock-offered': {
      const request = queue.open.find((r) => r.id === frame.requestId);
      queue.offer = { requestId: frame.requestId, userId: frame.userId,
        name: request?.requester.name || 'the next in line', until: frame.until };
      if (frame.userId === me()) takeOffer(frame.requestId);
      return true;
    }
    default:
      return false;
  }
}

function requestUpdated(request) {
  upsert(request);
  if (queue.offer?.requestId === request.id && request.state !== 'offered') queue.offer = null;
  if (request.requester.userId !== me() || queue.asked !== request.id) return;
  if (request.state === 'offered') {
    takeOffer(request.id);
  } else if (request.state === 'declined') {
    queue.asked = null;
    const holder = holderName();
    const because = request.reason ? ` (“${request.reason}”)` : '';
    queue.note = `${holder || 'The editor'} wants to keep editing for now${because}. You can ask again later.`;
  } else if (request.state === 'expired') {
    queue.asked = null;
    queue.note = 'Your turn to edit lapsed, so the lock went to the next in line. You can ask again.';
  } else if (request.state === 'withdrawn') {
    queue.asked = null;
  }
}

function lockHandedOver(frame) {
  queue.open = queue.open.filter((r) => r.id !== frame.requestId);
  queue.offer = null;
  if (frame.from?.userId !== me()) queue.lastHolder = frame.from?.name || queue.lastHolder;
  if (frame.to.userId === me()) {
    detail.lock = frame.lock;
    if (queue.asked === frame.requestId && !detail.editing) {
      queue.asked = null;
      queue.note = frame.auto
        ? `${frame.from.name} was away, so the lock passed to you. You are editing now.`
        : `${frame.from.name} handed the lock over to you. You are editing now.`;
      takeLock(frame.lock).then(render);
    }
    return;
  }
  if (frame.from.userId === me() && detail.editing) {
    if (queue.handingTo) {
      handedOver(frame.to, frame.lock);
    } else {
      detail.lock = frame.lock;
      lostLock(`You were away, so the lock passed to ${frame.to.name}, who asked to edit.`);
    }
    return;
  }
  detail.lock = frame.lock;
}

/** Work while someone waits renews at once (at most every few seconds), so the server sees the holder active. */
function renewWhileSomeoneWaits() {
  if (!detail.editing || !head()) return;
  const spacing = Math.min(10_000, Math.max(1_000, settings.idleSeconds * 250));
  const wait = detail.renewedAt + spacing - Date.now();
  if (wait <= 0) {
    renew();
  } else if (!queue.trailingRenewal) {
    queue.trailingRenewal = setTimeout(() => {
      queue.trailingRenewal = null;
      if (detail.editing && workedSinceRenewal()) renew();
    }, wait);
  }
}
whenActive(renewWhileSomeoneWaits);

/** The instant an idle handoff to the head of the line falls due, by the server's rule; null when unknown. */
function handoffDueAt(request, lock) {
  if (!lock?.lastActiveAt) return null;
  return Math.max(Date.parse(request.createdAt) + settings.handoffSeconds * 1000,
    Date.parse(lock.lastActiveAt) + settings.idleSeconds * 1000);
}

export function renderRequests() {
  const own = mine();
  $('ask-to-edit').hidden = !canAsk();
  $('ask-to-edit').disabled = isBusy($('ask-to-edit'));

  // This user's place in line, or the last word about their turn.
  let text = '';
  if (own && !detail.editing) {
    const holder = holderName();
    const place = `${ordinal(own.position ?? 1)} in line`;
    if (own.state === 'offered') text = queue.asked === own.id ? 'The lock is offered to you: taking it…' : 'The lock is offered to you: press Edit to take it.';
    else if (liveLock() && holder) text = `We told ${holder} you are waiting (${place}).`;
    else text = `You are waiting to edit (${place}).`;
  }
  const shown = text || queue.note;
  if ($('request-text').textContent !== shown) $('request-text').textContent = shown;
  $('request-banner').hidden = !shown;
  $('withdraw-request').hidden = !text;
  $('dismiss-note').hidden = Boolean(text) || !queue.note;

  // The holder's view of who waits, with the answers and the countdown to an idle handoff.
  const first = head();
  const answering = Boolean(first && detail.editing && holdsLock());
  $('waiting-panel').hidden = !answering;
  if (!answering) {
    queue.choosing = false;
    return;
  }
  const others = queue.open.length - 1;
  const said = first.message ? `: “${first.message}”` : '.';
  const waitingText = `${first.requester.name} asks to edit${said}${others > 0 ? ` ${others} more waiting.` : ''}`;
  if ($('waiting-text').textContent !== waitingText) $('waiting-text').textContent = waitingText;
  const due = handoffDueAt(first, liveLock());
  const left = due === null ? Infinity : due - serverNow();
  const soon = left <= settings.handoffSeconds * 1000;
  if ($('handoff-notice').hidden === soon) $('handoff-notice').hidden = !soon;
  const notice = `You seem to be away: the lock passes to ${first.requester.name} unless you type or press Keep editing.`;
  if ($('handoff-text').textContent !== notice) $('handoff-text').textContent = notice;
  $('handoff-countdown').textContent = soon ? `Handing over in ${countdown(left)}.` : '';
  const handing = Boolean(queue.handingTo);
  $('hand-over').disabled = handing || isBusy($('keep-editing'));
  $('keep-editing').disabled = handing || isBusy($('keep-editing'));
  $('save-first').hidden = !queue.choosing;
}
