import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  /** host:port to give a client instead of the target's. */
  address: string;
  /**
   * Stops forwarding in both directions at once, on open and new connections: what a process sent
   * after this never reaches the other side, as when a network path freezes.
   */
  pause(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on a free loopback port in front of `target` (host:port). Pausing it holds a
 * process's messages at a chosen instant, e.g. an activity's completion on its way to Temporal.
 */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const [host, port] = target.split(':') as [string, string];
  const sockets = new Set<Socket>();
  let paused = false;
  const server = createServer((client) => {
    const upstream = createConnection({ host, port: Number(port) });
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(from);
      from.on('data', (chunk) => {
        if (!paused) to.write(chunk);
      });
      from.on('close', () => to.destroy());
      from.on('error', () => to.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    pause: () => {
      paused = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
