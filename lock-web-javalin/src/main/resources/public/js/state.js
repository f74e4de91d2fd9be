// What the open appointment page knows: the appointment, its lock, and whether this tab edits it.
import { me } from './session.js';

export const detail = {
  id: null,
  appointment: null,
  lock: null,
  offsetMs: 0,
  editing: false,
  // 'saving', 'releasing' or 'handing-over' while this tab's request is on its way; the page stays read-only.
  pending: null,
  leaseMs: 0,
  draft: false,
  offeredDraft: null,
  deleted: false,
  renewTimer: null,
  // A renewal on its way, and when the last one was answered (the page's clock).
  renewing: false,
  renewedAt: 0,
  tickTimer: null,
  cursors: new Map(),
};

export const serverNow = () => Date.now() + detail.offsetMs;
export const liveLock = () => (detail.lock && Date.parse(detail.lock.expiresAt) > serverNow() ? detail.lock : null);
export const holdsLock = () => liveLock()?.userId === me();
