"use client";

import { useEffect, useState } from "react";

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

function describe(date: Date, now: number): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  if (Math.abs(seconds) < 45) return seconds < 0 || seconds === 0 ? "just now" : "in a few seconds";
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "minute") return relative.format(Math.round(seconds / size), unit);
  }
  return absolute.format(date);
}

/** "5 minutes ago" / "in 2 hours", with the exact time on hover, kept current while the page stays open. */
export function RelativeTime(props: { value: string; className?: string }) {
  // A new value starts a new clock: a sync that just finished must not read as "in a few seconds".
  return <TickingTime key={props.value} {...props} />;
}

function TickingTime({ value, className }: { value: string; className?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const date = new Date(value);
  return (
    <time dateTime={value} title={absolute.format(date)} className={className}>
      {describe(date, now)}
    </time>
  );
}
