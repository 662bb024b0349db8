import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/** Outgoing TCP activity seen while the watch was on. */
export interface SocketWatch {
  /** Client sockets created (net.connect), whether or not they got to connect. */
  created: number;
  /** Addresses a connection was attempted to (`connectionAttempt` events). */
  attempted: string[];
  stop(): void;
}

/**
 * Watches client sockets through `net.client.socket` diagnostics, so a test can prove the SSRF guard refused
 * before any packet left: no attempt to the refused address.
 */
export function watchSockets(): SocketWatch {
  const watch: SocketWatch = {
    created: 0,
    attempted: [],
    stop: () => diagnostics.unsubscribe('net.client.socket', onSocket),
  };
  function onSocket(message: unknown): void {
    const { socket } = message as { socket: Socket };
    watch.created += 1;
    socket.on('connectionAttempt', (address: string) => watch.attempted.push(address));
  }
  diagnostics.subscribe('net.client.socket', onSocket);
  return watch;
}
