import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorResponse } from '../domain/bbb/responses.js';
import { BBB_ERRORS, XML_CONTENT_TYPE } from './bbb/bbbReply.js';

/**
 * Node refuses a request line and headers past its 16 KiB limit before any route runs, with a bare 431.
 * The usual such request is a BBB call with a long list (getRecordings with 10,000 recordIDs): its client is
 * told, in BBB's XML, why and what to do instead (the same body in a form POST is accepted). Every other
 * parse error is answered as Node's own default would (a listener replaces that default).
 */
export function explainHeaderOverflow(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const started = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (error.code === 'ECONNRESET' || !socket.writable || started) {
      socket.destroy();
      return;
    }
    socket.end(rawAnswer(error.code));
  });
}

function rawAnswer(code: string | undefined): string {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW': {
      const body = errorResponse(BBB_ERRORS.queryTooLarge.key, BBB_ERRORS.queryTooLarge.message);
      return `HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: ${XML_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
    }
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';
    default:
      return 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';
  }
}
