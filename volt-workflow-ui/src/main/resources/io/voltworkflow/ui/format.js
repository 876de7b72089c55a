// Formatting of the status JSON's values (ISO-8601 UTC times, millisecond durations, snake_case enums).

export const TERMINAL_STATES = new Set(['completed', 'failed', 'cancelled']);

export function parseTime(iso) {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatTime(iso, withMillis = false) {
  const ms = parseTime(iso);
  if (ms === null) return '—';
  const text = timeFormat.format(ms);
  return withMillis ? `${text}.${String(new Date(ms).getMilliseconds()).padStart(3, '0')}` : text;
}

export function formatDateTime(iso) {
  const ms = parseTime(iso);
  return ms === null ? '—' : dateTimeFormat.format(ms);
}

/** "repair round N of M" for a task's step in a repair round, else null. */
export function repairRoundText(step) {
  const round = step?.repairRound ?? 0;
  return round > 0 ? `repair round ${round} of ${step.maxRepairRounds ?? '?'}` : null;
}

/** The wall-clock span of something that started and maybe finished; running spans end now. */
export function spanMs(startedAt, finishedAt, now = Date.now()) {
  const start = parseTime(startedAt);
  if (start === null) return null;
  return Math.max(0, (parseTime(finishedAt) ?? now) - start);
}

/** 'retry_wait' → 'retry wait'. */
export function label(enumValue) {
  return String(enumValue ?? '').replaceAll('_', ' ');
}

export function formatPercent(fraction) {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(fraction >= 0.995 || fraction === 0 ? 0 : 1)} %` : '—';
}

export function formatNumber(value) {
  return Number.isFinite(value) ? value.toLocaleString() : '—';
}

/** A CSS class token for a state: only [a-z0-9_] survive, so a custom value cannot inject class names. */
export function stateClass(prefix, state) {
  return `${prefix}${String(state ?? 'unknown').toLowerCase().replace(/[^a-z0-9_]/g, '')}`;
}
