/** The sessions aggregate: a session is written once and read on every browser request. */
import { sessions, type SessionRow } from '../db/schema.ts';
import type { Driver } from './driver.ts';
import { columnNames, SESSION_COLUMNS, sessionFromRow } from './rows.ts';

const SESSION_BY_ID = `SELECT ${columnNames(SESSION_COLUMNS)} FROM sessions WHERE id = $1::text`;

export async function insertSession(driver: Driver, row: SessionRow): Promise<void> {
  await driver.db.insert(sessions).values(row);
}

export async function getSession(driver: Driver, id: string): Promise<SessionRow | null> {
  const [row] = await driver.raw('ecp_session_by_id', SESSION_BY_ID, [id]);
  return row ? sessionFromRow(row) : null;
}
