// Entry point: wires the page's controls to the modules under js/ and routes between the views.
import { $, toast } from './js/dom.js';
import { api, describe, whenUnauthorized, SESSION_ENDED } from './js/api.js';
import { session } from './js/session.js';
import { socket, whenFrame } from './js/socket.js';
import { show } from './js/views.js';
import { selectAuthTab, submitAuth } from './js/auth.js';
import { loadList, toggleCreate, submitCreate } from './js/list.js';
import { openDetail, leaveDetail, reloadLatest } from './js/appointment.js';
import { edit, save, cancelEdit, takeover, releaseOnPageHide, lostLock } from './js/editing.js';
import { whenAnotherTabEdits } from './js/tabs.js';
import { onFrame } from './js/live-events.js';
import { onEditorMouseMove } from './js/cursors.js';
import { selectTab } from './js/history.js';
import { detail } from './js/state.js';

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
  toast(SESSION_ENDED, 'error');
  show('auth-view');
}

async function signOut() {
  await leaveDetail();
  session.clear();
  socket.close();
  location.hash = '#/';
  show('auth-view');
}

function wire() {
  whenUnauthorized(expireSession);
  whenFrame(onFrame);
  whenAnotherTabEdits((id) => { if (id === detail.id) lostLock('You went on editing in another tab.'); });
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
