// How the Approvals page writes how long something has waited or has left: to the second under a minute, then in
// minutes, then in hours, so a ticking counter stays short.

/** 0 s, 12 s, 2 min 5 s, 14 min, 1 h 3 min. Negative spans count as 0. */
export function formatSpan(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}
