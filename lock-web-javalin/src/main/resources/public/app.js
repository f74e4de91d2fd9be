const API = '/api/v1';
const RENEW_EVERY_MS = 60_000;
const CURSOR_THROTTLE_MS = 200;
const CURSOR_STALE_MS = 10_000;

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
};

class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || 'unknown';
    this.problem = problem;
  }
}

function describe(error) {
  if (!(error instanceof ApiError)) return error.message || String(error);
  const p = error.problem;
  let text = MESSAGES[error.code] || p.detail || p.title || `Request failed (${error.status}).`;
  if (error.code === 'lock_held' && p.lock) {
    text = `${p.lock.userInfo.name} is editing this appointment until ${clock(p.lock.expiresAt)}.`;
  } else if (error.code === 'rate_limited' && p.retryAfterSeconds) {
    text = `Too many attempts. Try again in ${p.retryAfterSeconds} s.`;
  } else if (error.code === 'validation_failed') {
    const details = (p.errors || []).map((e) => `${e.field}: ${e.message}`).join('; ');
    text = details ? `${MESSAGES.validation_failed} ${details}` : (p.detail || text);
  } else if (error.code === 'not_lock_owner' && p.holder) {
    text = `${p.holder.name} holds this lock, so you cannot release it.`;
  }
  return text;
}

/* ---------- session ---------- */

const session = {
  get token() { return sessionStorage.getItem('syncpoint.token'); },
  get user() { return JSON.parse(sessionStorage.getItem('syncpoint.user') || 'null'); },
  set(token, user) {
    sessionStorage.setItem('syncpoint.token', token);
    sessionStorage.setItem('syncpoint.user', JSON.stringify(user));
  },
  clear() {
    sessionStorage.removeItem('syncpoint.token');
    sessionStorage.removeItem('syncpoint.user');
  },
};

async function api(method, path, { body, headers = {}, keepalive = false } = {}) {
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
    const error = new ApiError(response.status, data || {});
    if (error.code === 'unauthorized' && session.token) expireSession();
    throw error;
  }
  return { data, headers: response.headers };
}

/* ---------- small helpers ---------- */

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
};

function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function dateTime(iso) {
  return new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(value) {
  if (!value) return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

function countdown(ms) {
  const total = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(total / 60);
  const s = String(total % 60).padStart(2, '0');
  return `${m}:${s}`;
}

let toastTimer;
function toast(text, kind = 'info') {
  const t = $('toast');
  t.textContent = text;
  t.dataset.kind = kind;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 5000);
}

function busy(button, on, label) {
  if (on) {
    button.dataset.label = button.textContent;
    button.textContent = label;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  } else {
    button.textContent = button.dataset.label || button.textContent;
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/* ---------- WebSocket ---------- */

const socket = {
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

/* ---------- views and routing ---------- */

function show(view) {
  for (const id of ['auth-view', 'list-view', 'detail-view']) $(id).hidden = id !== view;
  const user = session.user;
  $('whoami').hidden = !user;
  if (user) {
    $('whoami-name').textContent = user.name;
    $('whoami-role').textContent = user.role;
    $('whoami-role').hidden = user.role !== 'admin';
  }
}

async function route() {
  if (!session.token) {
    leaveDetail();
    show('auth-view');
    return;
  }
  socket.connect();
  const match = location.hash.match(/^#\/a\/([0-9a-fA-F-]{36})$/);
  if (match) {
    await openDetail(match[1]);
  } else {
    leaveDetail();
    show('list-view');
    await loadList();
  }
}

function expireSession() {
  leaveDetail({ release: false });
  session.clear();
  socket.close();
  toast(MESSAGES.unauthorized, 'error');
  show('auth-view');
}

/* ---------- auth ---------- */

function selectAuthTab(signup) {
  $('tab-signin').setAttribute('aria-selected', String(!signup));
  $('tab-signup').setAttribute('aria-selected', String(signup));
  $('signin-form').hidden = signup;
  $('signup-form').hidden = !signup;
  $('auth-title').textContent = signup ? 'Create an account' : 'Sign in';
}

async function submitAuth(form, path) {
  const error = form.querySelector('.form-error');
  const button = form.querySelector('button[type=submit]');
  error.textContent = '';
  const body = Object.fromEntries(new FormData(form));
  busy(button, true, 'Please wait…');
  try {
    const { data } = await api('POST', path, { body });
    session.set(data.token, data.user);
    form.reset();
    await route();
  } catch (e) {
    error.textContent = describe(e);
  } finally {
    busy(button, false);
  }
}

async function signOut() {
  await leaveDetail();
  session.clear();
  socket.close();
  location.hash = '#/';
  show('auth-view');
}

/* ---------- list ---------- */

function lockSummary(lock) {
  if (!lock) return el('span', { className: 'pill free', textContent: 'Free' });
  const mine = lock.userId === session.user?.id;
  return el('span', {
    className: `pill ${mine ? 'mine' : 'other'}`,
    textContent: `${mine ? 'You' : lock.userInfo.name} · until ${clock(lock.expiresAt)}`,
  });
}

async function loadList() {
  const rows = $('appointment-rows');
  try {
    const { data } = await api('GET', '/appointments?limit=200');
    rows.replaceChildren(...data.data.map((a) => el('tr', {},
      el('td', {}, el('a', { href: `#/a/${a.id}`, textContent: a.title })),
      el('td', { textContent: `${dateTime(a.startsAt)} – ${new Date(a.endsAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` }),
      el('td', { textContent: a.location || '—' }),
      el('td', {}, el('span', { className: `status ${a.status}`, textContent: a.status })),
      el('td', {}, lockSummary(a.lock)),
    )));
    $('list-empty').hidden = data.data.length > 0;
  } catch (e) {
    if (session.token) toast(describe(e), 'error');
  }
}

function toggleCreate(open) {
  $('create-form').hidden = !open;
  $('show-create').setAttribute('aria-expanded', String(open));
  if (open) {
    const form = $('create-form');
    const start = new Date(Date.now() + 3_600_000);
    start.setMinutes(0, 0, 0);
    form.startsAt.value = toLocalInput(start.toISOString());
    form.endsAt.value = toLocalInput(new Date(start.getTime() + 3_600_000).toISOString());
    form.title.focus();
  }
}

async function submitCreate(event) {
  event.preventDefault();
  const form = event.target;
  const error = form.querySelector('.form-error');
  const button = form.querySelector('button[type=submit]');
  error.textContent = '';
  const body = {
    title: form.title.value.trim(),
    startsAt: fromLocalInput(form.startsAt.value),
    endsAt: fromLocalInput(form.endsAt.value),
  };
  if (form.location.value.trim()) body.location = form.location.value.trim();
  if (form.description.value.trim()) body.description = form.description.value;
  busy(button, true, 'Creating…');
  try {
    const { data } = await api('POST', '/appointments', { body });
    form.reset();
    toggleCreate(false);
    location.hash = `#/a/${data.id}`;
  } catch (e) {
    error.textContent = describe(e);
  } finally {
    busy(button, false);
  }
}

/* ---------- detail: state ---------- */

const detail = {
  id: null,
  appointment: null,
  lock: null,
  offsetMs: 0,
  editing: false,
  draft: false,
  deleted: false,
  renewTimer: null,
  tickTimer: null,
  cursors: new Map(),
};

const me = () => session.user?.id;
const serverNow = () => Date.now() + detail.offsetMs;
const liveLock = () => (detail.lock && Date.parse(detail.lock.expiresAt) > serverNow() ? detail.lock : null);
const holdsLock = () => liveLock()?.userId === me();

async function openDetail(id) {
  if (detail.id !== id) {
    await leaveDetail();
    Object.assign(detail, { id, appointment: null, lock: null, editing: false, draft: false, deleted: false });
    clearCursors();
    hideAlert();
    selectTab('details');
  }
  show('detail-view');
  socket.subscribe(id);
  detail.tickTimer ??= setInterval(renderLock, 1000);
  try {
    const [{ data: appointment }, { data: status }] = await Promise.all([
      api('GET', `/appointments/${id}`),
      api('GET', `/appointments/${id}/lock-status`),
    ]);
    if (detail.id !== id) return;
    detail.offsetMs = Date.parse(status.serverTime) - Date.now();
    detail.appointment = appointment;
    detail.lock = status.lock;
    fillEditor(appointment);
    render();
  } catch (e) {
    if (e.code === 'not_found') markDeleted();
    else showAlert(describe(e));
  }
}

async function leaveDetail({ release = true } = {}) {
  if (!detail.id) return;
  const id = detail.id;
  const releasing = release && detail.editing && holdsLock();
  const version = detail.lock?.version;
  stopEditing();
  clearInterval(detail.tickTimer);
  detail.tickTimer = null;
  detail.id = null;
  clearCursors();
  socket.unsubscribe();
  if (releasing) {
    try {
      await api('DELETE', `/appointments/${id}/release-lock`, { body: { expectedVersion: version } });
    } catch {
      // The lease expires on its own; nothing to tell a user who already left.
    }
  }
}

function fillEditor(a) {
  const f = $('editor');
  f.title.value = a.title;
  f.startsAt.value = toLocalInput(a.startsAt);
  f.endsAt.value = toLocalInput(a.endsAt);
  f.location.value = a.location || '';
  f.status.value = a.status;
  f.attendees.value = (a.attendees || []).join(', ');
  f.description.value = a.description || '';
  detail.draft = false;
}

function readEditor() {
  const f = $('editor');
  return {
    title: f.title.value.trim(),
    startsAt: fromLocalInput(f.startsAt.value),
    endsAt: fromLocalInput(f.endsAt.value),
    location: f.location.value,
    status: f.status.value,
    attendees: f.attendees.value.split(/[\s,;]+/).filter(Boolean),
    description: f.description.value,
  };
}

/* ---------- detail: rendering ---------- */

function render() {
  const a = detail.appointment;
  $('detail-title').textContent = a ? a.title : 'Appointment';
  $('detail-version').textContent = a ? `version ${a.version} · updated ${dateTime(a.updatedAt)}` : '';
  for (const input of $('editor').elements) input.disabled = !(detail.editing && holdsLock());
  renderLock();
}

function renderLock() {
  if (!detail.id) return;
  const lock = liveLock();
  const user = session.user;
  let state;
  let text;
  let left = '';
  if (detail.deleted) {
    state = 'gone';
    text = 'This appointment has been deleted.';
  } else if (!lock) {
    state = 'free';
    text = 'Free — nobody is editing. Press Edit to start.';
  } else {
    left = `Lock expires in ${countdown(Date.parse(lock.expiresAt) - serverNow())}.`;
    if (lock.userId !== me()) {
      state = 'other';
      text = `${lock.userInfo.name} is editing.`;
    } else {
      state = 'mine';
      text = detail.editing
        ? 'You are editing; your lock renews automatically.'
        : 'You hold the lock (another tab?). Press Edit to continue here.';
    }
  }
  $('lock-banner').dataset.state = state;
  // The state sentence is announced when it changes; the countdown ticks silently beside it.
  if ($('lock-text').textContent !== text) $('lock-text').textContent = text;
  $('lock-countdown').textContent = left;

  const editing = detail.editing && state === 'mine';
  $('edit').hidden = editing || detail.deleted;
  $('edit').disabled = state === 'other' || $('edit').getAttribute('aria-busy') === 'true';
  $('save').hidden = !editing;
  $('cancel-edit').hidden = !editing;
  $('takeover').hidden = !(user?.role === 'admin' && state === 'other');
}

function showAlert(text, { reload = false } = {}) {
  $('alert-text').textContent = text;
  $('reload-latest').hidden = !reload;
  $('alert-banner').hidden = false;
}

function hideAlert() {
  $('alert-banner').hidden = true;
  $('alert-text').textContent = '';
}

function markDeleted() {
  detail.deleted = true;
  stopEditing();
  showAlert('This appointment has been deleted. Anything you typed is still on screen, but it can no longer be saved.');
  render();
}

/* ---------- detail: editing ---------- */

function startEditing(lock) {
  detail.lock = lock;
  detail.editing = true;
  clearInterval(detail.renewTimer);
  detail.renewTimer = setInterval(renew, RENEW_EVERY_MS);
  render();
  $('editor').title.focus();
}

function stopEditing() {
  detail.editing = false;
  clearInterval(detail.renewTimer);
  detail.renewTimer = null;
}

function lostLock(reason) {
  if (!detail.editing) return;
  stopEditing();
  detail.draft = true;
  showAlert(`${reason} Your unsaved changes are kept below as a draft.`, { reload: true });
  render();
}

async function edit() {
  const button = $('edit');
  busy(button, true, 'Acquiring lock…');
  try {
    const { data } = await api('POST', `/appointments/${detail.id}/acquire-lock`, { body: { position: 'details' } });
    if (!detail.draft) hideAlert();
    startEditing(data.lock);
  } catch (e) {
    if (e.code === 'lock_held' && e.problem.lock) detail.lock = e.problem.lock;
    showAlert(describe(e), { reload: detail.draft });
  } finally {
    busy(button, false);
    render();
  }
}

async function renew() {
  if (!detail.editing || !detail.lock) return;
  try {
    const { data } = await api('POST', `/appointments/${detail.id}/acquire-lock`, {
      body: { expectedVersion: detail.lock.version, position: 'details' },
    });
    detail.lock = data.lock;
    renderLock();
  } catch (e) {
    if (e.code === 'version_conflict') {
      await refreshLockStatus();
      if (!holdsLock()) lostLock('You no longer hold the lock.');
    } else if (['lock_lost', 'lock_held', 'not_found'].includes(e.code)) {
      lostLock('Your lock expired or was taken over.');
    } else {
      toast(`Could not renew your lock: ${describe(e)}`, 'error');
    }
  }
}

async function refreshLockStatus() {
  try {
    const { data } = await api('GET', `/appointments/${detail.id}/lock-status`);
    detail.offsetMs = Date.parse(data.serverTime) - Date.now();
    detail.lock = data.lock;
  } catch {
    // The socket keeps the lock state current; a failed refresh changes nothing.
  }
  render();
}

async function save() {
  const button = $('save');
  busy(button, true, 'Saving…');
  try {
    const { data } = await api('PUT', `/appointments/${detail.id}`, {
      body: readEditor(),
      headers: { 'If-Match': `"${detail.appointment.version}"`, 'Lock-Token': String(detail.lock.fencingToken) },
    });
    detail.appointment = data;
    fillEditor(data);
    hideAlert();
    await release({ quiet: true });
    toast('Saved.');
  } catch (e) {
    if (['lock_required', 'stale_lock_token', 'lock_lost'].includes(e.code)) {
      lostLock('You lost the lock before saving.');
    } else if (e.code === 'precondition_failed') {
      showAlert(describe(e), { reload: true });
      detail.draft = true;
    } else if (e.code === 'not_found') {
      markDeleted();
    } else {
      showAlert(describe(e));
    }
  } finally {
    busy(button, false);
    render();
  }
}

async function release({ quiet = false } = {}) {
  const button = $('cancel-edit');
  const version = detail.lock?.version;
  stopEditing();
  busy(button, true, 'Releasing…');
  try {
    await api('DELETE', `/appointments/${detail.id}/release-lock`, { body: { expectedVersion: version } });
  } catch (e) {
    if (!['no_lock', 'lock_lost', 'not_lock_owner', 'version_conflict'].includes(e.code) && !quiet) {
      showAlert(describe(e));
    }
  } finally {
    busy(button, false);
  }
  detail.lock = liveLock()?.userId === me() ? null : detail.lock;
  render();
}

async function cancelEdit() {
  await release();
  await reloadLatest();
}

async function reloadLatest() {
  try {
    const { data } = await api('GET', `/appointments/${detail.id}`);
    detail.appointment = data;
    fillEditor(data);
    hideAlert();
  } catch (e) {
    if (e.code === 'not_found') markDeleted();
    else showAlert(describe(e), { reload: true });
  }
  render();
}

async function takeover() {
  const holder = liveLock()?.userInfo.name || 'the current editor';
  if (!window.confirm(`Take control from ${holder}? Their unsaved changes will not be saved.`)) return;
  const button = $('takeover');
  busy(button, true, 'Taking over…');
  try {
    const { data } = await api('POST', `/appointments/${detail.id}/takeover-lock`, {
      body: { reason: `Control requested by ${session.user.name}` },
    });
    await reloadLatest();
    startEditing(data.lock);
  } catch (e) {
    showAlert(describe(e));
  } finally {
    busy(button, false);
    render();
  }
}

/* ---------- detail: live events ---------- */

function onFrame(frame) {
  if (frame.type === 'pong') return;
  if (frame.type === 'error') {
    if (frame.appointmentId && frame.appointmentId === detail.id && frame.code === 'not_found') markDeleted();
    return;
  }
  if (!frame.appointmentId || frame.appointmentId !== detail.id) return;
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
      if (detail.editing && frame.lock.userId !== me()) lostLock(`${frame.lock.userInfo.name} took over the lock.`);
      break;
    case 'lock-released':
      if (!detail.lock || !frame.lock || detail.lock.id === frame.lock.id) detail.lock = null;
      if (detail.editing && frame.lock?.userId === me() && frame.by !== me()) {
        lostLock(frame.reason === 'expired' ? 'Your lock expired.' : 'An administrator released your lock.');
      }
      break;
    case 'admin-takeover':
      detail.lock = frame.lock;
      if (frame.previousHolder?.userId === me() && detail.editing) {
        lostLock(`${frame.adminInfo.name} (administrator) took control of this appointment.`);
      }
      break;
    case 'appointment-updated':
      if (frame.updatedBy !== me() && !detail.editing && !detail.draft) reloadLatest();
      else if (frame.updatedBy !== me()) toast('A newer version of this appointment was saved.');
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
  render();
}

/* ---------- cursors ---------- */

function drawCursor({ userId, userInfo, position, color }) {
  if (!position) return;
  let entry = detail.cursors.get(userId);
  if (!entry) {
    const node = el('div', { className: 'cursor' }, el('span', { className: 'cursor-name' }));
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

function removeCursor(userId) {
  const entry = detail.cursors.get(userId);
  if (!entry) return;
  clearTimeout(entry.timer);
  entry.node.remove();
  detail.cursors.delete(userId);
}

function clearCursors() {
  for (const userId of [...detail.cursors.keys()]) removeCursor(userId);
}

let lastCursorSent = 0;
function onEditorMouseMove(event) {
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

/* ---------- history and statistics ---------- */

function selectTab(name) {
  for (const tab of ['details', 'history', 'stats']) {
    $(`tab-${tab}`).setAttribute('aria-selected', String(tab === name));
    $(`panel-${tab}`).hidden = tab !== name;
  }
  if (name === 'history') loadHistory();
  if (name === 'stats') loadStats();
}

function duration(seconds) {
  if (seconds == null) return '—';
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

async function loadHistory() {
  try {
    const { data } = await api('GET', `/appointments/${detail.id}/lock-history?limit=100`);
    $('history-rows').replaceChildren(...data.data.map((row) => el('tr', {},
      el('td', { textContent: dateTime(row.timestamp) }),
      el('td', {}, el('span', { className: `pill action-${row.action}`, textContent: row.action.replace('_', ' ') })),
      el('td', { textContent: row.userInfo?.name || row.userId }),
      el('td', { textContent: `#${row.fencingToken}`, title: 'Fencing token of the lease' }),
      el('td', { textContent: duration(row.duration) }),
      el('td', { textContent: row.renewalCount ?? '—' }),
      el('td', { textContent: [row.metadata?.takeoverOf ? 'takeover' : '', row.reason || ''].filter(Boolean).join(' · ') || '—' }),
    )));
    $('history-empty').hidden = data.data.length > 0;
  } catch (e) {
    toast(describe(e), 'error');
  }
}

async function loadStats() {
  try {
    const { data } = await api('GET', `/appointments/${detail.id}/lock-statistics`);
    const entries = [
      ['Leases acquired', data.totals.acquired],
      ['Released', data.totals.released],
      ['Expired', data.totals.expired],
      ['Force-released', data.totals.force_released],
      ['Average lease', duration(data.averageDurationSeconds)],
      ['Different editors', data.uniqueUsers],
      ['Locked now', data.currentlyLocked ? 'Yes' : 'No'],
    ];
    $('stats').replaceChildren(...entries.map(([k, v]) => el('div', {}, el('dt', { textContent: k }), el('dd', { textContent: String(v) }))));
  } catch (e) {
    toast(describe(e), 'error');
  }
}

/* ---------- wiring ---------- */

function releaseOnPageHide() {
  if (!detail.id || !detail.editing || !holdsLock()) return;
  // keepalive lets the release outlive the page; sendBeacon cannot send DELETE or the Authorization header.
  fetch(`${API}/appointments/${detail.id}/release-lock`, {
    method: 'DELETE',
    keepalive: true,
    headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ expectedVersion: detail.lock.version }),
  });
}

function wire() {
  $('tab-signin').addEventListener('click', () => selectAuthTab(false));
  $('tab-signup').addEventListener('click', () => selectAuthTab(true));
  $('signin-form').addEventListener('submit', (e) => { e.preventDefault(); submitAuth(e.target, '/auth/signin'); });
  $('signup-form').addEventListener('submit', (e) => { e.preventDefault(); submitAuth(e.target, '/auth/signup'); });
  $('sign-out').addEventListener('click', signOut);
  $('refresh-list').addEventListener('click', loadList);
  $('show-create').addEventListener('click', () => toggleCreate($('create-form').hidden));
  $('cancel-create').addEventListener('click', () => toggleCreate(false));
  $('create-form').addEventListener('submit', submitCreate);
  $('edit').addEventListener('click', edit);
  $('save').addEventListener('click', save);
  $('cancel-edit').addEventListener('click', cancelEdit);
  $('takeover').addEventListener('click', takeover);
  $('reload-latest').addEventListener('click', reloadLatest);
  $('editor').addEventListener('submit', (e) => { e.preventDefault(); save(); });
  $('editor').addEventListener('input', () => { if (detail.editing) detail.draft = true; });
  $('editor-area').addEventListener('mousemove', onEditorMouseMove);
  for (const tab of ['details', 'history', 'stats']) $(`tab-${tab}`).addEventListener('click', () => selectTab(tab));
  window.addEventListener('hashchange', route);
  window.addEventListener('pagehide', releaseOnPageHide);
}

async function start() {
  wire();
  if (session.token) {
    try {
      const { data } = await api('GET', '/auth/session');
      session.set(session.token, data.user);
    } catch (e) {
      if (e.code !== 'unauthorized') toast(describe(e), 'error');
    }
  }
  await route();
}

start();
