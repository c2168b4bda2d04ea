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
 * - A failed request fails the stack update, and CloudFormation rolls the stack back: a resource
 *   it created is deleted and one it updated is updated back to its old properties.
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */

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
  readonly response?: CustomResourceResponse;
  readonly error?: string;
}

export class CustomResourceStack {
  private readonly resources = new Map<string, Existing>();
  readonly requests: CustomResourceRequest[] = [];
  private requestCounter = 0;

  constructor(readonly stackId: string, private readonly now: () => Date) {}

  /** The stack's resource as CloudFormation recorded it after its last successful request. */
  resource(logicalId: string): Readonly<Existing> | undefined {
    return this.resources.get(logicalId);
  }

  /** The state before the drill: a resource a previous deployment created. */
  adopt(resource: DesiredCustomResource, physicalId: string): void {
    this.resources.set(resource.logicalId, { type: resource.type, properties: { ...resource.properties }, physicalId });
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
    for (const resource of desired) {
      const before = this.resources.get(resource.logicalId);
      if (before && sameProperties(before.properties, resource.properties)) continue;
      const event: CustomResourceEvent = before
        ? { ...this.base('Update', resource.logicalId, resource.type, resource.properties), PhysicalResourceId: before.physicalId, OldResourceProperties: { ...before.properties } }
        : this.base('Create', resource.logicalId, resource.type, resource.properties);
      const response = await this.send(event, 'UPDATE', provider);
      if ('error' in response) {
        await this.rollBack(done, provider);
        return { ok: false, reason: `${resource.logicalId} (${event.RequestType}) failed: ${response.error}` };
      }
      this.resources.set(resource.logicalId, {
        type: resource.type, properties: { ...resource.properties }, physicalId: response.PhysicalResourceId,
      });
      done.push({ logicalId: resource.logicalId, before });
      if (before && before.physicalId !== response.PhysicalResourceId) replaced.push({ logicalId: resource.logicalId, old: before });
    }
    if (laterFailure) {
      await this.rollBack(done, provider);
      return { ok: false, reason: laterFailure };
    }
    // Clean-up: replaced physical resources and resources no longer in the template.
    for (const { logicalId, old } of replaced) {
      await this.send({ ...this.base('Delete', logicalId, old.type, old.properties), PhysicalResourceId: old.physicalId }, 'CLEANUP', provider);
    }
    for (const [logicalId, old] of [...this.resources.entries()]) {
      if (desired.some((d) => d.logicalId === logicalId)) continue;
      this.resources.delete(logicalId);
      await this.send({ ...this.base('Delete', logicalId, old.type, old.properties), PhysicalResourceId: old.physicalId }, 'CLEANUP', provider);
    }
    return { ok: true };
  }

  private async rollBack(done: Array<{ logicalId: string; before?: Existing }>, provider: CustomResourceProvider): Promise<void> {
    for (const { logicalId, before } of [...done].reverse()) {
      const now = this.resources.get(logicalId)!;
      if (!before) {
        this.resources.delete(logicalId);
        await this.send({ ...this.base('Delete', logicalId, now.type, now.properties), PhysicalResourceId: now.physicalId }, 'ROLLBACK', provider);
      } else {
        this.resources.set(logicalId, before);
        await this.send({
          ...this.base('Update', logicalId, before.type, before.properties), PhysicalResourceId: now.physicalId, OldResourceProperties: { ...now.properties },
        }, 'ROLLBACK', provider);
      }
    }
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
      this.requests.push({ at: this.now(), event, phase, response });
      return response;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.requests.push({ at: this.now(), event, phase, error });
      return { error };
    }
  }
}

function sameProperties(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}
