// CloudFormation's rollback of a failed fleet deployment, as decideAliasShift sees it. During
// UPDATE_ROLLBACK_IN_PROGRESS CloudFormation sends the custom resource an Update whose
// ResourceProperties are the template it returns to and whose OldResourceProperties are those of
// the failed update (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-update.html,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html).
import * as fc from 'fast-check';
import { aliasMoveDescription, aliasMoveUndoneDescription, parseAliasMove } from '../../lib/model/alias-move-record';
import { ALIAS_ACTION, AliasState, decideAliasShift, mayUndoFleetMove, STACK_ROLLING_BACK } from '../../lib/model/one-box-shift';

const MOVED = aliasMoveDescription({ from: '6', to: '7', at: new Date('2026-12-01T15:04:05Z') });
/** The alias as the fleet deployment of version 7 left it. */
const afterFleet: AliasState = { functionVersion: '7', additionalVersionWeights: {}, description: MOVED };
/** The Update of CloudFormation's rollback: back to the one-box's Weight 0.1 from the fleet's 1. */
const rollback = { previous: { version: '7', weight: 1 }, stackStatus: STACK_ROLLING_BACK };

describe('CloudFormation rolls a failed fleet deployment back', () => {
  test('the alias goes back as the one-box left it: the version the fleet moved it from keeps the rest', () => {
    const shift = decideAliasShift(afterFleet, '7', 0.1, rollback);
    expect(shift).toEqual({
      action: ALIAS_ACTION.UPDATE,
      functionVersion: '6',
      additionalVersionWeights: { 7: 0.1 },
      summary: 'stack rollback of the fleet deployment: back to the one-box, 10% to version 7, the rest on version 6 (the fleet had moved it from there)',
      undoes: { from: '6', to: '7', at: new Date('2026-12-01T15:04:05Z') },
    });
  });

  test('a note without a time (written by an earlier version) is enough', () => {
    const shift = decideAliasShift({ ...afterFleet, description: aliasMoveDescription({ from: '6', to: '7' }) }, '7', 0.1, rollback);
    expect(shift).toMatchObject({ functionVersion: '6', additionalVersionWeights: { 7: 0.1 } });
  });

  test.each([
    ['someone else wrote it', 'live traffic', 'records no move of ours'],
    ['there is none', undefined, 'records no move of ours'],
    ['it names another version', aliasMoveDescription({ from: '5', to: '6' }), 'notes a move from version 5 to version 6, not to version 7'],
    ['a rollback already undid the move', aliasMoveUndoneDescription({ from: '6', to: '7' }, new Date('2026-12-01T15:09:00Z')), 'records no move of ours'],
  ])('the alias stays where it is when the description records no fleet move to that version (%s), and the summary says so', (_why, description, said) => {
    const shift = decideAliasShift({ functionVersion: '7', additionalVersionWeights: {}, ...(description !== undefined ? { description } : {}) }, '7', 0.1, rollback);
    expect(shift).toEqual({
      action: ALIAS_ACTION.NONE,
      functionVersion: '7',
      additionalVersionWeights: {},
      summary: `stack rollback of the fleet deployment: the alias's description ${said}, so the version customers were on before is unknown; all traffic stays on version 7 until the stage rollback`,
    });
  });
});

describe('what stays as it was', () => {
  test('the next release with unchanged code (the same Update, but the stack is deploying forward) leaves every request on the version customers are on', () => {
    const shift = decideAliasShift(afterFleet, '7', 0.1, { previous: { version: '7', weight: 1 }, stackStatus: 'UPDATE_IN_PROGRESS' });
    expect(shift).toMatchObject({ action: ALIAS_ACTION.NONE, functionVersion: '7', additionalVersionWeights: {} });
    expect(shift.undoes).toBeUndefined();
  });
  test('a fleet deployment moves all traffic, whatever the stack status says', () => {
    const shift = decideAliasShift({ functionVersion: '6', additionalVersionWeights: { 7: 0.1 } }, '7', 1, { previous: { version: '7', weight: 0.1 }, stackStatus: STACK_ROLLING_BACK });
    expect(shift).toMatchObject({ action: ALIAS_ACTION.UPDATE, functionVersion: '7', additionalVersionWeights: {} });
  });
  test('the first release creates the alias', () => {
    expect(decideAliasShift(undefined, '1', 0.1, rollback).action).toBe(ALIAS_ACTION.CREATE);
  });
  test('a one-box already in place is left alone, rollback or not', () => {
    const oneBox: AliasState = { functionVersion: '6', additionalVersionWeights: { 7: 0.1 }, description: MOVED };
    expect(decideAliasShift(oneBox, '7', 0.1, rollback).action).toBe(ALIAS_ACTION.NONE);
  });
  test('a rollback to another version (the failed update published a new one) is an ordinary one-box', () => {
    const shift = decideAliasShift(afterFleet, '6', 0.1, { previous: { version: '7', weight: 1 }, stackStatus: STACK_ROLLING_BACK });
    expect(shift.undoes).toBeUndefined();
    expect(shift).toMatchObject({ functionVersion: '7', additionalVersionWeights: { 6: 0.1 } });
  });
});

describe('mayUndoFleetMove: when the handler must read the stack status', () => {
  test('only an Update from the fleet weight to a one-box weight of the version the alias serves alone', () => {
    expect(mayUndoFleetMove(afterFleet, '7', 0.1, { version: '7', weight: 1 })).toBe(true);
    expect(mayUndoFleetMove(afterFleet, '7', 0.1, undefined)).toBe(false);
    expect(mayUndoFleetMove(afterFleet, '7', 0.1, { version: '6', weight: 1 })).toBe(false);
    expect(mayUndoFleetMove(afterFleet, '7', 0.1, { version: '7', weight: 0.2 })).toBe(false);
    expect(mayUndoFleetMove(afterFleet, '7', 1, { version: '7', weight: 1 })).toBe(false);
    expect(mayUndoFleetMove({ functionVersion: '6', additionalVersionWeights: { 7: 0.1 } }, '7', 0.1, { version: '7', weight: 1 })).toBe(false);
    expect(mayUndoFleetMove(undefined, '7', 0.1, { version: '7', weight: 1 })).toBe(false);
  });
});

describe('properties', () => {
  const version = fc.integer({ min: 1, max: 10_000 }).map(String);
  const oneBoxWeight = fc.integer({ min: 1, max: 50 }).map((p) => p / 100);
  const status = fc.constantFrom('UPDATE_IN_PROGRESS', STACK_ROLLING_BACK, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'CREATE_IN_PROGRESS');

  test('after a fleet move from X to V, the rollback gives back exactly the one-box state before it, and the note then records no move', () => {
    fc.assert(fc.property(version, version, oneBoxWeight, (x, v, weight) => {
      fc.pre(x !== v);
      const oneBox = decideAliasShift({ functionVersion: x, additionalVersionWeights: {} }, v, weight);
      const fleet = decideAliasShift({ functionVersion: oneBox.functionVersion, additionalVersionWeights: oneBox.additionalVersionWeights }, v, 1);
      const afterMove: AliasState = {
        functionVersion: fleet.functionVersion,
        additionalVersionWeights: fleet.additionalVersionWeights,
        description: aliasMoveDescription({ from: x, to: v }),
      };
      const back = decideAliasShift(afterMove, v, weight, { previous: { version: v, weight: 1 }, stackStatus: STACK_ROLLING_BACK });
      expect({ functionVersion: back.functionVersion, weights: back.additionalVersionWeights })
        .toEqual({ functionVersion: oneBox.functionVersion, weights: oneBox.additionalVersionWeights });
      expect(parseAliasMove(aliasMoveUndoneDescription(back.undoes!, new Date(0)))).toBeUndefined();
    }));
  });

  test('outside a stack rollback the stack status changes nothing', () => {
    fc.assert(fc.property(version, version, oneBoxWeight, status, fc.boolean(), (x, v, weight, stackStatus, split) => {
      fc.pre(stackStatus !== STACK_ROLLING_BACK);
      const current: AliasState = {
        functionVersion: v, additionalVersionWeights: split ? { [x]: 0.1 } : {}, description: aliasMoveDescription({ from: x, to: v }),
      };
      const context = { previous: { version: v, weight: 1 }, stackStatus };
      expect(decideAliasShift(current, v, weight, context)).toEqual(decideAliasShift(current, v, weight));
    }));
  });

  test('in a stack rollback the new version either gets back to its one-box weight under another primary, or stays where it is because the note names no move to it', () => {
    fc.assert(fc.property(version, version, version, oneBoxWeight, (from, to, v, weight) => {
      const current: AliasState = { functionVersion: v, additionalVersionWeights: {}, description: aliasMoveDescription({ from, to }) };
      const shift = decideAliasShift(current, v, weight, { previous: { version: v, weight: 1 }, stackStatus: STACK_ROLLING_BACK });
      if (shift.undoes) {
        expect(shift.functionVersion).not.toBe(v);
        expect(shift.additionalVersionWeights).toEqual({ [v]: weight });
      } else {
        expect(shift).toMatchObject({ action: ALIAS_ACTION.NONE, functionVersion: v, additionalVersionWeights: {} });
        expect(to !== v || from === v).toBe(true);
      }
    }));
  });
});
