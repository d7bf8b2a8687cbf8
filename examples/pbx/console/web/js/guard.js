// Runs a user action against the API: a 401 means the login is gone (main.js shows
// the login form), any other error goes to the notice area with reason and rule.
import { describe } from './api.js';
import * as notice from './notice.js';

let sessionLost = () => {};

export function onSessionLost(fn) {
  sessionLost = fn;
}

/** Returns fn's result, or undefined after reporting the error. */
export async function attempt(fn) {
  try {
    return await fn();
  } catch (err) {
    if (err?.status === 401) sessionLost();
    else notice.error(describe(err));
    return undefined;
  }
}
