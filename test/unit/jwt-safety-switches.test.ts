import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// jsonwebtoken's switches that turn its own protections off.
const FORBIDDEN = ['allowInsecureKeySizes', 'allowInvalidAsymmetricKeyTypes', 'ignoreExpiration', 'ignoreNotBefore'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

describe('jsonwebtoken safety switches', () => {
  it('appear nowhere in the server, the shared protocol or the client', () => {
    const files = ['server', 'shared', 'client'].flatMap((d) => sources(join(ROOT, d)));
    expect(files.length, 'source files found').to.be.greaterThan(20);
    const hits = files.flatMap((f) => FORBIDDEN.filter((word) => readFileSync(f, 'utf8').includes(word)).map((word) => `${f}: ${word}`));
    expect(hits).to.deep.equal([]);
  });
});
