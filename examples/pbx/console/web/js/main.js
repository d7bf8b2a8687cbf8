// Entry point: decides between the login form and the console, owns the event
// stream, and routes events to the state (and a few of them to the notice area).
import { $ } from './dom.js';
import { get, post, setCsrfToken, describe } from './api.js';
import { EventStream } from './events.js';
import { state, subscribe, setMe, reset, applyHello, applyEvent, loadAudit } from './state.js';
import { onSessionLost, attempt } from './guard.js';
import { startTicker } from './ticker.js';
import { person } from './format.js';
import * as notice from './notice.js';
import { initLogin, showLogin, hideLogin } from './views/login.js';
import { showHeader, showConnection } from './views/header.js';
import { initSupervisor, renderSupervisor } from './views/supervisor.js';
import { initAgent, renderAgent } from './views/agent.js';
import { renderAdmin, resetAdmin } from './views/admin.js';

const VIEWS = ['supervisor', 'agent', 'admin']; // also their order on the page

const stream = new EventStream({
  onMessage: handleEvent,
  onStatus: showConnection,
  onRefused: checkLogin,
});

function hasView(name) {
  return Boolean(state.me?.views?.includes(name));
}

function applyViews() {
  for (const name of VIEWS) $(`#${name}-view`).hidden = !hasView(name);
}

function render() {
  renderSupervisor();
  renderAgent();
  renderAdmin();
}

function startConsole(me) {
  hideLogin();
  setCsrfToken(me.csrf_token);
  setMe(me);
  showHeader(me);
  applyViews();
  render();
  stream.start();
}

function endConsole(message = '') {
  stream.stop();
  setCsrfToken(null);
  reset();            // while the views are visible, so their rows are removed too
  resetAdmin();
  applyViews();
  showHeader(null);
  notice.clear();
  showLogin(message);
}

/** After a refused WebSocket upgrade: is the login still valid? false = give up. */
async function checkLogin() {
  try {
    const me = await get('/api/me');
    if (me.csrf_token) setCsrfToken(me.csrf_token);
    return true;
  } catch (err) {
    if (err.status === 401) {
      endConsole('Your session has ended. Please sign in again.');
      return false;
    }
    return true; // the PBX is down or restarting: keep retrying
  }
}

function handleEvent(msg) {
  if (msg.type === 'hello') {
    applyHello(msg);
    if (msg.me?.csrf_token) setCsrfToken(msg.me.csrf_token);
    showHeader(state.me);
    applyViews();
    render();
    if (hasView('admin')) loadAuditOnce();
    return;
  }
  applyEvent(msg);
  announce(msg);
}

// The audit history before this connection, fetched once per `hello` (never polled):
// the stream only carries records from now on.
async function loadAuditOnce() {
  try {
    const r = await get('/api/audit?limit=100');
    loadAudit(r.records ?? []);
  } catch (err) {
    if (err.status === 401) endConsole('Your session has ended. Please sign in again.');
    else if (err.status !== 403) notice.error(`Audit trail: ${describe(err)}`);
  }
}

/** Events that the user should notice even if they are not looking at the panel. */
function announce(msg) {
  if (msg.type === 'pending' && msg.error) {
    notice.error(`Your phone was not connected: ${msg.error}`);
  } else if (msg.type === 'session') {
    const ev = msg.event ?? {};
    if (ev.kind === 'denied') {
      notice.error(`Refused: ${ev.reason ?? 'denied'}${ev.rule ? ` (rule: ${ev.rule})` : ''}`);
    } else if (!msg.session) {
      const why = ev.end_reason && ev.end_reason !== 'none' ? ` (${ev.end_reason})` : '';
      notice.info(`Supervision ended${why}.`);
    } else if (ev.kind === 'started') {
      notice.success(`Supervision started: ${msg.session.mode} on ${person(msg.session.agent_name, msg.session.agent)}.`);
    }
  } else if (msg.type === 'assistance' && msg.active && hasView('supervisor')
             && msg.assistance?.agent !== state.me?.extension) {
    notice.info(`${person(msg.assistance.agent_name, msg.assistance.agent)} needs help.`);
  }
}

async function boot() {
  try {
    startConsole(await get('/api/me'));
  } catch (err) {
    if (err.status === 401) showLogin();
    else {
      notice.error(`${describe(err)} — retrying…`);
      setTimeout(boot, 3000);
    }
  }
}

subscribe(render);
onSessionLost(() => endConsole('Your session has ended. Please sign in again.'));
initLogin(startConsole);
initSupervisor();
initAgent();
$('#logout').addEventListener('click', async () => {
  await attempt(() => post('/api/logout'));
  endConsole();
});
showConnection(false);
startTicker();
boot();
