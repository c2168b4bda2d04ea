/**
 * Values quoted in configuration errors. Bounded: a 10,000-character string or a deeply nested
 * object is shown by its start and its size, so a message stays readable and cheap to build.
 */

const MAX_TEXT = 60;

/** The value as the user wrote it, e.g. `"us-east-9"`, `15`, `Infinity`, `null`, `["MON"]`. */
export function valueText(value: unknown): string {
  return render(value, 2);
}

function render(value: unknown, depth: number): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return value.length <= MAX_TEXT ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, MAX_TEXT))}... (${value.length} characters)`;
    case 'number':
      // JSON.stringify writes Infinity and NaN as null, which hides the mistake.
      return Object.is(value, -0) ? '0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return String(value);
    case 'function':
      return 'a function';
    case 'symbol':
      return String(value);
    default:
      break;
  }
  if (Array.isArray(value)) {
    if (depth === 0) return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
    const items = value.slice(0, 3).map((v) => render(v, depth - 1));
    if (value.length > 3) items.push(`...${value.length - 3} more`);
    return `[${items.join(', ')}]`;
  }
  const keys = Object.keys(value as object);
  if (depth === 0) return keys.length === 0 ? '{}' : '{...}';
  const entries = keys.slice(0, 3).map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k.slice(0, MAX_TEXT))}: ${render((value as Record<string, unknown>)[k], depth - 1)}`);
  if (keys.length > 3) entries.push(`...${keys.length - 3} more`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

/** What kind of value it is, in words: `a string`, `a number`, `null`, `a list`, `an object`. */
export function valueKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isFinite(value) ? (Number.isInteger(value) ? 'a whole number' : 'a number') : 'not a finite number';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'undefined') return 'undefined';
  return `a ${typeof value}`;
}
