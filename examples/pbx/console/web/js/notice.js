// The one notice line under the header (#notice, role="alert"): errors stay until
// dismissed or replaced, information fades after a few seconds.
import { $, h, fill } from './dom.js';

const INFO_MS = 6000;
let timer = null;

function put(kind, text) {
  const el = $('#notice');
  clearTimeout(timer);
  el.dataset.kind = kind;
  fill(el,
    h('span', { class: 'notice-text' }, text),
    // The × is drawn by CSS so the notice's text is only the message.
    h('button', { type: 'button', class: 'notice-close', 'aria-label': 'Dismiss', title: 'Dismiss', onclick: clear }));
  el.hidden = false;
  if (kind !== 'error') timer = setTimeout(clear, INFO_MS);
}

export const error = (text) => put('error', text);
export const info = (text) => put('info', text);
export const success = (text) => put('success', text);

export function clear() {
  clearTimeout(timer);
  const el = $('#notice');
  el.hidden = true;
  el.replaceChildren();
  delete el.dataset.kind;
}
