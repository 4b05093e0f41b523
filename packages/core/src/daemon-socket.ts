/**
 * One connected, `unref`'d UDP socket to the daemon, counting the sends whose callback has not fired.
 *
 * Connected (like the Go SDK's `net.DialUDP`, xray-protocol.md §1.4) rather than `sendto` per
 * datagram: the kernel then reports ICMP "port unreachable" (no daemon listening) as ECONNREFUSED on
 * a later send, which we count, where an unconnected socket would lose it silently; and no address
 * lookup happens per send. A socket that must be replaced (the daemon's host name now resolves
 * elsewhere) is retired: closed once its in-flight sends have completed, so no callback is lost.
 */
import * as dgram from 'node:dgram';

export type SendCallback = (error: Error | null) => void;

export class DaemonSocket {
  /** Sends handed to the socket whose callback has not fired yet. */
  inflight = 0;
  private readonly socket: dgram.Socket;
  private connecting = true;
  private retired = false;
  private closed = false;

  /**
   * Binds an ephemeral port and connects to `address:port` (an IP literal of `family`: resolution is
   * done beforehand). `onConnect` is called once, with the error when the connect failed; later
   * socket errors go to `onError`.
   */
  constructor(
    family: 4 | 6,
    address: string,
    port: number,
    onConnect: (error: Error | undefined) => void,
    onError: (error: Error) => void,
  ) {
    this.socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
    // Telemetry must never keep the process alive.
    this.socket.unref();
    this.socket.on('error', (error) => {
      if (this.connecting) {
        this.connecting = false;
        this.close();
        onConnect(error);
      } else {
        onError(error);
      }
    });
    this.socket.connect(port, address, () => {
      this.connecting = false;
      onConnect(undefined);
    });
  }

  /** Hands one datagram to the kernel; `callback` fires once, asynchronously or (on a throw) now. */
  send(datagram: Buffer, callback: SendCallback): void {
    this.inflight++;
    try {
      this.socket.send(datagram, (error) => {
        this.inflight--;
        if (this.retired && this.inflight === 0) this.close();
        callback(error);
      });
    } catch (error) {
      // Not expected on an open, connected socket; never let it reach the app.
      this.inflight--;
      callback(error as Error);
    }
  }

  /** Closes the socket now, or as soon as the sends in flight have completed. */
  retire(): void {
    this.retired = true;
    if (this.inflight === 0) this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.close();
    } catch {
      // Already closed by Node after an error.
    }
  }
}
