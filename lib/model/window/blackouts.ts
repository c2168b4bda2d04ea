/**
 * Blackout entries of a deployment window: `YYYY-MM-DD` or an inclusive `YYYY-MM-DD..YYYY-MM-DD` range.
 */

const MONTH_NAMES: readonly string[] = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
];
const BLACKOUT_FORMAT = 'use YYYY-MM-DD for one day or YYYY-MM-DD..YYYY-MM-DD for an inclusive range';

/** One blackout, as local dates. */
export interface Blackout {
  readonly from: string;
  readonly to: string;
  /** As declared. */
  readonly text: string;
}

/** The problem with one blackout entry, or `undefined` when it is well formed. */
export function blackoutProblem(value: string): string | undefined {
  if (typeof value !== 'string') return `${JSON.stringify(value)} is not a blackout; ${BLACKOUT_FORMAT}`;
  const parts = value.split('..');
  if (parts.length > 2) return `"${value}" is not a date or date range; ${BLACKOUT_FORMAT}`;
  for (const part of parts) {
    const detail = dateProblem(part);
    if (detail !== undefined) return `"${value}" is not a valid blackout: ${detail}; ${BLACKOUT_FORMAT}`;
  }
  if (parts.length === 2 && parts[1] < parts[0]) {
    return `"${value}" ends before it starts; write the earlier date first: "${parts[1]}..${parts[0]}"`;
  }
  return undefined;
}

function dateProblem(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return `"${text}" is not in the form YYYY-MM-DD`;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12) return `${text} has month ${match[2]}, months are 01-12`;
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return `${text} does not exist, ${MONTH_NAMES[month - 1]} ${year} has ${days} days`;
  return undefined;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A blackout entry as dates; throws with the entry's problem when it is malformed. */
export function parseBlackout(text: string): Blackout {
  const problem = blackoutProblem(text);
  if (problem !== undefined) throw new Error(`window blackout ${problem}`);
  const [from, to] = text.split('..');
  return { from, to: to ?? from, text };
}
