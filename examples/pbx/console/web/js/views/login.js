// The login form. It only talks to POST /api/login; what happens after a login is
// main.js's business (onLoggedIn).
import { $ } from '../dom.js';
import { post, ApiError } from '../api.js';

let onLoggedIn = () => {};

export function initLogin(callback) {
  onLoggedIn = callback;
  $('#login-form').addEventListener('submit', submit);
}

export function showLogin(message = '') {
  $('#login-view').hidden = false;
  $('#login-error').textContent = message;
  $('#login-password').value = '';
  $('#login-submit').disabled = false;
  const ext = $('#login-extension');
  (ext.value ? $('#login-password') : ext).focus();
}

export function hideLogin() {
  $('#login-view').hidden = true;
  $('#login-error').textContent = '';
}

async function submit(event) {
  event.preventDefault();
  const extension = $('#login-extension').value.trim();
  const password = $('#login-password').value;
  const errorEl = $('#login-error');
  if (!extension || !password) {
    errorEl.textContent = 'Enter your extension and password.';
    return;
  }
  const button = $('#login-submit');
  button.disabled = true;
  errorEl.textContent = '';
  try {
    const me = await post('/api/login', { extension, password });
    $('#login-password').value = '';
    onLoggedIn(me);
  } catch (err) {
    errorEl.textContent = loginError(err);
    $('#login-password').select();
  } finally {
    button.disabled = false;
  }
}

function loginError(err) {
  if (!(err instanceof ApiError)) return String(err);
  if (err.status === 429 && err.retryAfter != null) {
    return `${err.message} — try again in ${err.retryAfter} s.`;
  }
  return err.message;
}
