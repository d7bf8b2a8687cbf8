// The live event stream (/api/events): one WebSocket, reopened with back-off
// (0.5 s doubling to 5 s) whenever it closes, e.g. across a PBX restart.

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5000;

export class EventStream {
  /**
   * onMessage(msg)   every parsed JSON event
   * onStatus(open)   true when the socket is open, false while (re)connecting
   * onRefused()      the upgrade failed (socket never opened): resolves to false to
   *                  give up (the session is gone), true to keep retrying
   */
  constructor({ onMessage, onStatus, onRefused }) {
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.onRefused = onRefused;
    this.socket = null;
    this.timer = null;
    this.delay = FIRST_DELAY_MS;
    this.running = false;
  }

  static url() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${location.host}/api/events`;
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.delay = FIRST_DELAY_MS;
    this.connect();
  }

  stop() {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = null;
    if (this.socket) {
      const s = this.socket;
      this.socket = null;
      s.onclose = s.onmessage = s.onopen = s.onerror = null;
      s.close();
    }
    this.onStatus(false);
  }

  connect() {
    this.onStatus(false);
    let opened = false;
    const socket = new WebSocket(EventStream.url());
    this.socket = socket;
    socket.onopen = () => {
      opened = true;
      this.onStatus(true);
    };
    socket.onmessage = (e) => {
      // A message proves the stream works: only then reset the back-off, so a
      // server that accepts and drops at once is not hammered every 0.5 s.
      this.delay = FIRST_DELAY_MS;
      let msg;
      try { msg = JSON.parse(e.data); } catch { return; }
      if (msg && typeof msg.type === 'string') this.onMessage(msg);
    };
    socket.onclose = async () => {
      if (this.socket !== socket || !this.running) return;
      this.socket = null;
      this.onStatus(false);
      // A refused upgrade may mean the login expired or was ended elsewhere: a
      // WebSocket cannot see the 401, so the owner asks the API before retrying.
      if (!opened && !(await this.onRefused())) {
        this.running = false;
        return;
      }
      if (!this.running) return;
      this.timer = setTimeout(() => { if (this.running) this.connect(); }, this.delay);
      this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
    };
  }
}
