import type { IncomingMessage } from 'node:http';
import { SERVICE_ERRORS } from '../errors/error-catalog';
import { CONNECT_REFUSAL, hostHeaderRefusal, protocolRefusal } from './protocol-refusal';

const parserError = (code: string) => Object.assign(new Error('Parse Error'), { code });

describe('protocolRefusal', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 'HEADERS_TOO_LARGE'],
    ['HPE_INVALID_TRANSFER_ENCODING', 'MALFORMED_REQUEST'],
    ['HPE_UNEXPECTED_CONTENT_LENGTH', 'MALFORMED_REQUEST'],
    ['HPE_INVALID_CHUNK_SIZE', 'MALFORMED_REQUEST'],
    ['HPE_INVALID_HEADER_TOKEN', 'MALFORMED_REQUEST'],
    ['HPE_SOMETHING_NEW', 'MALFORMED_REQUEST'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 'REQUEST_TIMEOUT'],
    ['HPE_HEADER_TIMEOUT', 'REQUEST_TIMEOUT'],
  ])('answers %s with %s, a code of the shared catalogue', (errorCode, code) => {
    const refusal = protocolRefusal(parserError(errorCode));
    expect(refusal).toEqual({ code, message: expect.stringMatching(/^The .+\.$/) });
    expect(SERVICE_ERRORS).toHaveProperty(code);
  });

  it.each(['ECONNRESET', 'EPIPE', undefined])('leaves %s unanswered (the connection is closed)', (code) => {
    expect(protocolRefusal(Object.assign(new Error('x'), { code }))).toBeUndefined();
  });

  it('refuses CONNECT with a code of the shared catalogue', () => {
    expect(SERVICE_ERRORS[CONNECT_REFUSAL.code].status).toBe(405);
  });
});

describe('hostHeaderRefusal', () => {
  const request = (version: string, rawHeaders: string[]) => {
    const [major, minor] = version.split('.').map(Number);
    return { httpVersionMajor: major, httpVersionMinor: minor, rawHeaders } as unknown as IncomingMessage;
  };

  it.each([
    ['1.1', ['Host', 'a'], undefined],
    ['1.1', ['host', 'a', 'Accept', '*/*'], undefined],
    ['1.0', [], undefined],
    ['1.0', ['Host', 'a'], undefined],
    ['1.1', [], 'The request has no Host header (HTTP/1.1 requires one).'],
    ['1.1', ['Accept', '*/*'], 'The request has no Host header (HTTP/1.1 requires one).'],
    ['1.1', ['Host', 'a', 'HOST', 'b'], 'The request has more than one Host header.'],
    ['1.0', ['Host', 'a', 'host', 'a'], 'The request has more than one Host header.'],
  ])('HTTP/%s with %j: %s', (version, headers, message) => {
    const refusal = hostHeaderRefusal(request(version, headers));
    expect(refusal).toEqual(message === undefined ? undefined : { code: 'MALFORMED_REQUEST', message });
  });
});
