// fetch wrapper for the console's JSON API: JSON in and out, the CSRF header on every
// state-changing request, and errors turned into ApiError with the server's fields.

// The CSRF token lives only in memory (never in storage): a reload gets it back from
// GET /api/me, and nothing else on the page can read it later.
let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

export class ApiError extends Error {
  constructor(status, body, retryAfter = null) {
    const error = body && typeof body.error === 'string' ? body.error : '';
    super(error || (status ? `HTTP ${status}` : 'the PBX is not reachable'));
    this.status = status;          // 0 when the request never got an answer
    this.error = error;            // the server's message, naming the bad value
    this.reason = body?.reason ?? null; // policy denials: the SDK's Reason ...
    this.rule = body?.rule ?? null;     // ... and the rule that decided
    this.retryAfter = retryAfter;  // seconds, from 429's Retry-After
  }
}

/** Text for the notice area: the server's error, then reason and rule when present. */
export function describe(err) {
  if (!(err instanceof ApiError)) return String(err?.message ?? err);
  let text = err.message;
  if (err.reason) text += ` (reason: ${err.reason}${err.rule ? `, rule: ${err.rule}` : ''})`;
  return text;
}

async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, null);
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const retry = Number.parseInt(res.headers.get('Retry-After') ?? '', 10);
    throw new ApiError(res.status, data, Number.isNaN(retry) ? null : retry);
  }
  return data ?? {};
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const del = (path) => request('DELETE', path);
