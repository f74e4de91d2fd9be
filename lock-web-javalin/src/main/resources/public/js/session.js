// The signed-in user and their token, shared by every tab of this browser.

export const TOKEN_KEY = 'syncpoint.token';
const USER_KEY = 'syncpoint.user';

export const session = {
  get token() { return localStorage.getItem(TOKEN_KEY); },
  get user() { return JSON.parse(localStorage.getItem(USER_KEY) || 'null'); },
  set(token, user) {
    localStorage.setItem(TOKEN_KEY, token);
    localStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  clear() {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(USER_KEY);
  },
};

export const me = () => session.user?.id;
