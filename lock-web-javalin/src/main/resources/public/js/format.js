// Dates and durations as the page shows them: one 24-hour clock with seconds, everywhere.

const TIME = { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
const DATE = { year: 'numeric', month: 'short', day: 'numeric' };

export function clock(iso) {
  return new Date(iso).toLocaleTimeString([], TIME);
}

export function dateTime(iso) {
  return `${new Date(iso).toLocaleDateString([], DATE)}, ${clock(iso)}`;
}

export function date(iso) {
  return new Date(iso).toLocaleDateString([], DATE);
}

export function shortTime(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

export function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value) {
  if (!value) return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

export function countdown(ms) {
  const total = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(total / 60);
  const s = String(total % 60).padStart(2, '0');
  return `${m}:${s}`;
}

export function duration(seconds) {
  if (seconds == null) return '—';
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
