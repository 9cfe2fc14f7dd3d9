/** Replaces one method: receives the call's arguments and a way to call the original with them. */
export type Interceptor = (args: unknown[], callOriginal: (args: unknown[]) => unknown) => unknown;

/** The path to each intercepted method, e.g. `{ chat: { completions: { create: interceptor } } }`. */
export interface InterceptPlan {
  [property: string]: InterceptPlan | Interceptor;
}

const targets = new WeakMap<object, object>();

/**
 * A Proxy of `root` in which only the planned methods are replaced. Everything else is the original:
 * other methods are bound to their own object (so private fields keep working) and identities of
 * values stay stable between reads. Wrapping a wrapped client wraps the original instead, so a call
 * is never recorded twice.
 */
export function interceptMethods<T extends object>(root: T, plan: InterceptPlan): T {
  return proxyFor(unwrap(root), plan);
}

/** A proxy from `interceptMethods` has the same type as the object it stands for. */
function unwrap<T extends object>(value: T): T {
  return (targets.get(value) as T | undefined) ?? value;
}

function proxyFor<T extends object>(target: T, plan: InterceptPlan): T {
  const derived = new Map<PropertyKey, { source: unknown; value: unknown }>();
  const remember = (property: PropertyKey, source: unknown, make: () => unknown): unknown => {
    const known = derived.get(property);
    if (known && known.source === source) return known.value;
    const value = make();
    derived.set(property, { source, value });
    return value;
  };
  const proxy = new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      const step = typeof property === 'string' && Object.hasOwn(plan, property) ? plan[property] : undefined;
      if (typeof step === 'function' && typeof value === 'function') {
        return remember(
          property,
          value,
          () =>
            (...args: unknown[]) =>
              step(args, (callArgs) => Reflect.apply(value, object, callArgs)),
        );
      }
      if (typeof step === 'object' && typeof value === 'object' && value !== null) {
        return remember(property, value, () => proxyFor(value, step));
      }
      if (typeof value === 'function' && property !== 'constructor') {
        return remember(property, value, () => value.bind(object));
      }
      return value;
    },
  });
  targets.set(proxy, target);
  return proxy;
}
