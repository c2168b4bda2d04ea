import { NoDataPolicy, ReleaseDeclaration } from '../../lib';
import { buildReleasePlan } from '../../lib/model/release-plan';
import { ReleaseValidationError, validateDeclaration } from '../../lib/model/validation';

const PROD = '333333333333';
const base = (waves: ReleaseDeclaration['production']['waves'], extra: Partial<ReleaseDeclaration['production']> = {}): ReleaseDeclaration =>
  ({ production: { account: PROD, waves, ...extra } });

function messages(decl: ReleaseDeclaration): string[] {
  return validateDeclaration(decl).map((p) => `${p.path}: ${p.message}`);
}

describe('validation: every problem, with field path, bad value and fix', () => {
  test.each<[string, ReleaseDeclaration, string[]]>([
    ['unknown region with a suggestion', base([{ regions: ['us-east-9'] }]),
      ['production.waves[0].regions[0]: "us-east-9" is not an AWS region; did you mean "us-east-1"?']],
    ['unknown region without a close match', base([{ regions: ['localhost'] }]),
      ['production.waves[0].regions[0]: "localhost" is not an AWS region; use a region name such as "us-east-1" (see `aws ec2 describe-regions --all-regions`)']],
    ['a region deployed twice across waves', base([{ regions: ['eu-west-1'] }, { regions: ['us-east-1', 'eu-west-1'] }]),
      ['production.waves[1].regions[1]: "eu-west-1" is already deployed by production.waves[0].regions[0]; a production region belongs to exactly one wave: remove one of them']],
    ['a wave listing a region twice', base([{ regions: ['us-east-1', 'us-east-1'] }]),
      ['production.waves[0].regions[1]: "us-east-1" is already deployed by production.waves[0].regions[0]; a production region belongs to exactly one wave: remove one of them']],
    ['account id with dashes', { production: { account: '3333-3333-3333', waves: [{ regions: ['us-east-1'] }] } },
      ['production.account: "3333-3333-3333" is not a 12-digit AWS account id; write it as "333333333333" (digits only)']],
    ['account id too short', { production: { account: '12345', waves: [{ regions: ['us-east-1'] }] } },
      ['production.account: "12345" is not a 12-digit AWS account id; use the 12 digits of the AWS account id, e.g. "123456789012"']],
    ['no account anywhere', { production: { waves: [{ regions: ['us-east-1'] }] } },
      ['production.waves[0].account: is missing and production.account is not set; set production.account (or an account on every wave)']],
    ['empty wave', base([{ regions: [] }]),
      ['production.waves[0].regions: is empty; a wave deploys at least one region (remove the wave or list its regions)']],
    ['no waves', base([]),
      ['production.waves: is empty; declare at least one wave, e.g. waves: [{ regions: ["us-east-1"] }]']],
    ['negative bake', base([{ regions: ['us-east-1'], bake: { minutes: -5 } }]),
      ['production.waves[0].bake.minutes: -5 is less than the minimum 0; use a whole number of 0 or more (Minutes the health signal must stay OK after the deployment)']],
    ['absurd bake (seconds given as minutes)', base([{ regions: ['us-east-1'], bake: { minutes: 3600 * 24 } }]),
      ['production.waves[0].bake.minutes: 86400 is longer than 10020 minutes (bake minutes are minutes, not seconds); the bake is a CodePipeline approval, which times out after 10080 minutes (7 days), and it needs 60 minutes of margin: use at most 10020']],
    ['bad noData policy', base([{ regions: ['us-east-1'], bake: { noData: 'IGNORE' as NoDataPolicy } }]),
      ['production.waves[0].bake.noData: "IGNORE" is not one of "FAIL", "PASS_WITH_WARNING"; use one of them']],
    ['pre-production out of order', {
      preProduction: [
        { name: 'gamma', account: '222222222222', regions: ['us-east-1'] },
        { name: 'beta', account: '222222222222', regions: ['us-east-1'] },
      ],
      production: { account: PROD, waves: [{ regions: ['us-east-1'] }] },
    },
    ['preProduction[1].name: "beta" comes after "gamma"; pre-production stages run in the order alpha, beta, gamma, zeta: move "beta" before "gamma"']],
    ['pre-production duplicated', {
      preProduction: [
        { name: 'beta', account: '222222222222', regions: ['us-east-1'] },
        { name: 'Beta', account: '222222222222', regions: ['us-west-2'] },
      ],
      production: { account: PROD, waves: [{ regions: ['us-east-1'] }] },
    },
    ['preProduction[1].name: "Beta" is already used by preProduction[0]; every stage and wave needs its own name: rename one of them']],
    ['a window in an unknown zone', base([{ regions: ['eu-west-1'] }], { window: { timeZone: 'Europe/Dublinn' } }),
      ['production.window.timeZone: "Europe/Dublinn" is not an IANA time zone; did you mean "Europe/Dublin"?']],
  ])('%s', (_name, decl, expected) => {
    expect(messages(decl)).toEqual(expected);
  });

  test('custom pre-production names may sit between the standard ones', () => {
    expect(messages({
      preProduction: [
        { name: 'alpha', account: '222222222222', regions: ['us-west-2'] },
        { name: 'integ', account: '222222222222', regions: ['us-west-2'] },
        { name: 'gamma', account: '222222222222', regions: ['us-west-2'] },
      ],
      production: { account: PROD, waves: [{ regions: ['us-east-1'] }] },
    })).toEqual([]);
  });

  test('all problems are reported at once', () => {
    const problems = validateDeclaration({ production: { account: 'x', waves: [{ regions: ['us-east-9'] }, { regions: [] }] } });
    expect(problems.map((p) => p.path)).toEqual(['production.account', 'production.waves[0].regions[0]', 'production.waves[1].regions']);
  });

  test('CodePipeline quota: too many regions in one wave, with how to regroup them', () => {
    const regions = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-northeast-1'];
    expect(messages(base([{ regions }], { window: { timeZone: 'UTC' } }))).toEqual([
      'production.waves[0].regions: wave would render 67 actions (11 regions x 6 actions + 1 window gate); CodePipeline allows 50 per stage: split it into 2 waves of at most 8 regions, '
      + 'e.g. ["us-east-1","us-east-2","us-west-1","us-west-2","eu-west-1","eu-west-2","eu-west-3","eu-central-1"], ["eu-north-1","ap-south-1","ap-northeast-1"]',
    ]);
  });

  test('the regions of a wave need windows that are open at the same time', () => {
    expect(messages(base([{ regions: ['ap-southeast-2', 'sa-east-1'] }]))).toEqual([
      'production.waves[0].regions: the deployment windows of ap-southeast-2 (09:00-17:00 Australia/Sydney), sa-east-1 (09:00-17:00 America/Sao_Paulo) are never open at the same time; '
      + 'CodePipeline starts the regions of a wave together, so a wave needs an hour when all its windows are open: put these regions in different waves (e.g. by continent), '
      + 'or give the wave one window in one time zone (window: { timeZone: "UTC", ... })',
    ]);
    expect(messages(base([{ regions: ['us-west-2', 'ca-central-1', 'sa-east-1'] }, { regions: ['ap-northeast-1', 'ap-southeast-2', 'ap-south-1'] }]))).toEqual([]);
    expect(messages(base([{ regions: ['ap-southeast-2', 'sa-east-1'], window: { timeZone: 'UTC', startHour: 0, endHour: 24 } }]))).toEqual([]);
  });

  test('CodePipeline quota: too many stages', () => {
    const regions = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ca-central-1', 'sa-east-1', 'af-south-1', 'me-south-1', 'il-central-1', 'eu-south-1', 'eu-south-2', 'ap-east-1', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'me-central-1', 'ca-west-1', 'mx-central-1', 'eu-central-2', 'ap-southeast-5', 'ap-southeast-7', 'ap-east-2', 'ap-southeast-6'];
    const pre = Array.from({ length: 14 }, (_, i) => ({ name: `test${i}`, account: '222222222222', regions: ['us-east-1'] }));
    const problems = messages({ preProduction: pre, production: { account: PROD, waves: regions.map((r) => ({ regions: [r] })) } });
    expect(problems).toEqual(['production.waves: the pipeline would have 52 stages (4 framework + 14 pre-production + 34 waves); CodePipeline allows 50: put more regions in each later wave (regions of a wave deploy in parallel)']);
  });
});

describe('the plan: defaults from AWS practice', () => {
  const plan = buildReleasePlan({
    preProduction: [{ name: 'beta', account: '222222222222', regions: ['us-west-2'] }],
    production: { account: PROD, waves: [{ regions: ['eu-west-1'] }, { regions: ['us-east-1'] }, { regions: ['us-west-2', 'ap-southeast-2'] }] },
  }, { pipelineName: 'orders', pipelineAccount: '111111111111', pipelineRegion: 'us-east-1' });

  test('stages in order, production one-box on, longer bakes in the first two waves', () => {
    expect(plan.stages.map((s) => [s.name, s.kind, s.wave])).toEqual([
      ['beta', 'PRE_PRODUCTION', 0], ['Prod-Wave-1', 'PRODUCTION', 1], ['Prod-Wave-2', 'PRODUCTION', 2], ['Prod-Wave-3', 'PRODUCTION', 3],
    ]);
    expect(plan.stages.map((s) => s.regions.map((r) => [r.oneBox?.bake.minutes ?? null, r.fleet.bake.minutes]))).toEqual([
      [[null, 0]], [[30, 60]], [[30, 60]], [[15, 30], [15, 30]],
    ]);
    expect(plan.stages[3].regions[1].oneBox!.id).toBe('prod-wave-3-ap-southeast-2-onebox');
  });

  test('production regions get their local business-hours window; pre-production none', () => {
    expect(plan.stages[0].regions[0].window).toBeUndefined();
    const { holidays, holidaysFrom, holidaysUntil, ...window } = plan.stages[3].regions[1].window!;
    expect(window).toEqual({
      timeZone: 'Australia/Sydney', weekdays: ['MON', 'TUE', 'WED', 'THU'], startHour: 9, endHour: 17, blackouts: [], holidayCountry: 'AU-NSW',
    });
    // Public holidays resolved into dates at synth (Australia Day 2026 is a Monday).
    expect([holidaysFrom, holidaysUntil]).toEqual(['2025-01-01', '2030-12-31']);
    expect(holidays).toContainEqual({ date: '2026-01-26', name: 'Australia Day' });
    expect(plan.stopSwitchParameterName).toBe('/cdk-wave-pipelines/orders/stop-all-releases');
    expect(plan.maxWindowHoldMinutes).toBe(7200);
  });

  test('an invalid declaration throws one error listing every problem', () => {
    let error: unknown;
    try {
      buildReleasePlan(base([{ regions: ['us-east-9', 'eu-west-1'] }, { regions: ['eu-west-1'] }]), { pipelineName: 'bad name!' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReleaseValidationError);
    expect((error as Error).message).toBe([
      'Invalid release declaration (3 problems):',
      '  - pipelineName: "bad name!" is not a valid CodePipeline name; use 1-100 letters, digits, ".", "@", "_" or "-", e.g. "orders-service"',
      '  - production.waves[0].regions[0]: "us-east-9" is not an AWS region; did you mean "us-east-1"?',
      '  - production.waves[1].regions[0]: "eu-west-1" is already deployed by production.waves[0].regions[1]; a production region belongs to exactly one wave: remove one of them',
    ].join('\n'));
  });
});
