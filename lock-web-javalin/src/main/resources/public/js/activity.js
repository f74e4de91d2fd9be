// Whether the editor is at work: typing or clicking since the last renewal (sent as `active`), and the
// "Still editing?" question for an editor idle for settings.idleReleaseSeconds, who is released a minute later.
import { $ } from './dom.js';
import { detail } from './state.js';
import { settings } from './settings.js';

/** How long the question waits for an answer: a minute, or the idle time itself when that is shorter. */
const answerWithinMs = () => Math.min(60_000, settings.idleReleaseSeconds * 1000);

const activity = {
  lastAt: Date.now(),
  sinceRenewal: false,
  askedAt: null,
};

const listeners = [];

/** Calls {@code handler()} on every sign of work while editing. */
export function whenActive(handler) {
  listeners.push(handler);
}

/** A key, a click or typed text in the page while this tab edits. */
export function noteActivity() {
  if (!detail.editing) return;
  activity.lastAt = Date.now();
  activity.sinceRenewal = true;
  if (activity.askedAt) hideQuestion();
  for (const handler of listeners) handler();
}

/** A key, click or input event: work, unless it answers someone waiting (that answer speaks for itself). */
export function noteActivityFrom(event) {
  if (event.target instanceof Element && event.target.closest('#waiting-panel')) return;
  noteActivity();
}

/** A new lease starts the idle clock afresh. */
export function startedEditing() {
  activity.lastAt = Date.now();
  activity.sinceRenewal = false;
  hideQuestion();
}

/** Whether the editor worked since the last renewal; the next renewal reports it and starts counting again. */
export function takeActivity() {
  const active = activity.sinceRenewal;
  activity.sinceRenewal = false;
  return active;
}

/** A renewal that did not reach the server leaves the activity to be reported by the next one. */
export function keepActivity(active) {
  if (active) activity.sinceRenewal = true;
}

export const workedSinceRenewal = () => activity.sinceRenewal;

/** Asks "Still editing?" once the editor is idle long enough; {@code release()} runs when nobody answers. */
export function checkStillEditing(release) {
  if (!detail.editing || detail.pending) {
    if (activity.askedAt) hideQuestion();
    return;
  }
  const now = Date.now();
  if (!activity.askedAt) {
    if (now - activity.lastAt >= settings.idleReleaseSeconds * 1000) {
      activity.askedAt = now;
      renderQuestion();
      $('still-editing').hidden = false;
    }
    return;
  }
  if (now - activity.askedAt >= answerWithinMs()) {
    hideQuestion();
    release();
    return;
  }
  renderQuestion();
}

function renderQuestion() {
  const left = Math.max(0, Math.ceil((activity.askedAt + answerWithinMs() - Date.now()) / 1000));
  const text = `You have not typed or clicked for a while. Your lock is released in ${left} s unless you answer; your changes stay here as a draft.`;
  if ($('still-editing-text').textContent !== text) $('still-editing-text').textContent = text;
}

function hideQuestion() {
  activity.askedAt = null;
  $('still-editing').hidden = true;
}
