import type { TesseraError } from '../common/errors.js';
import type { ApiFace } from './app.js';

/** The body an error gets on each API face, in the shape its own clients parse. */
export function errorBody(api: ApiFace, err: TesseraError, requestId: string): unknown {
  // A 401 comes from the authentication layer, which answers in Keystone's shape on every API
  // (keystonemiddleware does so in front of Nova and Glance).
  const face = err.status === 401 ? 'identity' : api;
  switch (face) {
    case 'identity':
      return { error: { code: err.status, title: identityTitle(err.status), message: err.message } };
    case 'placement':
      return { errors: [{ status: err.status, title: identityTitle(err.status), detail: err.message, code: `placement.${err.code}`, request_id: requestId }] };
    case 'image':
      return { code: err.status, title: identityTitle(err.status), message: err.message };
    case 'network':
      return { NeutronError: { type: neutronType(err), message: err.message, detail: '' } };
    case 'compute':
      return { [novaKey(err.status)]: { code: err.status, message: err.message } };
    case 'volume':
      // Cinder's faults are Nova's, and an over-quota one says when to retry (never: '0').
      return { [novaKey(err.status)]: { code: err.status, message: err.message, ...(err.status === 413 ? { retryAfter: '0' } : {}) } };
  }
}

function novaKey(status: number): string {
  switch (status) {
    case 400: return 'badRequest';
    case 401: return 'unauthorized';
    case 403: return 'forbidden';
    case 404: return 'itemNotFound';
    case 405: return 'badMethod';
    case 406: return 'notAcceptable';
    case 409: return 'conflictingRequest';
    case 413: return 'overLimit';
    case 415: return 'badMediaType';
    case 501: return 'notImplemented';
    case 503: return 'serviceUnavailable';
    default: return 'computeFault';
  }
}

/**
 * The Neutron exception name clients map on (`PortNotFound`, `IpAddressGenerationFailure`, ...):
 * the network service puts it in the error's details; other errors get webob's by status.
 */
function neutronType(err: TesseraError): string {
  const type = err.details?.['type'];
  if (typeof type === 'string') return type;
  const byStatus: Record<number, string> = {
    400: 'HTTPBadRequest', 403: 'HTTPForbidden', 404: 'HTTPNotFound', 405: 'HTTPMethodNotAllowed', 406: 'HTTPNotAcceptable',
    409: 'HTTPConflict', 413: 'HTTPRequestEntityTooLarge', 415: 'HTTPUnsupportedMediaType', 503: 'HTTPServiceUnavailable',
  };
  return byStatus[err.status] ?? 'HTTPInternalServerError';
}

function identityTitle(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
    406: 'Not Acceptable', 409: 'Conflict', 413: 'Request Entity Too Large', 500: 'Internal Server Error', 503: 'Service Unavailable',
  };
  return titles[status] ?? 'Error';
}
