/**
 * FerretDB v1 cannot store an array directly inside an array ("nested arrays are not supported"),
 * and client JSON (chart rows, jsOpts, patches) may hold them. Documents pass through this codec on
 * the way in and out: an inner array is kept wrapped in an object and unwrapped when read. Plain
 * MongoDB would not need it, and it does no harm there.
 */
const WRAPPER = '__array';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

export function toStorage<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map((item: unknown) => (Array.isArray(item) ? { [WRAPPER]: toStorage(item) } : toStorage(item))) as T;
  }
  if (isPlainObject(value)) {
    // An absent member stays absent: the driver would store `undefined` as null, which no schema allows.
    return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => [key, toStorage(item)])) as T;
  }
  return value;
}

export function fromStorage<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => fromStorage(item)) as T;
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === WRAPPER && Array.isArray(value[WRAPPER])) return fromStorage(value[WRAPPER]) as T;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fromStorage(item)])) as T;
  }
  return value;
}
