import { aliasMoveDescription, parseAliasMove } from '../../lib/model/alias-move-record';

test('a move round-trips through the description and fits the 256 characters an alias description allows', () => {
  const text = aliasMoveDescription({ from: '6', to: '7' });
  expect(text).toBe('cdk-wave-pipelines: moved from version 6 to version 7');
  expect(parseAliasMove(text)).toEqual({ from: '6', to: '7' });
  expect(aliasMoveDescription({ from: '9'.repeat(20), to: '9'.repeat(20), at: new Date('2026-12-01T15:04:05.123Z') }).length).toBeLessThanOrEqual(256);
});

test('the time of the move round-trips to the second', () => {
  const text = aliasMoveDescription({ from: '6', to: '7', at: new Date('2026-12-01T15:04:05.678Z') });
  expect(text).toBe('cdk-wave-pipelines: moved from version 6 to version 7 at 2026-12-01T15:04:05Z');
  expect(parseAliasMove(text)).toEqual({ from: '6', to: '7', at: new Date('2026-12-01T15:04:05Z') });
});

test('a note without a time (written by an earlier version) still gives the move, with no time', () => {
  expect(parseAliasMove('cdk-wave-pipelines: moved from version 6 to version 7')).toEqual({ from: '6', to: '7' });
  expect(parseAliasMove('cdk-wave-pipelines: moved from version 6 to version 7 at 2026-13-45T99:99:99Z')).toBeUndefined();
});

test.each([undefined, '', 'live traffic', 'cdk-wave-pipelines: moved from version $LATEST to version 7', 'x cdk-wave-pipelines: moved from version 6 to version 7', 'cdk-wave-pipelines: moved from version 6 to version 7 at yesterday'])(
  'a description that records no move of ours (%p) gives none', (description) => {
    expect(parseAliasMove(description)).toBeUndefined();
  });
