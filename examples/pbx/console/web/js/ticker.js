// One timer for every live duration on the page: elements carry data-since (an ISO
// time) and get their text refreshed each second, so views need not re-render to tick.
import { since } from './format.js';

export function tickingDuration(iso, tag = 'span', className = 'ticking') {
  const el = document.createElement(tag);
  el.className = className;
  el.dataset.since = iso;
  el.textContent = since(iso);
  return el;
}

function tick() {
  const now = Date.now();
  for (const el of document.querySelectorAll('[data-since]')) {
    el.textContent = since(el.dataset.since, now);
  }
}

let timer = null;
export function startTicker() {
  if (timer === null) timer = setInterval(tick, 1000);
}
