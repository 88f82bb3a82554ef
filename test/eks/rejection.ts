/** The modelled SDK exception a call must fail with (any other outcome fails the test). */
export async function rejectionOf<T>(call: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await call;
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected ${type.name}`);
}
