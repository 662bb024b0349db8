/**
 * Runs before each test file. The tests' webhook and robot stand-ins listen on loopback, which the
 * notify SSRF guard refuses by default: tests admit 127.0.0.1 (tests/notify/ssrf-guard.test.ts
 * checks the refusals with no allow-list).
 */
process.env.NOTIFY_ALLOW_PRIVATE ??= '127.0.0.1/32';
