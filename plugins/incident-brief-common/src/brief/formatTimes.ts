const pad = (n: number) => String(n).padStart(2, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `HH:MMZ` of an ISO time. */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}Z`;
}

/** `YYYY-MM-DDTHH:MMZ` of an ISO time (the header's full date). */
export function formatMinute(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16)}Z`;
}

/** `Mon 09:00Z` of an ISO time. */
export function formatWeekdayClock(iso: string): string {
  return `${DAYS[new Date(iso).getUTCDay()]} ${formatClock(iso)}`;
}

/**
 * Time relative to T: minutes below 2 h (`−95 m`), hours and minutes below 48 h (`−9 h 40 m`),
 * then days (`−3 d`). Uses the true minus sign, as the design note does.
 */
export function formatRelative(iso: string, t: string): string {
  const minutes = Math.round((Date.parse(iso) - Date.parse(t)) / 60_000);
  const sign = minutes < 0 ? '−' : '+';
  const m = Math.abs(minutes);
  if (m < 120) return `${sign}${m} m`;
  if (m < 48 * 60) {
    const h = Math.floor(m / 60);
    const rest = m % 60;
    return `${sign}${h} h${rest ? ` ${rest} m` : ''}`;
  }
  return `${sign}${Math.floor(m / (24 * 60))} d`;
}
