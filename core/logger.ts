import { pino, type Logger } from 'pino';
import { config } from './config.js';

let root: Logger | undefined;

/** JSON logs on stderr (stdout stays for CLI output and bench figures). */
export function logger(name?: string): Logger {
  root ??= pino({ level: config().LOG_LEVEL, base: { app: 'argus' } }, pino.destination(2));
  return name ? root.child({ module: name }) : root;
}
