// Unsaved text kept on this device, per user and appointment, so a reload or a lost lock loses nothing.
import { me } from './session.js';

const key = (appointmentId) => `syncpoint.draft.${me()}.${appointmentId}`;

export function storeDraft(appointmentId, values) {
  localStorage.setItem(key(appointmentId), JSON.stringify({ values, at: new Date().toISOString() }));
}

/** The stored draft {values, at}, or null. */
export function storedDraft(appointmentId) {
  try {
    return JSON.parse(localStorage.getItem(key(appointmentId)));
  } catch {
    return null;
  }
}

export function forgetDraft(appointmentId) {
  localStorage.removeItem(key(appointmentId));
}
