// The HTTP API client and the sentences shown for its error codes.
import { session } from './session.js';
import { clock } from './format.js';
import { describeErrors } from './validation.js';

export const API = '/api/v1';

const MESSAGES = {
  validation_failed: 'Some of the values are not valid.',
  unauthorized: 'Your session has ended. Please sign in again.',
  invalid_credentials: 'That email and password do not match an account.',
  forbidden: 'You are not allowed to do that.',
  not_lock_owner: 'Someone else holds this lock, so you cannot release it.',
  not_found: 'This appointment no longer exists.',
  no_lock: 'Nobody holds the lock any more.',
  method_not_allowed: 'The server does not support that action.',
  lock_held: 'Someone else is editing this appointment right now.',
  version_conflict: 'Your lock changed elsewhere (another tab?). The lock state has been refreshed.',
  lock_lost: 'Your lock expired or was taken over. Your changes are kept as a draft.',
  stale_lock_token: 'Your lock is no longer the current one. Your changes are kept as a draft.',
  email_taken: 'An account with that email already exists. Sign in instead.',
  precondition_failed: 'The appointment was changed by someone else since you loaded it. Reload the latest version before saving.',
  payload_too_large: 'That is too much text to save at once.',
  uri_too_long: 'The request was too long.',
  lock_required: 'You need to hold the lock to save. Your changes are kept as a draft.',
  precondition_required: 'The save was missing its version check. Reload and try again.',
  rate_limited: 'Too many attempts. Please wait a moment and try again.',
  unavailable: 'The service is temporarily unavailable. Nothing was changed; try again shortly.',
  network: 'Cannot reach the server. Check your connection and try again.',
  queue_full: 'Too many people are already waiting to edit this appointment. Try again later.',
  lock_reserved: 'The lock is being offered to the next person in line. Ask to edit to wait for your turn.',
};

export const SESSION_ENDED = MESSAGES.unauthorized;

export class ApiError extends Error {
  constructor(status, problem, retryAfterSeconds = null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
    this.code = problem.code || 'unknown';
    this.problem = problem;
  }
}

let onUnauthorized = () => {};
/** Called when the server no longer accepts the stored token. */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

export function describe(error) {
  if (!(error instanceof ApiError)) return error.message || String(error);
  const p = error.problem;
  let text = MESSAGES[error.code] || p.detail || p.title || `Request failed (${error.status}).`;
  if (error.code === 'lock_held' && p.lock) {
    text = `${p.lock.userInfo.name} is editing this appointment until ${clock(p.lock.expiresAt)}.`;
  } else if (error.code === 'rate_limited' && p.retryAfterSeconds) {
    text = `Too many attempts. Try again in ${p.retryAfterSeconds} s.`;
  } else if (error.code === 'validation_failed') {
    const details = describeErrors(p.errors || []);
    text = details ? `${MESSAGES.validation_failed} ${details}` : (p.detail || text);
  } else if (error.code === 'lock_reserved' && p.reservedFor) {
    text = `The lock is reserved for ${p.reservedFor.name}, who is next in line. Ask to edit to wait for your turn.`;
  } else if (error.code === 'queue_full' && p.limit) {
    text = `${p.limit} people are already waiting to edit this appointment, the most there may be. Try again later.`;
  } else if (error.code === 'not_lock_owner' && p.holder) {
    text = `${p.holder.name} holds this lock, so you cannot release it.`;
  }
  return text;
}

export async function api(method, path, { body, headers = {}, keepalive = false } = {}) {
  const init = { method, headers: { Accept: 'application/json, application/problem+json', ...headers }, keepalive };
  if (session.token) init.headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(API + path, init);
  } catch {
    throw new ApiError(0, { code: 'network', detail: MESSAGES.network });
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { detail: text }; }
  }
  if (!response.ok) {
    const retryAfter = Number.parseInt(response.headers.get('Retry-After'), 10);
    const error = new ApiError(response.status, data || {}, Number.isFinite(retryAfter) ? retryAfter : null);
    if (error.code === 'unauthorized' && session.token) onUnauthorized();
    throw error;
  }
  return { data, headers: response.headers };
}
