// The top bar: who is logged in, whether the live stream is up, and Log out.
import { $ } from '../dom.js';

export function showHeader(me) {
  $('#session-info').hidden = !me;
  if (!me) return;
  const name = me.display_name ? ` ${me.display_name}` : '';
  const tenant = me.tenant ? ` · ${me.tenant}` : '';
  $('#me').textContent = `${me.extension}${name}${tenant}`;
  $('#me').title = (me.roles ?? []).join(', ');
}

/** #connection reads exactly "live" while the socket is open, "reconnecting…" otherwise. */
export function showConnection(open) {
  const el = $('#connection');
  el.textContent = open ? 'live' : 'reconnecting…';
  el.dataset.status = open ? 'live' : 'down';
}
