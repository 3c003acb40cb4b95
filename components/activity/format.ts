// How the Activity table writes times and durations: to the second (the full time, to the millisecond, on hover),
// with the date only for calls before today.

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const dayOfYear = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const dayWithYear = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });
const full = new Intl.DateTimeFormat(undefined, {
  weekday: "short", year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit",
  fractionalSecondDigits: 3, timeZoneName: "short",
});

/** The time of day, the day when it is not today, and the full time for a tooltip. */
export function formatCallTime(iso: string, now = new Date()): { time: string; day: string | null; full: string } {
  const date = new Date(iso);
  const today = date.toDateString() === now.toDateString();
  const day = today ? null : (date.getFullYear() === now.getFullYear() ? dayOfYear : dayWithYear).format(date);
  return { time: timeOfDay.format(date), day, full: full.format(date) };
}

export function formatFullTime(iso: string): string {
  return full.format(new Date(iso));
}

/** 0.4 ms, 12 ms, 1.3 s. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

export const shortId = (id: string) => id.slice(0, 8);
