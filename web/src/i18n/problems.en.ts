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
    s415: 'Type not accepted',
    s422: 'Past a limit',
    s429: 'Too many requests',
    s500: 'Server error',
    s503: 'Service unavailable',
  },
  messages: {
    unreachable: 'Could not reach the API ({{reason}}).',
    serverAnswered: 'The server answered {{status}} {{statusText}}.',
    notFound: '{{what}} {{id}} was not found.',
    fileTooLarge: '{{name}} is larger than the {{limit}} a file may be.',
    fileEmpty: '{{name}} is empty.',
    fileTypeRefused:
      '{{name}} is not a kind of file Trellis accepts: PDF, PNG, JPEG, GIF, WebP, plain text and CSV, and Word, Excel and PowerPoint documents (docx, xlsx, pptx).',
    fileNameDisagrees:
      'The content of {{name}} does not match its .{{extension}} extension: rename it or upload the right file.',
    fileNotOwned: 'File {{id}} is not one of your files: upload it again.',
  },
} as const;
