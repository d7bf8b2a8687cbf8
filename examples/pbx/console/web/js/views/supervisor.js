// Supervisor view: the calls in my scope with Listen / Whisper / Join, my own
// supervision, and the agents asking for help.
import { $, h, fill } from '../dom.js';
import { post, del } from '../api.js';
import { person, clock } from '../format.js';
import { tickingDuration } from '../ticker.js';
import { MODES, BUTTON_LABEL, modeBadge } from '../modes.js';
import { state, localSession, localSessionEnded, localPending } from '../state.js';
import { attempt } from '../guard.js';
import * as notice from '../notice.js';

// Rows are kept per call id and updated in place: buttons stay the same elements,
// so focus and a half-done click survive the stream of `call` events.
const rows = new Map();
let busy = false;

export function initSupervisor() {
  $('#stop').addEventListener('click', stop);
}

export function renderSupervisor() {
  if ($('#supervisor-view').hidden) return;
  renderCalls();
  renderMySession();
  renderHelp();
}

// ---- calls table ---------------------------------------------------------------

function sortedCalls() {
  // Only calls to supervise (a supervisor's own calls are in the agent view). Oldest first and
  // stable: rows must not jump under the pointer.
  return [...state.calls.values()].filter((c) => !c.mine).sort((a, b) =>
    String(a.started_at ?? '').localeCompare(String(b.started_at ?? '')) ||
    String(a.id).localeCompare(String(b.id)));
}

function renderCalls() {
  const tbody = $('#calls tbody');
  const calls = sortedCalls();
  for (const [id, row] of rows) {
    if (!state.calls.has(id) || state.calls.get(id).mine) { row.tr.remove(); rows.delete(id); }
  }
  calls.forEach((call, index) => {
    let row = rows.get(call.id);
    if (!row) { row = buildRow(call.id); rows.set(call.id, row); }
    updateRow(row, call);
    if (tbody.children[index] !== row.tr) tbody.insertBefore(row.tr, tbody.children[index] ?? null);
  });
  $('#calls-empty').hidden = calls.length > 0;
  $('#call-count').textContent = calls.length ? String(calls.length) : '';
}

function buildRow(id) {
  const cells = {};
  const tr = h('tr', { dataset: { call: id } });
  for (const name of ['agent', 'customer', 'duration', 'queue', 'supervisors', 'denial']) {
    cells[name] = h('td', { class: name });
    tr.append(cells[name]);
  }
  const buttons = {};
  const group = h('div', { class: 'mode-buttons', role: 'group', 'aria-label': 'Supervise this call' });
  for (const mode of MODES) {
    buttons[mode] = h('button', {
      type: 'button', class: `btn btn-mode btn-${mode}`, dataset: { mode },
      onclick: () => choose(id, mode),
    }, BUTTON_LABEL[mode]);
    group.append(buttons[mode]);
  }
  tr.append(h('td', { class: 'actions' }, group));
  return { tr, cells, buttons, since: null };
}

function updateRow(row, call) {
  const { cells, buttons } = row;
  const help = state.assistance.get(call.id);
  row.tr.classList.toggle('assistance', Boolean(help));

  fill(cells.agent,
    h('span', { class: 'name' }, call.agent_name || call.agent),
    call.agent_name ? [' ', h('span', { class: 'ext' }, call.agent)] : null,
    help ? h('span', { class: 'help-flag', title: `Asked for help at ${clock(help.requested_at)}` }, 'needs help') : null);
  cells.customer.textContent = call.customer ?? '';
  cells.queue.textContent = call.queue ?? '';

  // Only rebuild the ticking span when its start changes, so it keeps ticking.
  const since = call.answered && call.answered_at ? call.answered_at : null;
  if (since !== row.since || !cells.duration.firstChild) {
    row.since = since;
    if (since) fill(cells.duration, tickingDuration(since));
    else fill(cells.duration, h('span', { class: 'ringing' }, 'ringing'));
  }

  fill(cells.supervisors, (call.supervisors ?? []).map((s) =>
    h('span', { class: 'sup-entry' },
      h('span', { class: 'name' }, s.supervisor === state.me?.extension ? 'You' : (s.name || s.supervisor)),
      modeBadge(s.mode))));

  if (call.denial) {
    fill(cells.denial, h('span', { class: 'denial-tag', title: call.denial.rule ? `rule: ${call.denial.rule}` : null }, call.denial.reason));
  } else {
    cells.denial.replaceChildren();
  }

  const mine = state.sessions.find((s) => s.call === call.id);
  const ringing = state.pending && state.pending.call === call.id ? state.pending : null;
  const current = mine?.mode ?? ringing?.mode ?? null;
  for (const mode of MODES) {
    const b = buttons[mode];
    b.disabled = !(call.modes && call.modes[mode] === true);
    b.setAttribute('aria-pressed', String(current === mode));
    b.title = b.disabled && call.denial ? `Not allowed: ${call.denial.reason}` : '';
  }
}

async function choose(callId, mode) {
  if (busy) return;
  const mine = state.sessions.find((s) => s.call === callId);
  const ringing = state.pending && state.pending.call === callId;
  if ((mine && mine.mode === mode) || (ringing && state.pending.mode === mode)) return;
  busy = true;
  try {
    await attempt(async () => {
      if (mine) {
        const r = await post(`/api/sessions/${encodeURIComponent(mine.id)}/mode`, { mode });
        if (r.session) localSession(r.session);
        notice.success(`Now ${modeVerb(mode)}.`);
      } else if (ringing) {
        const r = await post('/api/sessions/pending/mode', { mode });
        localPending(r.pending ?? { ...state.pending, mode });
        notice.info(`Calling your phone… you will start in ${mode}.`);
      } else {
        const r = await post('/api/sessions', { call: callId, mode });
        localPending(r.pending ?? null);
        notice.info('Calling your phone… answer it to start.');
      }
    });
  } finally {
    busy = false;
  }
}

function modeVerb(mode) {
  return { listen: 'listening', whisper: 'whispering to the agent', barge: 'in the call (joined)' }[mode] ?? mode;
}

// ---- my supervision ------------------------------------------------------------

/** The supervision the panel shows: an established session first, else the ringing phone. */
function current() {
  const session = state.sessions.find((s) => s.state === 'active') ?? state.sessions[0];
  if (session) return { kind: session.state === 'armed' ? 'armed' : 'active', session };
  if (state.pending) return { kind: 'ringing', pending: state.pending };
  return { kind: 'none' };
}

function renderMySession() {
  const panel = $('#my-session');
  const cur = current();
  panel.dataset.state = cur.kind;
  const label = $('.state-label', panel);
  const detail = $('.detail', panel);
  const badge = $('.mode', panel);
  $('#stop').disabled = cur.kind === 'none';

  const setBadge = (mode) => {
    badge.hidden = !mode;
    badge.textContent = mode ?? '';
    badge.className = `mode badge badge-${MODES.includes(mode) ? mode : 'unknown'}`;
    badge.title = BUTTON_LABEL[mode] ?? '';
  };

  if (cur.kind === 'none') {
    label.textContent = 'Not supervising';
    setBadge(null);
    fill(detail, 'Choose Listen, Whisper or Join on a call below; the PBX then calls your phone.');
    return;
  }
  if (cur.kind === 'ringing') {
    const p = cur.pending;
    label.textContent = 'Calling your phone…';
    setBadge(p.mode);
    const call = state.calls.get(p.call);
    fill(detail, `Answer extension ${p.phone} to start supervising `,
      h('strong', {}, person(call?.agent_name, p.agent)), ` on ${p.call}.`);
    return;
  }
  const s = cur.session;
  const call = state.calls.get(s.call);
  setBadge(s.mode);
  if (cur.kind === 'armed') {
    label.textContent = 'Armed';
    fill(detail, 'Waiting for a call of ', h('strong', {}, person(s.agent_name, s.agent)), '.');
    return;
  }
  label.textContent = 'Active';
  fill(detail, 'Supervising ', h('strong', {}, person(s.agent_name, s.agent)), ` on ${s.call}`,
    call?.customer ? ` with ${call.customer}` : '',
    call?.answered_at ? [' · ', tickingDuration(call.answered_at)] : '',
    s.channel && s.channel !== 'web' ? ` · started by ${s.channel}` : '');
}

async function stop() {
  const cur = current();
  if (cur.kind === 'none') return;
  $('#stop').disabled = true;
  await attempt(async () => {
    if (cur.kind === 'ringing') {
      await del('/api/sessions/pending');
      localPending(null);
      notice.info('Stopped calling your phone.');
    } else {
      await del(`/api/sessions/${encodeURIComponent(cur.session.id)}`);
      localSessionEnded(cur.session.id);
      notice.info('Supervision stopped.');
    }
  });
  renderMySession();
}

// ---- needs help ----------------------------------------------------------------

function renderHelp() {
  const requests = [...state.assistance.values()]
    .filter((a) => a.agent !== state.me?.extension)
    .sort((a, b) => String(a.requested_at).localeCompare(String(b.requested_at)));
  $('#needs-help').hidden = requests.length === 0;
  fill($('#help-list'), requests.map((a) =>
    h('li', { dataset: { call: a.call } },
      h('button', { type: 'button', class: 'link', onclick: () => reveal(a.call) }, person(a.agent_name, a.agent)),
      h('span', { class: 'muted' }, ` on ${a.call} · asked at ${clock(a.requested_at)} · waiting `),
      tickingDuration(a.requested_at, 'span', 'ticking wait'))));
}

function reveal(callId) {
  const row = rows.get(callId);
  if (!row) return;
  row.tr.scrollIntoView({ block: 'center', behavior: 'smooth' });
  row.tr.classList.add('flash');
  setTimeout(() => row.tr.classList.remove('flash'), 1500);
}
