// What the open appointment page does with each WebSocket frame.
import { me } from './session.js';
import { toast } from './dom.js';
import { detail, holdsLock } from './state.js';
import { render, markDeleted, reloadLatest } from './appointment.js';
import { lostLock } from './editing.js';
import { drawCursor, removeCursor, clearCursors } from './cursors.js';
import { onListFrame } from './list.js';
import { refreshOpenTab } from './history.js';
import { onRequestFrame } from './edit-requests.js';

const LOCK_EVENTS = ['lock-acquired', 'lock-released', 'admin-takeover', 'lock-handed-over'];

export function onFrame(frame) {
  if (frame.type === 'pong') return;
  onListFrame(frame);
  if (frame.type === 'error') {
    if (frame.appointmentId && frame.appointmentId === detail.id && frame.code === 'not_found') markDeleted();
    return;
  }
  if (!frame.appointmentId || frame.appointmentId !== detail.id) return;
  if (onRequestFrame(frame)) {
    if (LOCK_EVENTS.includes(frame.type)) refreshOpenTab();
    render();
    return;
  }
  switch (frame.type) {
    case 'subscribed':
      detail.lock = frame.lock;
      clearCursors();
      for (const c of frame.cursors || []) drawCursor(c);
      if (detail.editing && !holdsLock()) lostLock('You no longer hold the lock.');
      break;
    case 'lock-acquired':
    case 'lock-update':
      detail.lock = frame.lock;
      if (detail.editing && detail.pending !== 'releasing' && frame.lock.userId !== me()) lostLock(`${frame.lock.userInfo.name} took over the lock.`);
      break;
    case 'lock-released':
      if (!detail.lock || !frame.lock || detail.lock.id === frame.lock.id) detail.lock = null;
      if (detail.editing && frame.lock?.userId === me() && frame.by !== me()) {
        lostLock(frame.reason === 'expired' ? 'Your lock expired.' : 'An administrator released your lock.');
      }
      break;
    case 'admin-takeover':
      detail.lock = frame.lock;
      // The new lease's lock-acquired frame may come first; this one names the administrator.
      if (frame.previousHolder?.userId === me() && (detail.editing || detail.draft)) {
        lostLock(`${frame.adminInfo.name} (administrator) took control of this appointment.`, { again: true });
      }
      break;
    case 'appointment-updated':
      // This tab's own save answers for itself; another tab of the same user counts as anyone else.
      if (frame.updatedBy === me() && (detail.editing || detail.pending)) break;
      if (frame.version === detail.appointment?.version) break;
      if (!detail.editing && !detail.draft) reloadLatest();
      else toast('A newer version of this appointment was saved.');
      break;
    case 'appointment-deleted':
      markDeleted();
      break;
    case 'cursor-update':
      drawCursor(frame);
      break;
    case 'cursor-remove':
      removeCursor(frame.userId);
      break;
    default:
      return;
  }
  if (LOCK_EVENTS.includes(frame.type)) refreshOpenTab();
  render();
}
