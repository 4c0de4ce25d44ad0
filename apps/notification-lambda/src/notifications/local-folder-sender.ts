// The default sender: one JSON file per notification in a folder (tests and developers read it).
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Notification, NotificationSender } from './notification';

export class LocalFolderSender implements NotificationSender {
  readonly kind = 'local-folder';

  constructor(readonly dir: string) {}

  async send(notification: Notification): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, `${notification.id}.json`), `${JSON.stringify(notification, null, 2)}\n`);
  }

  async sent(): Promise<Notification[]> {
    const files = await readdir(this.dir).catch(() => [] as string[]);
    return Promise.all(files.filter((file) => file.endsWith('.json')).map(async (file) => JSON.parse(await readFile(join(this.dir, file), 'utf8'))));
  }
}
