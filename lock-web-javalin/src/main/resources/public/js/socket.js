// The page's one WebSocket: watches the appointments on screen, hands every frame to one listener,
// and reconnects with backoff after a drop, showing that the page is offline meanwhile.
import { API } from './api.js';
import { session } from './session.js';
import { $ } from './dom.js';

const MAX_BACKOFF_MS = 30_000;
let onFrame = () => {};
let onReconnect = () => {};

/** Sets the function that receives every parsed frame. */
export function whenFrame(handler) {
  onFrame = handler;
}

/** Sets the function called when the socket is back after a drop, to re-read what may have changed. */
export function whenReconnected(handler) {
  onReconnect = handler;
}

function showOffline(offline) {
  $('connection-status').hidden = !offline;
}

export const socket = {
  ws: null,
  retry: 0,
  retryTimer: null,
  pingTimer: null,
  dropped: false,
  watched: new Set(),
  connect() {
    if (!session.token || this.ws) return;
    clearTimeout(this.retryTimer);
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}${API}/ws?token=${encodeURIComponent(session.token)}`);
    this.ws = ws;
    ws.addEventListener('open', () => {
      this.retry = 0;
      showOffline(false);
      for (const id of this.watched) this.send({ type: 'subscribe', appointmentId: id });
      this.pingTimer = setInterval(() => this.send({ type: 'ping' }), 30_000);
      if (this.dropped) {
        this.dropped = false;
        onReconnect();
      }
    });
    ws.addEventListener('message', (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      onFrame(frame);
    });
    ws.addEventListener('close', () => {
      clearInterval(this.pingTimer);
      if (this.ws !== ws) return;
      this.ws = null;
      if (!session.token) return;
      this.dropped = true;
      showOffline(true);
      // Exponential backoff with jitter, so many pages do not all come back in the same second.
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.retry++) * (0.75 + Math.random() / 2);
      this.retryTimer = setTimeout(() => this.connect(), delay);
    });
  },
  /** Tries at once instead of waiting out the backoff (the browser says the network is back). */
  reconnectNow() {
    if (this.ws || !session.token) return;
    this.retry = 0;
    this.connect();
  },
  close() {
    const ws = this.ws;
    this.ws = null;
    this.watched.clear();
    clearTimeout(this.retryTimer);
    showOffline(false);
    if (ws) ws.close(1000);
  },
  send(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  },
  /** Watches exactly {@code ids}: subscribes to the new ones and unsubscribes from the others. */
  watch(ids) {
    const wanted = new Set(ids);
    for (const id of this.watched) if (!wanted.has(id)) this.send({ type: 'unsubscribe', appointmentId: id });
    for (const id of wanted) if (!this.watched.has(id)) this.send({ type: 'subscribe', appointmentId: id });
    this.watched = wanted;
  },
};
