// Configuration of the function, from its environment (Lambda environment variables or the local
// runner's), validated on the first invocation.
import { join } from 'node:path';
import { IdempotencyStore, FolderIdempotencyStore } from './notifications/idempotency-store';
import { LocalFolderSender } from './notifications/local-folder-sender';
import { NotificationSender } from './notifications/notification';
import { SmtpSender } from './notifications/smtp-sender';

export interface NotificationDeps {
  sender: NotificationSender;
  idempotency: IdempotencyStore;
}

export function depsFromEnv(env: NodeJS.ProcessEnv = process.env): NotificationDeps {
  const stateDir = env.NOTIFICATION_STATE_DIR ?? join(env.DATA_DIR ?? '.local', 'notification-lambda');
  const idempotency = new FolderIdempotencyStore(join(stateDir, 'notified'));
  const kind = env.NOTIFICATION_SENDER ?? 'local';
  if (kind === 'local') return { sender: new LocalFolderSender(join(stateDir, 'outbox')), idempotency };
  if (kind === 'smtp') {
    const missing = ['SMTP_URL', 'NOTIFICATION_EMAIL_FROM', 'NOTIFICATION_EMAIL_TO'].filter((name) => !env[name]);
    if (missing.length > 0) throw new Error(`NOTIFICATION_SENDER=smtp needs ${missing.join(', ')}`);
    return {
      sender: new SmtpSender({ url: env.SMTP_URL as string, from: env.NOTIFICATION_EMAIL_FROM as string, to: env.NOTIFICATION_EMAIL_TO as string }),
      idempotency,
    };
  }
  throw new Error(`NOTIFICATION_SENDER must be "local" or "smtp", got "${kind}"`);
}
