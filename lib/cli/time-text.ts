/** How the command writes instants and durations: UTC first, then the region's local time. */
import { DateTime } from 'luxon';
import { PlannedRegion } from '../model/plan';
import { regionInfo } from '../model/regions';

/** e.g. `Tue 2025-03-04 08:00 UTC`. */
export function utcText(instant: Date): string {
  return `${localClock(instant, 'UTC')} UTC`;
}

/** e.g. `Tue 2025-03-04 03:00 America/New_York`. */
export function localText(instant: Date, timeZone: string): string {
  return `${localClock(instant, timeZone)} ${timeZone}`;
}

/** e.g. `Tue 2025-03-04 08:00 UTC (Tue 2025-03-04 03:00 America/New_York)`. */
export function bothText(instant: Date, timeZone: string): string {
  return timeZone === 'UTC' ? utcText(instant) : `${utcText(instant)} (${localText(instant, timeZone)})`;
}

/** e.g. `2 d 3 h 5 min`, `45 min`. */
export function durationText(minutes: number): string {
  const total = Math.round(minutes);
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} d`);
  if (hours > 0) parts.push(`${hours} h`);
  if (mins > 0 || parts.length === 0) parts.push(`${mins} min`);
  return parts.join(' ');
}

/** The time zone a region's people live in: its window's, else the region's city's, else UTC. */
export function regionTimeZone(region: PlannedRegion): string {
  return region.window?.timeZone ?? regionInfo(region.region)?.timeZone ?? 'UTC';
}

function localClock(instant: Date, timeZone: string): string {
  return DateTime.fromMillis(instant.getTime(), { zone: timeZone, locale: 'en-US' }).toFormat('ccc yyyy-MM-dd HH:mm');
}
