// Durations and times as a contact centre reads them: 04:07, 1:02:33, 18:01:22.

const pad = (n) => String(n).padStart(2, '0');

/** Milliseconds → "m:ss"-style clock ("04:07", "1:02:33"); negative (clock skew) → 00:00. */
export function duration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/** Time elapsed since an ISO timestamp, as a clock. */
export function since(iso, now = Date.now()) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : duration(now - t);
}

/** ISO timestamp → local wall-clock time "18:01:22" (empty when unparsable). */
export function clock(iso) {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '';
  return `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
}

/** ISO timestamp → "2026-12-07 18:01:22.724" for the audit trail, where the date matters. */
export function stamp(iso) {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return String(iso ?? '');
  const ms = String(t.getMilliseconds()).padStart(3, '0');
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${clock(iso)}.${ms}`;
}

/** "Alice (744)", or just "744" when the name is unknown. */
export function person(name, extension) {
  if (name && extension && name !== extension) return `${name} (${extension})`;
  return name || extension || '';
}
