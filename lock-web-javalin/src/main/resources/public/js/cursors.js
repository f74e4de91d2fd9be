// Other viewers' cursors over the editor, and this page's own cursor sent to them.
import { $, el } from './dom.js';
import { detail } from './state.js';
import { socket } from './socket.js';

const CURSOR_THROTTLE_MS = 200;
const CURSOR_STALE_MS = 10_000;

export function drawCursor({ userId, userInfo, position, color }) {
  if (!position) return;
  let entry = detail.cursors.get(userId);
  if (!entry) {
    const node = el('div', { className: 'cursor' }, el('span', { className: 'cursor-name' }));
    node.dataset.userId = userId;
    $('cursor-layer').append(node);
    entry = { node, timer: null };
    detail.cursors.set(userId, entry);
  }
  entry.node.style.setProperty('--cursor-color', color || '#4363d8');
  entry.node.style.transform = `translate(${position.x}px, ${position.y}px)`;
  entry.node.querySelector('.cursor-name').textContent = userInfo?.name || 'Someone';
  clearTimeout(entry.timer);
  // The server removes still cursors too; this keeps the screen clean if that frame is lost.
  entry.timer = setTimeout(() => removeCursor(userId), CURSOR_STALE_MS + 2000);
}

export function removeCursor(userId) {
  const entry = detail.cursors.get(userId);
  if (!entry) return;
  clearTimeout(entry.timer);
  entry.node.remove();
  detail.cursors.delete(userId);
}

export function clearCursors() {
  for (const userId of [...detail.cursors.keys()]) removeCursor(userId);
}

let lastCursorSent = 0;
export function onEditorMouseMove(event) {
  if (!detail.id) return;
  const now = performance.now();
  if (now - lastCursorSent < CURSOR_THROTTLE_MS) return;
  lastCursorSent = now;
  const box = $('editor-area').getBoundingClientRect();
  socket.send({
    type: 'cursor-position',
    appointmentId: detail.id,
    position: { x: Math.round(event.clientX - box.left), y: Math.round(event.clientY - box.top) },
  });
}
