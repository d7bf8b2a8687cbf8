// Agent view: my own call, the supervisors I am told about, and asking for help.
import { $, h, fill } from '../dom.js';
import { post, del } from '../api.js';
import { clock } from '../format.js';
import { tickingDuration } from '../ticker.js';
import { agentSentence } from '../modes.js';
import { state, myCalls, setAssistance } from '../state.js';
import { attempt } from '../guard.js';
import * as notice from '../notice.js';

let shownSince;   // the ticking span is rebuilt only when the call's start changes
let busy = false;

export function initAgent() {
  $('#request-assistance').addEventListener('click', requestHelp);
  $('#withdraw-assistance').addEventListener('click', withdrawHelp);
}

/** My call: an answered one before a ringing one. */
function myCall() {
  const calls = myCalls();
  return calls.find((c) => c.answered) ?? calls[0] ?? null;
}

function myRequest(call) {
  return call ? (state.assistance.get(call.id) ?? call.assistance ?? null) : null;
}

export function renderAgent() {
  if ($('#agent-view').hidden) return;
  const call = myCall();
  const callEl = $('#agent-call');
  callEl.classList.toggle('in-call', Boolean(call));

  if (!call) {
    shownSince = undefined;
    callEl.textContent = 'No call';
  } else {
    const since = call.answered && call.answered_at ? call.answered_at : null;
    if (since !== shownSince || !callEl.querySelector('.party')) {
      shownSince = since;
      fill(callEl,
        h('span', { class: 'label' }, 'In a call with'),
        h('span', { class: 'party' }, call.customer || 'unknown caller'),
        h('span', { class: 'call-meta' },
          since ? tickingDuration(since, 'span', 'ticking duration') : h('span', { class: 'duration ringing' }, 'ringing'),
          call.queue ? h('span', { class: 'queue' }, call.queue) : null));
    } else {
      $('.party', callEl).textContent = call.customer || 'unknown caller';
    }
  }

  // The PBX lists only the supervisors I may be told about (doc: CallView.supervisors).
  const sups = call?.supervisors ?? [];
  fill($('#agent-supervisor'), sups.map((s) =>
    h('div', { class: `sentence sentence-${s.mode}` }, agentSentence(s.name || s.supervisor, s.mode))));

  const request = myRequest(call);
  const ask = $('#request-assistance');
  const withdraw = $('#withdraw-assistance');
  ask.disabled = busy || !call || Boolean(request);
  withdraw.hidden = !request;
  withdraw.disabled = busy || !request;
  $('#assistance-status').textContent = request
    ? `Help requested at ${clock(request.requested_at)}; a supervisor has been told.`
    : (call ? '' : 'You can ask for help while you are in a call.');
}

async function requestHelp() {
  if (busy) return;
  busy = true;
  renderAgent();
  const r = await attempt(() => post('/api/assistance', {}));
  busy = false;
  if (r?.assistance) {
    setAssistance(r.assistance, true);
    notice.success('Assistance requested.');
  }
  renderAgent();
}

async function withdrawHelp() {
  const request = myRequest(myCall());
  if (busy) return;
  busy = true;
  renderAgent();
  const r = await attempt(() => del('/api/assistance'));
  busy = false;
  if (r && request) {
    setAssistance(request, false);
    notice.info('Assistance request withdrawn.');
  }
  renderAgent();
}
