// `nx build notification-lambda`: bundles the handler and everything it imports (libs/events,
// class-validator, nodemailer, …) into one index.js for the Node.js 20 Lambda runtime, and zips it
// as dist/notification-lambda/notification-lambda.zip, the file template.yaml deploys.
import { build } from 'esbuild';
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ZipFile } from 'yazl';

const ROOT = resolve(__dirname, '..', '..');
const OUT = join(ROOT, 'dist', 'notification-lambda');

async function main(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.base.json'), 'utf8'));
  const alias = Object.fromEntries(
    Object.entries<string[]>(tsconfig.compilerOptions.paths).map(([name, [target]]) => [name, join(ROOT, target)]),
  );
  const result = await build({
    entryPoints: [join(__dirname, 'src', 'handler.ts')],
    outfile: join(OUT, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    alias,
    // Optional peers of libraries we bundle, never used by the handler.
    external: ['class-transformer/storage', '@nestjs/websockets/socket-module', '@nestjs/microservices/microservices-module'],
    sourcemap: 'inline',
    metafile: true,
    logLevel: 'warning',
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  const zip = new ZipFile();
  zip.addFile(join(OUT, 'index.js'), 'index.js');
  const zipPath = join(OUT, 'notification-lambda.zip');
  await new Promise<void>((done, fail) => {
    zip.outputStream.pipe(createWriteStream(zipPath)).on('close', done).on('error', fail);
    zip.end();
  });
  console.log(`notification-lambda: bundled ${(bytes / 1024).toFixed(0)} KiB into ${zipPath} (handler: index.handler)`);
}

main().catch((error: Error) => {
  console.error(`notification-lambda build failed: ${error.message}`);
  process.exit(1);
});
