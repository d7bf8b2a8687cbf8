// The SDK's mode names and how the page presents them. The page says "Join" for
// barge, but badges keep the SDK name so they match the audit trail.
import { h } from './dom.js';

export const MODES = ['listen', 'whisper', 'barge'];

export const BUTTON_LABEL = { listen: 'Listen', whisper: 'Whisper', barge: 'Join' };

const KNOWN = new Set(MODES);

/** A coloured mode badge; `extra` adds classes (e.g. "mode" for #my-session .mode). */
export function modeBadge(mode, extra = '') {
  const known = KNOWN.has(mode) ? mode : 'unknown';
  return h('span', {
    class: `badge badge-${known} ${extra}`.trim(),
    title: BUTTON_LABEL[mode] ?? String(mode),
  }, String(mode ?? ''));
}

/** What an agent reads about a supervisor on their call. */
export function agentSentence(name, mode) {
  switch (mode) {
    case 'listen': return `${name} is listening`;
    case 'whisper': return `${name} is whispering to you`;
    case 'barge': return `${name} has joined the call`;
    default: return `${name} is supervising (${mode})`;
  }
}
