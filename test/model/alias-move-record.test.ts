import { aliasMoveDescription, parseAliasMove } from '../../lib/model/alias-move-record';

test('a move round-trips through the description and fits the 256 characters an alias description allows', () => {
  const text = aliasMoveDescription({ from: '6', to: '7' });
  expect(text).toBe('cdk-wave-pipelines: moved from version 6 to version 7');
  expect(parseAliasMove(text)).toEqual({ from: '6', to: '7' });
  expect(aliasMoveDescription({ from: '9'.repeat(20), to: '9'.repeat(20) }).length).toBeLessThanOrEqual(256);
});

test.each([undefined, '', 'live traffic', 'cdk-wave-pipelines: moved from version $LATEST to version 7', 'x cdk-wave-pipelines: moved from version 6 to version 7'])(
  'a description that records no move of ours (%p) gives none', (description) => {
    expect(parseAliasMove(description)).toBeUndefined();
  });
