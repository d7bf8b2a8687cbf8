// Admin view: the tenant's audit trail, newest first, as `audit` events arrive.
import { $, h, fill } from '../dom.js';
import { stamp } from '../format.js';
import { modeBadge } from '../modes.js';
import { state } from '../state.js';

// Rows are cached by record so an incoming event adds one row instead of 200.
const rows = new Map();
const key = (r) => `${r.seq}|${r.time}|${r.kind}`;

export function renderAdmin() {
  if ($('#admin-view').hidden) return;
  const tbody = $('#audit tbody');
  const wanted = new Set(state.audit.map(key));
  for (const [k, tr] of rows) if (!wanted.has(k)) { tr.remove(); rows.delete(k); }
  state.audit.forEach((record, index) => {
    const k = key(record);
    let tr = rows.get(k);
    if (!tr) { tr = buildRow(record); rows.set(k, tr); }
    if (tbody.children[index] !== tr) tbody.insertBefore(tr, tbody.children[index] ?? null);
  });
  $('#audit-empty').hidden = state.audit.length > 0;
}

function buildRow(r) {
  const denied = r.decision === 'denied';
  const tr = h('tr', { dataset: { seq: r.seq }, class: denied ? 'denied' : null });
  tr.append(
    h('td', { class: 'time', title: r.time }, stamp(r.time)),
    h('td', { class: 'kind' }, h('span', { class: `kind-tag kind-${safe(r.kind)}` }, r.kind ?? '')),
    h('td', { class: 'supervisor' }, r.supervisor ?? ''),
    h('td', { class: 'target' }, r.target ?? ''),
    h('td', { class: 'call' }, r.call ?? ''),
    h('td', { class: 'mode' }, modeCell(r)),
    h('td', { class: 'decision', title: r.rule ? `rule: ${r.rule}` : null }, decision(r)),
    h('td', { class: 'channel', title: r.source ? `source: ${r.source}` : null }, r.channel ?? r.source ?? ''),
  );
  if (r.detail) tr.title = `detail: ${r.detail}`;
  return tr;
}

function modeCell(r) {
  if (!r.mode) return '';
  if (r.from_mode) return [modeBadge(r.from_mode), h('span', { class: 'arrow' }, ' → '), modeBadge(r.mode)];
  return modeBadge(r.mode);
}

function decision(r) {
  const parts = [h('span', { class: `decision-tag decision-${safe(r.decision)}` }, r.decision ?? '')];
  if (r.reason && r.reason !== 'allowed' && r.reason !== r.decision) parts.push(h('span', { class: 'reason' }, ` ${r.reason}`));
  if (r.end_reason && r.end_reason !== 'none') parts.push(h('span', { class: 'reason' }, ` (${r.end_reason})`));
  return parts;
}

// Server strings become class names only after this filter.
const safe = (s) => String(s ?? '').replace(/[^a-z0-9_-]/gi, '');

export function resetAdmin() {
  for (const tr of rows.values()) tr.remove();
  rows.clear();
}

