// The audit log: every replay and resolve, dry run or not, with who asked, what and the result.
import { Injectable } from '@nestjs/common';
import { ServiceDatabase } from '@platform/database';
import { desc } from 'drizzle-orm';
import { auditLog, AuditRow } from '../dead-letters/dead-letter.tables';

@Injectable()
export class AuditRepository {
  constructor(private readonly database: ServiceDatabase) {}

  async record(entry: Omit<AuditRow, 'id' | 'at'>): Promise<void> {
    await this.database.db.insert(auditLog).values(entry);
  }

  async latest(limit: number): Promise<AuditRow[]> {
    return this.database.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit);
  }
}
