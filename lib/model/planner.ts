import { ReleaseDeclaration } from './declaration';
import { ReleasePlan } from './plan';
import { buildReleasePlan, PlanOptions } from './release-plan';

/** Answers "what will my pipeline do?" from the declaration alone, without synthesizing. */
export class ReleasePlanner {
  /**
   * Validates `release` and resolves it into the ordered plan; throws an error listing every
   * problem (field path, bad value, fix).
   */
  public static plan(release: ReleaseDeclaration, options: PlanOptions): ReleasePlan {
    return buildReleasePlan(release, options);
  }
}
