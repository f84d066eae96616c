/** The one local activity of the bare engine: returns its input. */
export async function touch(n: number): Promise<number> {
  return n;
}
