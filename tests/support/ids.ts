import { randomBytes } from 'node:crypto';

/** A random lower-case prefix so each test owns its indices and queues (BullMQ's habit). */
export function testPrefix(label = 't'): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}
