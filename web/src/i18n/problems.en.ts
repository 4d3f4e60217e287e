/** How API problems read: titles by HTTP status, and server messages by their code (`messageKey`). */
export default {
  toSeeThis: 'to see this.',
  status: {
    s0: 'No connection',
    s400: 'Bad request',
    s401: 'Not signed in',
    s403: 'Not allowed',
    s404: 'Not found',
    s409: 'Conflict',
    s413: 'Too large',
    s422: 'Past a limit',
    s429: 'Too many requests',
    s500: 'Server error',
    s503: 'Service unavailable',
  },
  messages: {
    unreachable: 'Could not reach the API ({{reason}}).',
    serverAnswered: 'The server answered {{status}} {{statusText}}.',
    notFound: '{{what}} {{id}} was not found.',
  },
} as const;
