/**
 * The custom resources of one CloudFormation stack and the requests CloudFormation sends their
 * provider over the stack's life:
 *
 * - Create when the resource is new to the stack (no PhysicalResourceId yet).
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-create.html
 * - Update only when "the template developer makes changes to the properties of a custom
 *   resource": the request carries the new ResourceProperties, the OldResourceProperties and the
 *   PhysicalResourceId; a stack update that leaves the properties alone sends nothing.
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-update.html
 * - Delete when the resource leaves the template or the stack is deleted, and, when an Update
 *   returned a different PhysicalResourceId ("CloudFormation recognizes the update as a
 *   replacement"), for the old one in the clean-up phase.
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-delete.html
 * - A failed request fails the stack update, and CloudFormation rolls the stack back "to the stack
 *   configuration that existed before initiating the stack update": a resource it updated gets an
 *   Update whose ResourceProperties are the template it returns to and whose OldResourceProperties
 *   are those of the failed update (the Update request's fields, above), and a resource it created
 *   is deleted. The same happens when a resource other than a custom one fails after the custom
 *   resources succeeded.
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn--stack-update-cancel.html
 * - While it does, DescribeStacks gives the stack's status: UPDATE_IN_PROGRESS during the update
 *   (CREATE_IN_PROGRESS for a new stack), UPDATE_ROLLBACK_IN_PROGRESS while updated resources go
 *   back, UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS while the resources the failed update created
 *   are removed (ROLLBACK_IN_PROGRESS for a new stack), UPDATE_COMPLETE_CLEANUP_IN_PROGRESS while a
 *   successful update deletes what it replaced or removed. The status values are the API's; which
 *   request runs in which clean-up status is read from their names (the pages do not list it).
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html
 *   A rollback that fails leaves the stack UPDATE_ROLLBACK_FAILED until ContinueUpdateRollback
 *   retries it (not emulated: the emulated rollback goes on past a failed request).
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-continueupdaterollback.html
 *
 * Not emulated: the rollback of a custom resource whose own request failed (the drills fail
 * another resource), and the rollback of a replacement (no drill replaces the alias shift).
 */

/** `StackStatus` values (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html). */
export type StackStatus =
  | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_COMPLETE'
  | 'UPDATE_IN_PROGRESS' | 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' | 'UPDATE_COMPLETE'
  | 'UPDATE_ROLLBACK_IN_PROGRESS' | 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS' | 'UPDATE_ROLLBACK_COMPLETE';

export type RequestType = 'Create' | 'Update' | 'Delete';

export interface CustomResourceEvent {
  readonly RequestType: RequestType;
  readonly RequestId: string;
  readonly StackId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, string>;
  readonly OldResourceProperties?: Record<string, string>;
}

export interface CustomResourceResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export type CustomResourceProvider = (event: CustomResourceEvent) => Promise<CustomResourceResponse>;

/** A custom resource the template declares, its properties resolved. */
export interface DesiredCustomResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, string>;
}

interface Existing {
  readonly type: string;
  readonly properties: Record<string, string>;
  readonly physicalId: string;
}

/** One request CloudFormation sent, and how the provider answered. */
export interface CustomResourceRequest {
  readonly at: Date;
  readonly event: CustomResourceEvent;
  readonly phase: 'UPDATE' | 'CLEANUP' | 'ROLLBACK';
  /** The stack's status while the request ran. */
  readonly stackStatus?: StackStatus;
  readonly response?: CustomResourceResponse;
  readonly error?: string;
}

export class CustomResourceStack {
  private readonly resources = new Map<string, Existing>();
  readonly requests: CustomResourceRequest[] = [];
  private requestCounter = 0;
  /** Undefined until the stack exists (a previous deployment adopted, or a first update begun). */
  private stackStatus?: StackStatus;
  /** Whether a deployment of the stack ever completed: until one did, the stack is being created. */
  private everCompleted = false;

  constructor(readonly stackId: string, private readonly now: () => Date) {}

  /** The stack's status now; undefined before it exists. */
  get status(): StackStatus | undefined {
    return this.stackStatus;
  }

  /** The DescribeStacks answer for this stack (`StackName` may be its name or its ARN, the id here). */
  describeStacks(input: { StackName?: string }): { Stacks: Array<{ StackId: string; StackStatus: StackStatus }> } {
    if (!this.stackStatus || input.StackName !== this.stackId) {
      throw Object.assign(new Error(`Stack with id ${input.StackName} does not exist`), { name: 'ValidationError' });
    }
    return { Stacks: [{ StackId: this.stackId, StackStatus: this.stackStatus }] };
  }

  /** The stack's resource as CloudFormation recorded it after its last successful request. */
  resource(logicalId: string): Readonly<Existing> | undefined {
    return this.resources.get(logicalId);
  }

  /** The state before the drill: a resource a previous deployment created. */
  adopt(resource: DesiredCustomResource, physicalId: string): void {
    this.resources.set(resource.logicalId, { type: resource.type, properties: { ...resource.properties }, physicalId });
    this.stackStatus = 'UPDATE_COMPLETE';
    this.everCompleted = true;
  }

  /**
   * A stack update to `desired` (every custom resource of the new template): returns `ok: false`
   * with the provider's error when one request failed, after rolling the others back.
   * `laterFailure`: another resource of the stack fails after the custom resources succeeded (the
   * whole update then rolls back as well).
   */
  async update(desired: DesiredCustomResource[], provider: CustomResourceProvider, laterFailure?: string): Promise<{ ok: boolean; reason?: string }> {
    const done: Array<{ logicalId: string; before?: Existing }> = [];
    const replaced: Array<{ logicalId: string; old: Existing }> = [];
    const creating = !this.everCompleted;
    this.stackStatus = creating ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS';
    for (const resource of desired) {
      const before = this.resources.get(resource.logicalId);
      if (before && sameProperties(before.properties, resource.properties)) continue;
      const event: CustomResourceEvent = before
        ? { ...this.base('Update', resource.logicalId, resource.type, resource.properties), PhysicalResourceId: before.physicalId, OldResourceProperties: { ...before.properties } }
        : this.base('Create', resource.logicalId, resource.type, resource.properties);
      const response = await this.send(event, 'UPDATE', provider);
      if ('error' in response) {
        await this.rollBack(done, provider, creating);
        return { ok: false, reason: `${resource.logicalId} (${event.RequestType}) failed: ${response.error}` };
      }
      this.resources.set(resource.logicalId, {
        type: resource.type, properties: { ...resource.properties }, physicalId: response.PhysicalResourceId,
      });
      done.push({ logicalId: resource.logicalId, before });
      if (before && before.physicalId !== response.PhysicalResourceId) replaced.push({ logicalId: resource.logicalId, old: before });
    }
    if (laterFailure) {
      await this.rollBack(done, provider, creating);
      return { ok: false, reason: laterFailure };
    }
    // Clean-up: replaced physical resources and resources no longer in the template.
    if (!creating) this.stackStatus = 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
    for (const { logicalId, old } of replaced) {
      await this.send({ ...this.base('Delete', logicalId, old.type, old.properties), PhysicalResourceId: old.physicalId }, 'CLEANUP', provider);
    }
    for (const [logicalId, old] of [...this.resources.entries()]) {
      if (desired.some((d) => d.logicalId === logicalId)) continue;
      this.resources.delete(logicalId);
      await this.send({ ...this.base('Delete', logicalId, old.type, old.properties), PhysicalResourceId: old.physicalId }, 'CLEANUP', provider);
    }
    this.stackStatus = creating ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE';
    this.everCompleted = true;
    return { ok: true };
  }

  /** Updated resources go back first (newest first), then the ones the failed update created are deleted. */
  private async rollBack(done: Array<{ logicalId: string; before?: Existing }>, provider: CustomResourceProvider, creating: boolean): Promise<void> {
    const newestFirst = [...done].reverse();
    this.stackStatus = creating ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_IN_PROGRESS';
    for (const { logicalId, before } of newestFirst.filter((d) => d.before)) {
      const now = this.resources.get(logicalId)!;
      this.resources.set(logicalId, before!);
      await this.send({
        ...this.base('Update', logicalId, before!.type, before!.properties), PhysicalResourceId: now.physicalId, OldResourceProperties: { ...now.properties },
      }, 'ROLLBACK', provider);
    }
    if (!creating) this.stackStatus = 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS';
    for (const { logicalId } of newestFirst.filter((d) => !d.before)) {
      const now = this.resources.get(logicalId)!;
      this.resources.delete(logicalId);
      await this.send({ ...this.base('Delete', logicalId, now.type, now.properties), PhysicalResourceId: now.physicalId }, 'ROLLBACK', provider);
    }
    this.stackStatus = creating ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE';
  }

  private base(requestType: RequestType, logicalId: string, type: string, properties: Record<string, string>): CustomResourceEvent {
    return {
      RequestType: requestType,
      RequestId: `request-${++this.requestCounter}`,
      StackId: this.stackId,
      LogicalResourceId: logicalId,
      ResourceType: type,
      ResourceProperties: { ...properties },
    };
  }

  private async send(event: CustomResourceEvent, phase: CustomResourceRequest['phase'], provider: CustomResourceProvider): Promise<CustomResourceResponse | { error: string }> {
    try {
      const response = await provider(event);
      this.requests.push({ at: this.now(), event, phase, stackStatus: this.stackStatus, response });
      return response;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.requests.push({ at: this.now(), event, phase, stackStatus: this.stackStatus, error });
      return { error };
    }
  }
}

function sameProperties(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}
