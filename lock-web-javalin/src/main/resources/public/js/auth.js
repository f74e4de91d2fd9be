// Sign in and sign up.
import { $, busy } from './dom.js';
import { api, describe } from './api.js';
import { session } from './session.js';

export function selectAuthTab(signup) {
  $('tab-signin').setAttribute('aria-selected', String(!signup));
  $('tab-signup').setAttribute('aria-selected', String(signup));
  $('tab-signin').tabIndex = signup ? -1 : 0;
  $('tab-signup').tabIndex = signup ? 0 : -1;
  $('signin-form').hidden = signup;
  $('signup-form').hidden = !signup;
  $('auth-title').textContent = signup ? 'Create an account' : 'Sign in';
}

/** Submits the sign-in or sign-up form; calls {@code signedIn} once the session is stored. */
export async function submitAuth(form, path, signedIn) {
  const error = form.querySelector('.form-error');
  const button = form.querySelector('button[type=submit]');
  error.textContent = '';
  const body = Object.fromEntries(new FormData(form));
  busy(button, true, 'Please wait…');
  try {
    const { data } = await api('POST', path, { body });
    session.set(data.token, data.user);
    form.reset();
    await signedIn();
  } catch (e) {
    error.textContent = describe(e);
  } finally {
    busy(button, false);
  }
}
