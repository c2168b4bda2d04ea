/**
 * Finds dependency cycles among the resources of a synthesized CloudFormation template, so that a
 * cycle surfaces at `cdk synth` with the chain of logical ids instead of twenty minutes into a
 * deployment ("Circular dependency between resources", cfn-lint E3004).
 *
 * CloudFormation orders resources by every intrinsic that names another resource (`Ref`,
 * `Fn::GetAtt`, `Fn::Sub`) and by `DependsOn`, wherever they appear in the resource, including
 * `UpdatePolicy` (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html).
 * Internal: not exported from `index.ts`.
 */

/** One edge: `from` depends on `to`, because of the reference at `path` inside `from`. */
export interface ResourceDependency {
  readonly from: string;
  readonly to: string;
  /** Where in `from` the reference is, e.g. `Properties.RunConfig.EnvironmentVariables.API_URL` (`DependsOn` for DependsOn). */
  readonly path: string;
}

/** Every dependency between the resources of a template, in a deterministic order. */
export function resourceDependencies(template: any): ResourceDependency[] {
  const resources: Record<string, any> = template?.Resources ?? {};
  const ids = new Set(Object.keys(resources));
  const edges: ResourceDependency[] = [];
  for (const from of Object.keys(resources).sort()) {
    const resource = resources[from] ?? {};
    const seen = new Set<string>();
    const add = (to: string, path: string) => {
      if (!ids.has(to) || seen.has(to)) return;
      seen.add(to);
      edges.push({ from, to, path });
    };
    const dependsOn = resource.DependsOn;
    for (const to of (Array.isArray(dependsOn) ? dependsOn : dependsOn !== undefined ? [dependsOn] : [])) {
      if (typeof to === 'string') add(to, 'DependsOn');
    }
    for (const key of Object.keys(resource).sort()) {
      // Metadata is not evaluated by CloudFormation; Type and DependsOn are not intrinsics.
      if (key === 'Metadata' || key === 'Type' || key === 'DependsOn') continue;
      walk(resource[key], key, new Set(), add);
    }
  }
  return edges;
}

function walk(value: any, path: string, bound: ReadonlySet<string>, add: (to: string, path: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${path}.${i}`, bound, add));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [fn] = keys;
    const arg = value[fn];
    if (fn === 'Ref' && typeof arg === 'string') return add(arg, path);
    if (fn === 'Fn::GetAtt') {
      const target = Array.isArray(arg) ? arg[0] : typeof arg === 'string' ? arg.split('.')[0] : undefined;
      if (typeof target === 'string') add(target, path);
      if (Array.isArray(arg)) walk(arg.slice(1), path, bound, add);
      return;
    }
    if (fn === 'Fn::Sub') {
      const [text, variables] = Array.isArray(arg) ? [arg[0], arg[1] ?? {}] : [arg, {}];
      const names = new Set([...bound, ...Object.keys(variables ?? {})]);
      if (typeof text === 'string') {
        for (const match of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const name = match[1].trim().split('.')[0];
          if (!names.has(name)) add(name, path);
        }
      }
      walk(variables, path, bound, add);
      return;
    }
  }
  for (const key of keys.sort()) walk(value[key], `${path}.${key}`, bound, add);
}

/**
 * The dependency cycles of a template, each as the chain of edges that closes it (the first
 * edge's `from` is the last edge's `to`). One cycle per strongly connected component, found with
 * Tarjan's algorithm, so the report stays short however tangled the template is.
 */
export function dependencyCycles(template: any): ResourceDependency[][] {
  const edges = resourceDependencies(template);
  const out = new Map<string, ResourceDependency[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const nodes = Object.keys(template?.Resources ?? {}).sort();

  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  // Iterative Tarjan: templates can hold thousands of resources.
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    index.set(root, counter); low.set(root, counter); counter++; stack.push(root); onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const succ = out.get(frame.node) ?? [];
      if (frame.next < succ.length) {
        const to = succ[frame.next++].to;
        if (!index.has(to)) {
          index.set(to, counter); low.set(to, counter); counter++; stack.push(to); onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = (out.get(frame.node) ?? []).some((e) => e.to === frame.node);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }

  return components.map((component) => cycleThrough(component, out));
}

/** A shortest cycle through the first member of a strongly connected component (breadth first). */
function cycleThrough(component: string[], out: Map<string, ResourceDependency[]>): ResourceDependency[] {
  const members = new Set(component);
  const start = component[0];
  const via = new Map<string, ResourceDependency>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const e of out.get(node) ?? []) {
      if (!members.has(e.to)) continue;
      if (e.to === start) {
        const chain = [e];
        let at = node;
        while (at !== start) {
          const prev = via.get(at)!;
          chain.unshift(prev);
          at = prev.from;
        }
        return chain;
      }
      if (!via.has(e.to)) {
        via.set(e.to, e);
        queue.push(e.to);
      }
    }
  }
  throw new Error(`internal: no cycle through ${start} in its strongly connected component`);
}

/** `A -> B -> C -> A`, each arrow annotated with where the reference is. */
export function describeCycle(cycle: ResourceDependency[]): string {
  return [cycle[0].from, ...cycle.map((e) => `-> ${e.to} (${e.path} of ${e.from})`)].join(' ');
}
