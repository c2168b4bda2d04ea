// The mistakes a newcomer makes first, made in the example app itself: each error message alone
// must say which field is wrong, what the bad value is and how to fix it.
import { ReleaseDeclaration } from '../../lib';
import { ORDERS_RELEASE, buildExampleApp } from '../app';

function withProduction(change: Partial<ReleaseDeclaration['production']>): ReleaseDeclaration {
  return { ...ORDERS_RELEASE, production: { ...ORDERS_RELEASE.production, ...change } };
}

function errorOf(release: ReleaseDeclaration): string {
  try {
    buildExampleApp(undefined, release);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the example app to refuse this release');
}

const waves = ORDERS_RELEASE.production.waves;

test.each<[string, ReleaseDeclaration, string]>([
  ['region typo', withProduction({ waves: [{ regions: ['eu-west-l'] }, ...waves.slice(1)] }),
    'production.waves[0].regions[0]: "eu-west-l" is not an AWS region; did you mean "eu-west-1"?'],
  ['account id with a dash', withProduction({ account: '3333-33333333' }),
    'production.account: "3333-33333333" is not a 12-digit AWS account id; write it as "333333333333" (digits only)'],
  ['a wave listing a region twice', withProduction({ waves: [...waves.slice(0, 3), { regions: ['ap-northeast-1', 'ap-southeast-2', 'ap-northeast-1'] }] }),
    'production.waves[3].regions[2]: "ap-northeast-1" is already deployed by production.waves[3].regions[0]; a production region belongs to exactly one wave: remove one of them'],
  ['a window in an unknown zone', withProduction({ window: { timeZone: 'America/New York' } }),
    'production.window.timeZone: "America/New York" is not an IANA time zone; did you mean "America/New_York"?'],
])('%s', (_name, release, expected) => {
  const message = errorOf(release);
  expect(message).toBe(`Invalid release declaration (1 problem):\n  - ${expected}`);
});

test('several mistakes are reported together', () => {
  const message = errorOf(withProduction({ account: '3333-33333333', waves: [{ regions: ['eu-west-l'] }, ...waves.slice(1)] }));
  expect(message.split('\n')).toEqual([
    'Invalid release declaration (2 problems):',
    '  - production.account: "3333-33333333" is not a 12-digit AWS account id; write it as "333333333333" (digits only)',
    '  - production.waves[0].regions[0]: "eu-west-l" is not an AWS region; did you mean "eu-west-1"?',
  ]);
});
