// The page's single copy of the PBX state, built from `hello` and kept current by the
// incremental events. Views never fetch; they re-render from here on every change.

const AUDIT_CAP = 200;

export const state = {
  me: null,
  calls: new Map(),      // call id → CallView
  sessions: [],          // SessionView[] (my supervision)
  pending: null,         // PendingView while my phone rings
  assistance: new Map(), // call id → AssistanceView (open help requests)
  audit: [],             // audit records, newest first
};

const listeners = new Set();

export function subscribe(fn) {
  listeners.add(fn);
}

export function changed() {
  for (const fn of listeners) fn(state);
}

export function reset() {
  state.me = null;
  state.calls.clear();
  state.sessions = [];
  state.pending = null;
  state.assistance.clear();
  state.audit = [];
  changed();
}

export function setMe(me) {
  state.me = me;
  changed();
}

function putCall(call) {
  state.calls.set(call.id, call);
  // The CallView is the newest word on its own help request.
  if (call.assistance) state.assistance.set(call.id, call.assistance);
  else state.assistance.delete(call.id);
}

function putSession(session) {
  const i = state.sessions.findIndex((s) => s.id === session.id);
  if (i >= 0) state.sessions[i] = session;
  else state.sessions.push(session);
  // A session on the ringing call means my phone was answered.
  if (state.pending && state.pending.call === session.call) state.pending = null;
}

function dropSession(id) {
  state.sessions = state.sessions.filter((s) => s.id !== id);
}

const auditKey = (r) => `${r.seq}|${r.time}|${r.kind}`;

function addAudit(records) {
  const seen = new Set(state.audit.map(auditKey));
  const fresh = records.filter((r) => r && !seen.has(auditKey(r)));
  if (!fresh.length) return;
  // Within one PBX run seq grows by one per record, so it orders them exactly.
  state.audit = [...fresh, ...state.audit]
    .sort((a, b) => (b.seq ?? 0) - (a.seq ?? 0))
    .slice(0, AUDIT_CAP);
}

/** `hello` replaces everything (the first message, and again after each reconnect). */
export function applyHello(msg) {
  if (msg.me) state.me = { ...state.me, ...msg.me };
  state.calls.clear();
  state.assistance.clear();
  for (const call of msg.calls ?? []) putCall(call);
  state.sessions = [...(msg.sessions ?? [])];
  state.pending = msg.pending ?? null;
  // seq restarts with each PBX run: records from before a reconnect may collide.
  state.audit = [];
  changed();
}

/** Incremental events; unknown types are ignored so a newer PBX does not break us. */
export function applyEvent(msg) {
  switch (msg.type) {
    case 'call':
      if (msg.call?.id) putCall(msg.call);
      break;
    case 'call_ended':
      state.calls.delete(msg.id);
      state.assistance.delete(msg.id);
      break;
    case 'session':
      if (msg.session) putSession(msg.session);
      else if (msg.event?.session != null) dropSession(msg.event.session);
      break;
    case 'pending':
      state.pending = msg.pending ?? null;
      break;
    case 'assistance':
      setAssistance(msg.assistance, msg.active, false);
      break;
    case 'audit':
      if (msg.record) addAudit([msg.record]);
      break;
    default:
      return;
  }
  changed();
}

/** Help request opened (active) or closed; also used with the API's own answers. */
export function setAssistance(assistance, active, notify = true) {
  if (!assistance?.call) return;
  if (active) state.assistance.set(assistance.call, assistance);
  else state.assistance.delete(assistance.call);
  const call = state.calls.get(assistance.call);
  if (call) call.assistance = active ? assistance : null;
  if (notify) changed();
}

/** Applies the answer of my own POST/DELETE at once, before its event arrives. */
export function localSession(session) {
  putSession(session);
  changed();
}
export function localSessionEnded(id) {
  dropSession(id);
  changed();
}
export function localPending(pending) {
  state.pending = pending ?? null;
  changed();
}
export function loadAudit(records) {
  addAudit(records);
  changed();
}

/** The calls of the logged-in extension as an agent. */
export function myCalls() {
  const ext = state.me?.extension;
  return [...state.calls.values()].filter((c) => c.mine && c.agent === ext);
}
