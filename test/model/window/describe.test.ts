import { MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY } from './helpers';
import { Weekday } from '../../../lib/model/declaration';
import { describeWindow, formatLocal } from '../../../lib/model/window/describe';
import { resolveWindow } from '../../../lib/model/window/resolve';

describe('describeWindow and formatLocal', () => {
  test.each([
    { spec: { blackouts: ['2026-12-24..2027-01-02'] }, region: 'eu-west-1', text: 'Mon-Thu 09:00-17:00 Europe/Dublin, closed on IE public holidays, 1 blackout' },
    { spec: { weekdays: [MONDAY, WEDNESDAY, FRIDAY], startHour: 0, endHour: 24, timeZone: 'UTC', publicHolidays: false }, region: 'us-east-1', text: 'Mon, Wed, Fri 00:00-24:00 UTC' },
    { spec: { weekdays: [SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY], blackouts: ['2026-07-03', '2026-12-24..2026-12-31'] }, region: 'us-east-1', text: 'Mon-Fri, Sun 09:00-17:00 America/New_York, closed on US-VA public holidays, 2 blackouts' },
    { spec: { weekdays: [SATURDAY, SUNDAY], startHour: 6, endHour: 8 }, region: 'ap-southeast-2', text: 'Sat, Sun 06:00-08:00 Australia/Sydney, closed on AU-NSW public holidays' },
    { spec: { weekdays: [] as Weekday[], publicHolidays: false }, region: 'eu-west-1', text: 'no weekday 09:00-17:00 Europe/Dublin' },
  ])('$text', ({ spec, region, text }) => {
    expect(describeWindow(resolveWindow(spec, region))).toBe(text);
  });

  test.each([
    { region: 'us-east-1', at: '2026-03-09T13:00:00Z', text: 'Mon 2026-03-09 09:00 America/New_York' },
    { region: 'ap-southeast-2', at: '2026-12-31T13:30:00Z', text: 'Fri 2027-01-01 00:30 Australia/Sydney' },
  ])('formatLocal $text', ({ region, at, text }) => {
    expect(formatLocal(resolveWindow(undefined, region), new Date(at))).toBe(text);
  });
});
