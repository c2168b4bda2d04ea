/**
 * STS AssumeRole of the controller's role into the targets' monitor roles: credentials valid for
 * DurationSeconds (at most the role's MaxSessionDuration, 1 hour here).
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
import { awsError, unimplemented } from './aws-errors';

export class StsEmulator {
  private counter = 0;
  readonly assumed: Array<{ roleArn: string; at: Date }> = [];

  constructor(private readonly now: () => Date, private readonly knownRoles: Set<string>) {}

  handle(operation: string, input: any): any {
    if (operation !== 'AssumeRole') throw unimplemented('sts', operation);
    if (!this.knownRoles.has(input.RoleArn)) {
      throw awsError('AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`, 403);
    }
    const seconds = input.DurationSeconds ?? 3600;
    if (seconds > 3600) throw awsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
    this.assumed.push({ roleArn: input.RoleArn, at: this.now() });
    const n = ++this.counter;
    return {
      Credentials: {
        AccessKeyId: `ASIAEMULATED${n}`,
        SecretAccessKey: 'emulated',
        SessionToken: `session-${n}`,
        Expiration: new Date(this.now().getTime() + seconds * 1000),
      },
      AssumedRoleUser: { AssumedRoleId: `AROAEMULATED:${input.RoleSessionName}`, Arn: `${input.RoleArn}/${input.RoleSessionName}` },
    };
  }
}
