// The page's one WebSocket: subscribes to the open appointment and hands every frame to one listener.
import { API } from './api.js';
import { session } from './session.js';

let onFrame = () => {};
/** Sets the function that receives every parsed frame. */
export function whenFrame(handler) {
  onFrame = handler;
}

export const socket = {
  ws: null,
  retry: 0,
  pingTimer: null,
  wanted: null,
  connect() {
    if (!session.token || this.ws) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}${API}/ws?token=${encodeURIComponent(session.token)}`);
    this.ws = ws;
    ws.addEventListener('open', () => {
      this.retry = 0;
      if (this.wanted) this.send({ type: 'subscribe', appointmentId: this.wanted });
      this.pingTimer = setInterval(() => this.send({ type: 'ping' }), 30_000);
    });
    ws.addEventListener('message', (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      onFrame(frame);
    });
    ws.addEventListener('close', () => {
      clearInterval(this.pingTimer);
      this.ws = null;
      if (!session.token) return;
      const delay = Math.min(30_000, 1000 * 2 ** this.retry++);
      setTimeout(() => this.connect(), delay);
    });
  },
  close() {
    const ws = this.ws;
    this.ws = null;
    this.wanted = null;
    if (ws) ws.close(1000);
  },
  send(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  },
  subscribe(id) {
    if (this.wanted && this.wanted !== id) this.send({ type: 'unsubscribe', appointmentId: this.wanted });
    this.wanted = id;
    this.send({ type: 'subscribe', appointmentId: id });
  },
  unsubscribe() {
    if (this.wanted) this.send({ type: 'unsubscribe', appointmentId: this.wanted });
    this.wanted = null;
  },
};
