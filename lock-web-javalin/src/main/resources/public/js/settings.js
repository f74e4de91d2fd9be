// The server's timings (lease, idle, handoff, offer, idle release), read once so the page times its notices by them.
import { api } from './api.js';

/** The SPEC's defaults, used until the server has answered (or if it cannot). */
export const settings = {
  leaseSeconds: 300,
  idleSeconds: 120,
  handoffSeconds: 30,
  offerSeconds: 30,
  idleReleaseSeconds: 600,
};

export async function loadSettings() {
  try {
    const { data } = await api('GET', '/settings');
    for (const name of Object.keys(settings)) {
      if (Number.isFinite(data?.[name]) && data[name] > 0) settings[name] = data[name];
    }
  } catch {
    // The defaults stay; the server enforces its own timings either way.
  }
}
