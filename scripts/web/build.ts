/**
 * `npm run build:web [-- OUT]`: the web folder (default dist/web; see buildWeb) from this package, then each file's
 * size, raw and gzip.
 */
import { join, resolve } from 'node:path';
import { packageRoot } from '../../src/platform/node/assets.ts';
import { buildWeb } from './build-web.ts';

const root = packageRoot();
const out = process.argv[2] === undefined ? join(root, 'dist', 'web') : resolve(process.argv[2]);
for (const file of await buildWeb(root, out)) {
  console.log(`${file.name.padEnd(28)} ${String(file.bytes).padStart(8)} B  ${String(file.gzipBytes).padStart(7)} B gzip`);
}
