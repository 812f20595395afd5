/** What `fn` throws (undefined when it returns), so that a test can assert the error's fields. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
