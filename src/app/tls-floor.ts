/**
 * TLS 1.2 or higher on every outgoing connection (Zoom, SMTP, Twilio). Node's default floor is
 * already TLS 1.2, but a `--tls-min-v1.0` flag or NODE_OPTIONS could lower it for the whole
 * process; the product raises it back before it opens any connection.
 */
import tls from 'node:tls';

const FLOOR = 'TLSv1.2';
const order = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Raises the process-wide minimum TLS version to 1.2 when something lowered it. */
export function enforceTlsFloor(): void {
  if (order.indexOf(tls.DEFAULT_MIN_VERSION) < order.indexOf(FLOOR)) {
    tls.DEFAULT_MIN_VERSION = FLOOR;
  }
}
