// The signed-in user and their token.

const TOKEN = 'syncpoint.token';
const USER = 'syncpoint.user';

export const session = {
  get token() { return sessionStorage.getItem(TOKEN); },
  get user() { return JSON.parse(sessionStorage.getItem(USER) || 'null'); },
  set(token, user) {
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(USER, JSON.stringify(user));
  },
  clear() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(USER);
  },
};

export const me = () => session.user?.id;
