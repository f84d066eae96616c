import fs from 'node:fs';
import path from 'node:path';

/** Binaries installed by scripts/setup.sh --test. */
export function toolPath(name: 'temporal' | 'temporal-test-server'): string {
  const p = path.resolve(__dirname, '../../.tools/bin', name);
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: run scripts/setup.sh --test (npm test does)`);
  return p;
}
