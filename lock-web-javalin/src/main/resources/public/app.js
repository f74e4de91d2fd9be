// Entry point: wires the page's controls to the modules under js/ and routes between the views.
import { $, toast } from './js/dom.js';
import { api, describe, whenUnauthorized, SESSION_ENDED } from './js/api.js';
import { session, TOKEN_KEY } from './js/session.js';
import { socket, whenFrame, whenReconnected } from './js/socket.js';
import { show } from './js/views.js';
import { selectAuthTab, submitAuth } from './js/auth.js';
import { loadList, toggleCreate, submitCreate } from './js/list.js';
import { openDetail, leaveDetail, reloadLatest, refreshLockStatus, restoreDraft, discardDraft } from './js/appointment.js';
import { edit, save, cancelEdit, takeover, releaseOnPageHide, lostLock, typed, hasUnsavedText } from './js/editing.js';
import { whenAnotherTabEdits } from './js/tabs.js';
import { onFrame } from './js/live-events.js';
import { onEditorMouseMove } from './js/cursors.js';
import { selectTab, refreshOpenTab } from './js/history.js';
import { wireTabLists, onEscape } from './js/keys.js';
import { detail } from './js/state.js';
import { loadSettings } from './js/settings.js';
import { noteActivity, noteActivityFrom } from './js/activity.js';
import {
  askToEdit, withdraw, dismissNote, handOver, saveAndHandOver, handOverWithoutSaving, cancelHandOver, keepEditing,
} from './js/edit-requests.js';

async function route() {
  if (!session.token) {
    leaveDetail();
    socket.close();
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

/** Back online after a drop: whatever changed meanwhile is read again. */
async function reread() {
  if (!detail.id) {
    if (!$('list-view').hidden) await loadList();
    return;
  }
  if (!detail.editing && !detail.draft) await reloadLatest();
  await refreshLockStatus();
  refreshOpenTab();
}

function expireSession() {
  leaveDetail({ release: false });
  session.clear();
  socket.close();
  toast(SESSION_ENDED, 'error');
  show('auth-view');
}

async function signOut() {
  if (hasUnsavedText()
      && !window.confirm('You have unsaved changes. They stay on this device as a draft. Sign out anyway?')) return;
  await leaveDetail();
  session.clear();
  socket.close();
  location.hash = '#/';
  show('auth-view');
}

function wire() {
  whenUnauthorized(expireSession);
  whenFrame(onFrame);
  whenReconnected(reread);
  whenAnotherTabEdits((id) => { if (id === detail.id) lostLock('You went on editing in another tab.'); });
  wireTabLists();
  onEscape(() => { if (detail.id && detail.editing) cancelEdit(); });
  $('tab-signin').addEventListener('click', () => selectAuthTab(false));
  $('tab-signup').addEventListener('click', () => selectAuthTab(true));
  $('signin-form').addEventListener('submit', (e) => { e.preventDefault(); submitAuth(e.target, '/auth/signin', route); });
  $('signup-form').addEventListener('submit', (e) => { e.preventDefault(); submitAuth(e.target, '/auth/signup', route); });
  $('sign-out').addEventListener('click', signOut);
  $('refresh-list').addEventListener('click', () => loadList());
  $('list-more').addEventListener('click', () => loadList({ more: true }));
  $('show-create').addEventListener('click', () => toggleCreate($('create-form').hidden));
  $('cancel-create').addEventListener('click', () => toggleCreate(false));
  $('create-form').addEventListener('submit', submitCreate);
  $('edit').addEventListener('click', edit);
  $('save').addEventListener('click', save);
  $('cancel-edit').addEventListener('click', cancelEdit);
  $('takeover').addEventListener('click', takeover);
  $('ask-to-edit').addEventListener('click', askToEdit);
  $('withdraw-request').addEventListener('click', withdraw);
  $('dismiss-note').addEventListener('click', dismissNote);
  $('hand-over').addEventListener('click', handOver);
  $('save-and-hand-over').addEventListener('click', saveAndHandOver);
  $('hand-over-unsaved').addEventListener('click', handOverWithoutSaving);
  $('cancel-hand-over').addEventListener('click', cancelHandOver);
  $('keep-editing').addEventListener('click', keepEditing);
  $('still-editing-yes').addEventListener('click', noteActivity);
  // Typing or clicking anywhere on the page while editing counts as work (sent with the next renewal).
  for (const type of ['input', 'keydown', 'pointerdown']) document.addEventListener(type, noteActivityFrom, { capture: true, passive: true });
  $('reload-latest').addEventListener('click', discardDraft);
  $('restore-draft').addEventListener('click', restoreDraft);
  $('discard-draft').addEventListener('click', discardDraft);
  $('editor').addEventListener('submit', (e) => { e.preventDefault(); save(); });
  $('editor').addEventListener('input', typed);
  $('editor-area').addEventListener('mousemove', onEditorMouseMove);
  for (const tab of ['details', 'history', 'stats']) $(`tab-${tab}`).addEventListener('click', () => selectTab(tab));
  window.addEventListener('hashchange', route);
  window.addEventListener('pagehide', releaseOnPageHide);
  window.addEventListener('beforeunload', (event) => {
    if (!hasUnsavedText()) return;
    event.preventDefault();
    event.returnValue = '';
  });
  window.addEventListener('online', () => socket.reconnectNow());
  // Signing in or out in another tab of this browser applies here too.
  window.addEventListener('storage', (event) => { if (event.key === TOKEN_KEY) route(); });
}

async function start() {
  wire();
  await loadSettings();
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
