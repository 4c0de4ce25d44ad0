import { BadRequestException, StreamableFile } from '@nestjs/common';
import { ndjsonProgress } from './ndjson-progress';

async function linesOf(file: StreamableFile): Promise<unknown[]> {
  let text = '';
  for await (const chunk of file.getStream()) text += chunk;
  return text.trim().split('\n').map((line) => JSON.parse(line));
}

describe('ndjsonProgress', () => {
  it('streams each progress line, then the report', async () => {
    const file = await ndjsonProgress(async (onProgress) => {
      onProgress(1, 2);
      await new Promise((resolve) => setTimeout(resolve, 5));
      onProgress(2, 2);
      return { replayed: 2 };
    });
    expect(file.getHeaders().type).toBe('application/x-ndjson');
    expect(await linesOf(file)).toEqual([{ progress: { done: 1, total: 2 } }, { progress: { done: 2, total: 2 } }, { report: { replayed: 2 } }]);
  });

  it('sends only the report when the work ends before any progress', async () => {
    expect(await linesOf(await ndjsonProgress(async () => ({ replayed: 0 })))).toEqual([{ report: { replayed: 0 } }]);
  });

  it('throws an error from before the first line, so it is answered with its own status', async () => {
    await expect(
      ndjsonProgress(async () => {
        throw new BadRequestException('not a dead-letter topic');
      }),
    ).rejects.toBeInstanceOf(BadRequestException);
  });

  it('ends the stream with an error line once progress has gone out', async () => {
    const file = await ndjsonProgress(async (onProgress) => {
      onProgress(1, 3);
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('broker unavailable');
    });
    expect(await linesOf(file)).toEqual([{ progress: { done: 1, total: 3 } }, { error: 'broker unavailable' }]);
  });
});
