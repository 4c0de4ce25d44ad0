// Streams a long operation as NDJSON: {"progress":{"done","total"}} lines as it goes, then
// {"report":…}. The answer begins with the first progress line, so an error before it (an unknown
// topic, a refused request) is still answered as usual, with its own status; one after it ends the
// stream with an {"error":"…"} line, as the status line has gone out by then.
import { StreamableFile } from '@nestjs/common';
import { PassThrough } from 'node:stream';

export type ProgressListener = (done: number, total: number) => void;

export async function ndjsonProgress<T>(run: (onProgress: ProgressListener) => Promise<T>): Promise<StreamableFile> {
  const lines = new PassThrough();
  let begin = () => undefined as void;
  const begun = new Promise<void>((resolve) => (begin = resolve));
  const outcome = run((done, total) => {
    lines.write(`${JSON.stringify({ progress: { done, total } })}\n`);
    begin();
  });
  await Promise.race([begun, outcome]);
  outcome.then(
    (report) => lines.end(`${JSON.stringify({ report })}\n`),
    (error: Error) => lines.end(`${JSON.stringify({ error: error.message })}\n`),
  );
  return new StreamableFile(lines, { type: 'application/x-ndjson' });
}
