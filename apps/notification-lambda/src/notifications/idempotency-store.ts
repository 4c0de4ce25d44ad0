// Remembers which events were already notified, so a redelivered batch sends nothing twice. Lambda
// keeps no state between invocations: the store must live outside the function. This one is a folder
// of marker files (local runs, tests, a mounted EFS volume); on AWS a DynamoDB table with a
// conditional put is the usual choice (not included).
import { mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface IdempotencyStore {
  has(id: string): Promise<boolean>;
  /** Records the id; false if it was already there. */
  mark(id: string): Promise<boolean>;
}

export class FolderIdempotencyStore implements IdempotencyStore {
  constructor(private readonly dir: string) {}

  async has(id: string): Promise<boolean> {
    return stat(this.file(id)).then(
      () => true,
      () => false,
    );
  }

  async mark(id: string): Promise<boolean> {
    await mkdir(this.dir, { recursive: true });
    try {
      await (await open(this.file(id), 'wx')).close();
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  }

  private file(id: string): string {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error(`not an event id: ${id}`);
    return join(this.dir, id);
  }
}
