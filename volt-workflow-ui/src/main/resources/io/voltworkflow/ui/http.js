// JSON over HTTP for both hosts: the standalone server (optional bearer token) and Jenkins (session cookie and
// crumb). API errors arrive as {"error":{"code","message","field"}} and become ApiError values.

export class ApiError extends Error {
  constructor(status, code, message, field = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

const TOKEN_KEY = 'voltToken';

/** The API token of this browser tab, if the user entered one. */
export function readToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || null;
  } catch {
    return null; // storage disabled: behave as if no token was set
  }
}

export function writeToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage disabled: the token lives for this page only
  }
}

/** The Jenkins crumb that Jenkins puts on <head data-crumb-header data-crumb-value>. */
export function readJenkinsCrumb() {
  const { crumbHeader, crumbValue } = document.head.dataset;
  return crumbHeader && crumbValue ? { header: crumbHeader, value: crumbValue } : null;
}

/** Resolves a URL relative to the page and sets query parameters. */
export function withQuery(url, params) {
  const resolved = new URL(url, document.baseURI);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined) resolved.searchParams.set(key, String(value));
  }
  return resolved.href;
}

async function errorOf(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: fall back to the status line
  }
  const error = body?.error;
  if (error && typeof error.message === 'string') {
    return new ApiError(response.status, error.code ?? `HTTP_${response.status}`, error.message, error.field ?? null);
  }
  const message = response.status === 401 ? 'Authentication required: enter an API token.'
    : response.status === 403 ? 'This token is not allowed to do that.'
      : `The server answered ${response.status} ${response.statusText}`.trim();
  return new ApiError(response.status, `HTTP_${response.status}`, message);
}

/**
 * @param {{ mode?: 'server'|'jenkins' }} options server mode sends the tab's bearer token, jenkins mode the crumb
 */
export function createHttpClient({ mode = 'server' } = {}) {
  function headers(extra) {
    const result = { Accept: 'application/json', ...extra };
    if (mode === 'jenkins') {
      const crumb = readJenkinsCrumb();
      if (crumb) result[crumb.header] = crumb.value;
    } else {
      const token = readToken();
      if (token) result.Authorization = `Bearer ${token}`;
    }
    return result;
  }

  async function request(method, url, body) {
    let response;
    try {
      response = await fetch(url, {
        method,
        credentials: 'same-origin',
        cache: 'no-store',
        headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'NETWORK_ERROR', 'Cannot reach the server.');
    }
    if (!response.ok) throw await errorOf(response);
    const text = await response.text();
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError(response.status, 'BAD_RESPONSE', 'The server sent a response that is not JSON.');
    }
  }

  return {
    mode,
    getJson: (url) => request('GET', url),
    postJson: (url, body = {}) => request('POST', url, body),
  };
}
