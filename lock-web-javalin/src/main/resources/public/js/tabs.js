// The user's other tabs of this page: only one of them edits an appointment at a time.

// Not crypto.randomUUID: that exists only on HTTPS or localhost, and the server may be reached over plain HTTP.
const TAB_ID = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
const channel = 'BroadcastChannel' in window ? new BroadcastChannel('syncpoint.tabs') : null;

/** Tells the user's other tabs that this tab now edits {@code appointmentId}. */
export function announceEditing(appointmentId) {
  channel?.postMessage({ type: 'editing', appointmentId, tab: TAB_ID });
}

/** Calls {@code handler(appointmentId)} when another tab starts editing an appointment. */
export function whenAnotherTabEdits(handler) {
  channel?.addEventListener('message', ({ data }) => {
    if (data?.type === 'editing' && data.tab !== TAB_ID) handler(data.appointmentId);
  });
}
