// Which of the three views is on screen, and who is signed in.
import { $ } from './dom.js';
import { session } from './session.js';

export function show(view) {
  for (const id of ['auth-view', 'list-view', 'detail-view']) $(id).hidden = id !== view;
  const user = session.user;
  $('whoami').hidden = !user;
  if (user) {
    $('whoami-name').textContent = user.name;
    $('whoami-role').textContent = user.role;
    $('whoami-role').hidden = user.role !== 'admin';
  }
}
