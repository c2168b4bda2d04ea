import { aliasMoveDescription, aliasMoveUndoneDescription, parseAliasMove } from '../../lib/model/alias-move-record';

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

test('the note a stack rollback leaves records no move, names the undone one and fits 256 characters', () => {
  const text = aliasMoveUndoneDescription({ from: '6', to: '7', at: new Date('2026-12-01T15:04:05Z') }, new Date('2026-12-01T15:09:00.400Z'));
  expect(text).toBe('cdk-wave-pipelines: a stack rollback undid the move from version 6 to version 7 at 2026-12-01T15:09:00Z');
  expect(parseAliasMove(text)).toBeUndefined();
  expect(aliasMoveUndoneDescription({ from: '9'.repeat(20), to: '9'.repeat(20) }, new Date('2026-12-01T15:09:00Z')).length).toBeLessThanOrEqual(256);
});
