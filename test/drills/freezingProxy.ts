/**
 * A TCP proxy on loopback in front of a shared server, which the test can freeze: bytes in both directions are
 * held (connections stay open, nothing answers, as with a SIGSTOPped server) and delivered in order on thaw.
 * The shared server itself is never touched.
 */
import { connect, createServer, type Socket } from 'node:net';
import type { Test } from 'tap';

export interface FreezingProxy {
  port: number;
  freeze(): void;
  thaw(): void;
}

export async function startFreezingProxy(t: Test, target: { host: string; port: number }): Promise<FreezingProxy> {
  let frozen = false;
  const held: Array<() => void> = [];
  const sockets = new Set<Socket>();
  const relay = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => (frozen ? held.push(() => to.write(chunk)) : to.write(chunk)));
    from.on('close', () => to.destroy());
    from.on('error', () => to.destroy());
  };
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    port: (server.address() as { port: number }).port,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const deliver of held.splice(0)) deliver();
    },
  };
}
