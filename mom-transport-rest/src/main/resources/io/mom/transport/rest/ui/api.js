// The REST API as the dashboard uses it. The token lives in this tab's sessionStorage (and in memory);
// it is only ever sent in the Authorization header, never in a URL, and never in a cookie.

const TOKEN = 'mom.token';
const USER = 'mom.user';

export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail || code);
    this.status = status;
    this.code = code;
  }
}

async function problem(response) {
  let body = {};
  try {
    body = await response.json();
  } catch (e) {
    // not a problem document
  }
  return new ApiError(response.status, body.code || 'HTTP_' + response.status, body.detail || response.statusText);
}

export class Api {
  constructor() {
    this.token = sessionStorage.getItem(TOKEN);
    this.username = sessionStorage.getItem(USER);
  }

  get signedIn() {
    return Boolean(this.token);
  }

  async login(username, password) {
    const response = await fetch('/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify({ username, password }),
      cache: 'no-store',
      credentials: 'omit',
    });
    if (!response.ok) {
      throw await problem(response);
    }
    const session = await response.json();
    this.token = session.token;
    this.username = session.username || username;
    sessionStorage.setItem(TOKEN, this.token);
    sessionStorage.setItem(USER, this.username);
    return session;
  }

  async logout() {
    try {
      if (this.token) {
        await this.call('POST', '/v1/auth/logout');
      }
    } finally {
      this.forget();
    }
  }

  forget() {
    this.token = null;
    this.username = null;
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(USER);
  }

  get(path) {
    return this.call('GET', path);
  }

  async call(method, path) {
    const response = await fetch(path, {
      method,
      headers: { 'Authorization': 'Bearer ' + this.token, 'Accept': 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
    });
    if (response.status === 401) {
      this.forget();
      throw new ApiError(401, 'UNAUTHORIZED', 'the session has ended; sign in again');
    }
    if (!response.ok) {
      throw await problem(response);
    }
    return response.status === 204 ? null : response.json();
  }
}
