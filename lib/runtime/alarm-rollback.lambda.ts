/**
 * Lambda entry of a target's alarm rollback: the action of its health alarm (ReleaseMonitor), in
 * the target's account and Region, running as the target's monitor role.
 */
import { AlarmActionEvent, alarmRollbackConfig, createAlarmRollbackHandler } from './alarm-rollback';
import { createOwnTargetClients } from './aws-clients';
import { RollbackReport } from './rollback';

let rollback: ((event: AlarmActionEvent) => Promise<RollbackReport>) | undefined;

export async function handler(event: AlarmActionEvent): Promise<RollbackReport> {
  if (!rollback) {
    const config = alarmRollbackConfig(process.env);
    rollback = createAlarmRollbackHandler({ config, clients: createOwnTargetClients(config.region), now: () => new Date() });
  }
  return rollback(event);
}
