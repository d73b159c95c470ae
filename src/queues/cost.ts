// What a queue batch costs the platform, counted on its bindings: UserHub calls, and R2
// operations by price class (class A writes and lists, class B reads; deletes are free). D1 is
// counted by the batch's metered database (src/domain/db/metered.ts). The consumer logs the sum
// once a batch, and the bench adds those lines up per book (docs/SCALE.md, the capacity model).

export type BatchCost = { hubCalls: number; r2ClassA: number; r2ClassB: number };

const R2_CLASS_A = new Set(["put", "list", "createMultipartUpload", "resumeMultipartUpload"]);
const R2_CLASS_B = new Set(["get", "head"]);

/** A proxy of `target` that calls `counted(name)` before each call of one of its methods. */
function countCalls<T extends object>(target: T, counted: (method: string) => void): T {
  return new Proxy(target, {
    get(t, prop) {
      const member = Reflect.get(t, prop);
      if (typeof member !== "function" || typeof prop === "symbol") return member;
      return (...args: unknown[]) => {
        counted(prop);
        return (t as unknown as Record<string, (...a: unknown[]) => unknown>)[prop]!(...args);
      };
    },
  });
}

/** `env` with its UserHub calls and R2 operations counted into the returned `cost`. */
export function countedEnv(env: Env): { env: Env; cost: BatchCost } {
  const cost: BatchCost = { hubCalls: 0, r2ClassA: 0, r2ClassB: 0 };
  const hubs = env.USER_HUB;
  const getByName = (name: string) => countCalls(hubs.getByName(name), () => cost.hubCalls++);
  const USER_HUB = new Proxy(hubs, { get: (t, prop) => (prop === "getByName" ? getByName : Reflect.get(t, prop)) });
  const FILES = countCalls(env.FILES, (m) => {
    if (R2_CLASS_A.has(m)) cost.r2ClassA++;
    else if (R2_CLASS_B.has(m)) cost.r2ClassB++;
  });
  return { env: { ...env, USER_HUB, FILES }, cost };
}
